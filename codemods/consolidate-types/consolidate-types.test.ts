import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuplicateTypeSpec } from '../../manifest/types.js';
import { buildPhaseContext } from '../engine/context.js';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { listRepoFiles } from '../engine/files.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { consolidateTypes, type ConsolidateResult } from './consolidate.js';

/**
 * Fixtures for a type-aware phase: every `<case>.input.ts` becomes src/<case>.ts of one small
 * repo (with canonical.ts and util.ts beside them), the phase runs once over the repo, and
 * each file must equal `<case>.output.ts`. Then: a second run changes nothing, the result
 * type-checks, and the same repo in CRLF with BOMs gives the same result in CRLF with BOMs.
 */
const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const root = fileURLToPath(new URL('../..', import.meta.url));
const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
  duplicateTypes: DuplicateTypeSpec[];
  expect: Record<string, { problems?: string[] }>;
};
const cases = readdirSync(dir).filter((f) => f.endsWith('.input.ts')).map((f) => f.slice(0, -'.input.ts'.length)).sort();
const support = ['canonical', 'util'];
const update = process.env['UPDATE_FIXTURES'] === '1';
const manifest = withDefaults({ canonical: { module: 'src/canonical', exports: [], contextType: 'C', factory: 'f' }, duplicateTypes: spec.duplicateTypes });
const tsconfig = { compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, verbatimModuleSyntax: true, noEmit: true, skipLibCheck: true, types: [] }, include: ['src'] };

const temps: string[] = [];
function makeRepo(transform: (t: string) => string): string {
  const repo = mkdtempSync(join(tmpdir(), 'ssot-consolidate-'));
  temps.push(repo);
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'tsconfig.json'), JSON.stringify(tsconfig));
  writeFileSync(join(repo, 'package.json'), '{"type":"module"}');
  for (const s of support) writeFileSync(join(repo, 'src', `${s}.ts`), readFileSync(join(dir, `${s}.ts`), 'utf8'));
  for (const c of cases) writeFileSync(join(repo, 'src', `${c}.ts`), transform(readFileSync(join(dir, `${c}.input.ts`), 'utf8')));
  return repo;
}
async function run(repo: string): Promise<ConsolidateResult> {
  const files = listRepoFiles(repo).filter((f) => f.startsWith('src/'));
  return consolidateTypes(repo, manifest, buildPhaseContext(repo, manifest, files), files);
}
function apply(repo: string, r: ConsolidateResult): void {
  for (const c of r.changes) writeFileSync(join(repo, c.file), c.after);
}

describe('consolidate-types fixtures', () => {
  let repo = '';
  let first: ConsolidateResult;
  beforeAll(async () => {
    repo = makeRepo((t) => t);
    first = await run(repo);
    apply(repo, first);
  }, 300_000);
  afterAll(() => temps.forEach((t) => rmSync(t, { recursive: true, force: true })));

  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(8));

  for (const c of cases)
    it(`${c}: expected output and problems`, () => {
      const actual = readFileSync(join(repo, 'src', `${c}.ts`), 'utf8');
      const outPath = join(dir, `${c}.output.ts`);
      if (update) writeFileSync(outPath, actual);
      expect(existsSync(outPath), `missing ${c}.output.ts`).toBe(true);
      expect(actual).toBe(readFileSync(outPath, 'utf8'));
      const report = first.files.find((f) => f.file === `src/${c}.ts`);
      expect(report?.problems.map((p) => p.code).sort() ?? []).toEqual([...(spec.expect[c]?.problems ?? [])].sort());
    });

  it('a second run changes nothing', async () => {
    const second = await run(repo);
    expect(second.changes).toEqual([]);
  }, 300_000);

  it('the result type-checks', () => {
    const r = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'tsconfig.json')], { encoding: 'utf8' });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  }, 300_000);

  it('keeps CRLF line endings and BOMs', async () => {
    const crlf = makeRepo(toCrlfBom);
    apply(crlf, await run(crlf));
    for (const c of cases) {
      const expected = toCrlfBom(readFileSync(join(dir, `${c}.output.ts`), 'utf8'));
      expect(readFileSync(join(crlf, 'src', `${c}.ts`), 'utf8'), c).toBe(expected);
    }
  }, 300_000);
});

describe('consolidate-types onto the canonical package (canonicalModule = canonical.module)', () => {
  const temps2: string[] = [];
  afterAll(() => temps2.forEach((t) => rmSync(t, { recursive: true, force: true })));

  it('replaces an ordinary duplicate by an import of the package and leaves a strangle facade alone', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'ssot-consolidate-pkg-'));
    temps2.push(repo);
    mkdirSync(join(repo, 'src'));
    mkdirSync(join(repo, 'node_modules/canon-pkg'), { recursive: true });
    writeFileSync(join(repo, 'node_modules/canon-pkg/package.json'), JSON.stringify({ name: 'canon-pkg', type: 'module', exports: { '.': { types: './index.d.ts', default: './index.js' } } }));
    writeFileSync(join(repo, 'node_modules/canon-pkg/index.d.ts'), "export declare enum ManagerMode { UNIFIED = 'unified', ISOLATED = 'isolated' }\n");
    writeFileSync(join(repo, 'node_modules/canon-pkg/index.js'), "export const ManagerMode = { UNIFIED: 'unified', ISOLATED: 'isolated' };\n");
    writeFileSync(join(repo, 'tsconfig.json'), JSON.stringify(tsconfig));
    writeFileSync(join(repo, 'package.json'), '{"type":"module"}');
    const dup = "import { join } from './util.js';\n\nexport enum ManagerMode {\n  UNIFIED = 'unified',\n}\n\nexport const current = ManagerMode.UNIFIED;\nexport const path = join('a');\n";
    const facade = "// ssot-migrate: strangler facade (WSM001).\nimport { ManagerMode as Canonical } from 'canon-pkg';\n\nexport const ManagerMode = Canonical;\nexport type ManagerMode = Canonical;\n";
    writeFileSync(join(repo, 'src/util.ts'), readFileSync(join(dir, 'util.ts'), 'utf8'));
    writeFileSync(join(repo, 'src/dup.ts'), dup);
    writeFileSync(join(repo, 'src/facade.ts'), facade);
    const m = withDefaults({ canonical: { module: 'canon-pkg', exports: ['ManagerMode'], contextType: 'C', factory: 'ManagerMode' }, duplicateTypes: [{ name: 'ManagerMode', canonicalModule: 'canon-pkg' }] });
    const files = listRepoFiles(repo).filter((f) => f.startsWith('src/'));
    const r = await consolidateTypes(repo, m, buildPhaseContext(repo, m, files), files);
    apply(repo, r);
    expect(r.changes.map((c) => c.file)).toEqual(['src/dup.ts']);
    expect(readFileSync(join(repo, 'src/dup.ts'), 'utf8')).toBe("import { join } from './util.js';\nimport { ManagerMode } from 'canon-pkg';\n\nexport { ManagerMode };\n\nexport const current = ManagerMode.UNIFIED;\nexport const path = join('a');\n");
    expect(readFileSync(join(repo, 'src/facade.ts'), 'utf8')).toBe(facade);
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'tsconfig.json')], { encoding: 'utf8' });
    expect(tsc.stdout).toBe('');
    const again = await consolidateTypes(repo, m, buildPhaseContext(repo, m, files), files);
    expect(again.changes).toEqual([]);
  }, 300_000);
});
