/**
 * Writes manifest/ssot.schema.json from the zod schema:
 *   node --import tsx manifest/write-schema.ts
 * A test asserts the committed file equals what this produces, so they cannot drift.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { manifestJsonSchema } from './schema.js';

export const SCHEMA_PATH = fileURLToPath(new URL('./ssot.schema.json', import.meta.url));

export function renderManifestJsonSchema(): string {
  return `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(SCHEMA_PATH, renderManifestJsonSchema());
  console.log(`wrote ${SCHEMA_PATH}`);
}
