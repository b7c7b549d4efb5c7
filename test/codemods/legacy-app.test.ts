import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTransform, type Inventory } from '../../codemods/index.js';
import { NATIVE_TSC } from '../helpers/fixture-manifest.js';
import { BUILT_CLI } from '../runner/cli-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const app = join(root, 'examples/legacy-app');
// TypeScript 7's tsc (test/helpers/fixture-manifest.ts NATIVE_TSC): ~0.9 CPU-s a typecheck of this app
// instead of ~3.0 with the toolkit's 5.9, the same errors (none); the whole migration of the app on 5.9
// stays in test/e2e/migration.test.ts.
const tsc = join(root, NATIVE_TSC);
// the built CLI (dist/, as an installed package runs it; test/runner/built-cli.mjs), not the checkout's bin, which runs the
// sources through tsx: ~0.35 CPU-s more a start for --version, 1.3-2.4 for an init (test/cli/basics.test.ts keeps the checkout's bin)
const bin = BUILT_CLI;
let repo = '';
// real tsc and CLI processes on a shared 2-core machine: generous, not tight
const SLOW = 300_000;

function sh(cmd: string, args: string[], cwd = repo): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const cli = (...args: string[]) => sh(process.execPath, [bin, ...args, '--repo', repo]);
const typecheck = () => sh(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit']);
const gitStatus = () => sh('git', ['status', '--porcelain']).stdout;
const commit = (msg: string) => {
  sh('git', ['add', '-A']);
  sh('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', msg]);
};
const discover = (...more: string[]): Inventory => {
  const r = cli('discover', '--json', ...more);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Inventory;
};

describe.skipIf(!existsSync(join(app, 'ssot.config.json')))('codemods on a copy of examples/legacy-app', () => {
  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'ssot-legacy-app-'));
    cpSync(app, repo, { recursive: true, filter: (src) => !src.includes(`${app}/node_modules`) && !src.includes(`${app}/reports`) });
    const link = sh('bash', [join(repo, 'link-toolkit.sh'), root]);
    expect(link.status, link.stderr).toBe(0);
    sh('git', ['init', '-q']);
    commit('legacy app');
  }, SLOW);
  afterAll(() => {
    if (repo) rmSync(repo, { recursive: true, force: true });
  });

  let before: Inventory;

  it('discover: inventory with duplicates, forms, dangling imports and a compliance %', () => {
    expect(typecheck().status).toBe(0);
    // read-only: prints, or writes only where --out says (here outside the tree); one discover does both
    // (--json to stdout, the Markdown to --out), not a second CLI run of ~2-3 CPU-s
    const out = join(mkdtempSync(join(tmpdir(), 'ssot-inv-')), 'inventory.md');
    before = discover('--out', out);
    expect(before.importSites.length).toBeGreaterThan(30);
    expect(before.forms.map((f) => f.form)).toEqual(expect.arrayContaining(['named', 'aliased', 'namespace', 'type-only', 'mixed-type', 'export-named', 'export-star', 'require', 'dynamic-import', 'import-equals']));
    const dupModes = before.declarations.filter((d) => d.name === 'WebSocketManagerMode' && d.duplicateOf === 'WebSocketManagerMode');
    expect(dupModes.length).toBeGreaterThanOrEqual(2);
    expect(before.dangling.length).toBeGreaterThan(0);
    expect(before.files.failed.map((f) => f.file)).toContain('src/legacy/broken_handler.ts');
    expect(before.compliance.percent).toBeLessThan(100);
    expect(readFileSync(out, 'utf8')).toContain('SSOT compliance');
    expect(gitStatus()).toBe('');
  }, SLOW);

  // The transforms are applied here without the phase runner (no commit, no verification):
  // the runner has its own tests on copies of the app (test/runner, test/e2e).
  it('consolidate-types: compatible duplicates go, incompatible ones are reported, tsc passes', async () => {
    const report = await runTransform('consolidate-types', repo);
    expect(report.summary.changed).toBeGreaterThan(0);
    expect(report.files.flatMap((f) => f.problems).some((p) => p.code === 'incompatible')).toBe(true);
    const tc = typecheck();
    expect(tc.stdout).toBe('');
    expect(tc.status).toBe(0);
    const again = await runTransform('consolidate-types', repo, { dryRun: true });
    expect(again.summary.changed).toBe(0);
    commit('consolidate-types');
  }, SLOW);

  it('rewrite-imports --dry-run reports a diff and writes nothing; the worker pool gives the same result', async () => {
    const inProcess = await runTransform('rewrite-imports', repo, { dryRun: true, options: { workers: 0, typeGuard: false } });
    const pooled = await runTransform('rewrite-imports', repo, { dryRun: true, options: { workers: 2, typeGuard: false } });
    expect(inProcess.diff).toContain("from 'ssot-migrate/canonical'");
    expect(inProcess.diff).toMatch(/^--- a\//m);
    expect(pooled.diff).toBe(inProcess.diff);
    expect(pooled.files).toEqual(inProcess.files);
    expect(gitStatus()).toBe('');
  }, SLOW);

  it('rewrite-imports: applies, tsc passes, compliance rises, a second run changes nothing', async () => {
    const report = await runTransform('rewrite-imports', repo, { options: { typeGuard: true } });
    expect(report.summary.changed).toBeGreaterThan(0);
    const broken = report.files.find((f) => f.file === 'src/legacy/broken_handler.ts');
    expect(broken?.status).toBe('failed');
    expect(broken?.error?.line).toBeGreaterThan(0);
    expect(sh('git', ['diff', '--quiet', '--', 'src/legacy/broken_handler.ts']).status).toBe(0);
    const tc = typecheck();
    expect(tc.stdout).toBe('');
    expect(tc.status).toBe(0);
    const after = discover();
    expect(after.compliance.percent).toBeGreaterThan(before.compliance.percent);
    rmSync(join(repo, '.ssot'), { recursive: true, force: true });
    commit('rewrite-imports');
    const again = await runTransform('rewrite-imports', repo, { dryRun: true, options: { typeGuard: true } });
    expect(again.summary.changed).toBe(0);
    expect(again.diff).toBe('');
  }, SLOW);

  it('keeps CRLF and BOM files byte-exact outside the edits', () => {
    const crlf = readFileSync(join(repo, 'src/handlers/legacy_handler_crlf.ts'), 'utf8');
    expect(crlf.includes('\r\n')).toBe(true);
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    const bom = readFileSync(join(repo, 'src/handlers/bom_handler.ts'), 'utf8');
    expect(bom.startsWith('\uFEFF')).toBe(true);
  });
});
