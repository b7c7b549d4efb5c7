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
      properties: Record<string, { default?: unknown; required?: string[] }>;
    };
    // a pure module move needs only these; the rest is required by the phases that use it (codemods/phase)
    expect(schema.required.sort()).toEqual(['canonical', 'legacy', 'verify']);
    expect(schema.properties.canonical?.required?.sort()).toEqual(['exports', 'module']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.tsconfig?.default).toBe('tsconfig.json');
  });
});
