import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadJscodeshift, MissingPeerDependencyError, resolveJscodeshift } from './jscodeshift.js';

describe('jscodeshift, the optional peer dependency', () => {
  it('loads lazily and works as a transform API', async () => {
    const j = await loadJscodeshift();
    const out = j('const a = 1;').find(j.Identifier, { name: 'a' }).forEach((p) => (p.node.name = 'b')).toSource();
    expect(out).toBe('const b = 1;');
  });

  it('says how to install it when neither the repo nor the package has it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssot-nojscs-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{"name":"x"}');
      const from = [join(dir, 'package.json')];
      expect(resolveJscodeshift(dir, from)).toBeUndefined();
      const err = await loadJscodeshift(dir, from).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingPeerDependencyError);
      expect((err as Error).message).toMatch(/jscodeshift is not installed .*npm install --save-dev jscodeshift@\^17/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
