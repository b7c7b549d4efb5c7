import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SCHEMA_PATH, renderManifestJsonSchema } from './write-schema.js';

describe('ssot.schema.json', () => {
  it('is exactly what the zod schema generates (run: node --import tsx manifest/write-schema.ts)', async () => {
    expect(await readFile(SCHEMA_PATH, 'utf8')).toBe(renderManifestJsonSchema());
  });

  it('describes the manifest input: defaults optional, required fields required, closed objects', () => {
    const schema = JSON.parse(renderManifestJsonSchema()) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { default?: unknown }>;
    };
    expect(schema.required.sort()).toEqual(['adapters', 'canonical', 'duplicateTypes', 'legacy', 'verify']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tsconfig?.default).toBe('tsconfig.json');
  });
});
