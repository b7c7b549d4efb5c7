/**
 * A CommonJS repo whose tsconfig leaves `moduleResolution` at node10 (`module: commonjs` and
 * nothing else, common in Express backends) does not read package `exports`: `typesVersions` maps
 * the same subpaths to the same declarations, so the imports a strangled facade and a rewritten
 * call site write (`ssot-migrate/shim/facade`, `ssot-migrate/canonical`, …) type-check there too;
 * at run time `require()` follows `exports` (Node ≥ 20.19 loads the ES modules).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(path.join(TOOLKIT, 'package.json'), 'utf8')) as { exports: Record<string, { types?: string } | string>; typesVersions: Record<string, Record<string, string[]>> };
const dir = mkdtempSync(path.join(tmpdir(), 'ssot-node10-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('typesVersions (node10 resolution)', () => {
  it('maps exactly the exported code subpaths to the declarations exports names', () => {
    const mapped = pkg.typesVersions['*']!;
    const exported = Object.entries(pkg.exports).filter(([k, v]) => k !== '.' && typeof v === 'object' && v.types !== undefined);
    expect(Object.keys(mapped).sort()).toEqual(exported.map(([k]) => k.slice(2)).sort());
    for (const [k, v] of exported) expect(mapped[k.slice(2)], k).toEqual([(v as { types: string }).types]);
  });

  it('resolves each subpath from a CommonJS repo with module commonjs and no moduleResolution', () => {
    mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
    symlinkSync(TOOLKIT, path.join(dir, 'node_modules/ssot-migrate'), 'dir');
    writeFileSync(path.join(dir, 'index.ts'), '');
    // what tsc resolves with for `module: commonjs` and no moduleResolution
    const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 };
    for (const sub of Object.keys(pkg.typesVersions['*']!)) {
      const r = ts.resolveModuleName(`ssot-migrate/${sub}`, path.join(dir, 'index.ts'), options, ts.sys);
      expect(r.resolvedModule?.resolvedFileName.replace(/\\/g, '/'), sub).toMatch(new RegExp(`/dist/${sub.replace(/\//g, '\\/')}(/index)?\\.d\\.ts$`));
    }
  });
});
