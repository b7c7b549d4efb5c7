/**
 * A small real git repository with a manifest and its own typecheck/test commands, plus a toy
 * custom phase (`toy-rewrite`, a "module" phase declared in the manifest: OLD from ./old → NEW
 * from ./canonical) so the runner's mechanics are tested apart from the built-in codemods, through
 * the same contract users' own phases use. The figures are the real ones (discover's scan).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { repoStatus, runPhase } from '../../scripts/runner/index.js';
import { git, initAndCommit, writeFiles } from '../helpers/git-repo.js';

export { git };

/** The toy sources most runner tests start from: one import of OLD in src/a.ts. */
export const ONE_SITE: Readonly<Record<string, string>> = { 'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n' };
/** Three uses of OLD in two files. */
export const TWO_FILES: Readonly<Record<string, string>> = { ...ONE_SITE, 'src/b.ts': 'import { OLD } from "./old";\nexport const b = [OLD, OLD];\n' };
/** Two files, the second's import single-quoted. */
export const TWO_FILES_QUOTED: Readonly<Record<string, string>> = { ...ONE_SITE, 'src/b.ts': "import { OLD } from './old';\nexport const b = OLD + 1;\n" };
/** A CRLF file, a commented one, and one without OLD (a phase must leave it alone). */
export const MIXED: Readonly<Record<string, string>> = {
  'src/a.ts': 'import { OLD } from "./old";\r\nexport const a = OLD;\r\n',
  'src/b.ts': '// b\nimport { OLD } from "./old";\nexport const b = [OLD, OLD];\n',
  'src/c.ts': 'export const c = 1;\n',
};

/**
 * A copy of `prepared` (`cp -a`: its history, hooks, notes and cached health) in a new temporary
 * folder: a test starts from a repo whose earlier phases ran once for its whole file.
 */
export function copyRepo(prepared: string, cleanup?: string[]): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-runner-'));
  execFileSync('cp', ['-a', `${prepared}/.`, dir]);
  cleanup?.push(dir);
  return dir;
}

/**
 * `make` runs once, on the first call (the prepared repo is shared); each call resolves to its own
 * copy of it. The prepared repo and the copies are added to `cleanup`.
 */
export function fromTemplate(make: () => Promise<string>, cleanup: string[]): () => Promise<string> {
  let made: Promise<string> | undefined;
  const prepare = async () => {
    const repo = await make();
    cleanup.push(repo);
    return repo;
  };
  return async () => copyRepo(await (made ??= prepare()), cleanup);
}

export function makeRepo(files: Record<string, string>, manifestPatch: Record<string, unknown> = {}): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'ssot-runner-'));
  const manifest = {
    canonical: { module: 'src/canonical', exports: ['NEW', 'createWebSocketManager', 'UserExecutionContext'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
    legacy: [{ id: 'WSM001', module: 'src/old', symbols: { OLD: 'NEW' } }],
    adapters: [],
    duplicateTypes: [],
    phases: ['discover', 'toy-rewrite'],
    customPhases: [{ name: 'toy-rewrite', kind: 'module', path: 'phases/toy-rewrite.mjs', after: 'discover', description: 'OLD → NEW' }],
    verify: { typecheck: 'node typecheck.mjs', test: 'node test.mjs' },
    ...manifestPatch,
  };
  const all: Record<string, string> = {
    'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n`,
    // Prints one tsc-style diagnostic per BROKEN token, like `tsc --noEmit` would.
    'typecheck.mjs': `import fs from 'node:fs';\nlet n = 0;\nfor (const f of fs.readdirSync('src')) for (const l of fs.readFileSync('src/' + f, 'utf8').split('\\n')) if (l.includes('BROKEN')) { n++; console.log('src/' + f + '(1,1): error TS2304: Cannot find name BROKEN.'); }\nprocess.exit(n ? 2 : 0);\n`,
    'test.mjs': `import fs from 'node:fs';\nconst bad = fs.readdirSync('src').some((f) => fs.readFileSync('src/' + f, 'utf8').includes('FAILTEST'));\nconsole.log(bad ? 'FAIL test_events' : 'ok');\nprocess.exit(bad ? 1 : 0);\n`,
    'phases/toy-rewrite.mjs': TOY_REWRITE,
    'src/old.ts': 'export const OLD = 1;\n',
    'src/canonical.ts': 'export const NEW = 1;\n',
    ...files,
  };
  writeFiles(repo, all);
  initAndCommit(repo);
  return repo;
}

/** `makeRepo`, then its discover phase committed (in process: no CLI start). */
export async function makeDiscoveredRepo(files: Record<string, string>, manifestPatch: Record<string, unknown> = {}): Promise<string> {
  const repo = makeRepo(files, manifestPatch);
  const d = await runPhase(repo, 'discover');
  if (d.status !== 'committed') throw new Error(`discover did not commit (${d.status}): ${d.reason ?? ''}`);
  return repo;
}

/** `makeDiscoveredRepo`, then toy-rewrite committed: the repo and toy-rewrite's commit. */
export async function makeToyMigratedRepo(files: Record<string, string>, manifestPatch: Record<string, unknown> = {}): Promise<{ repo: string; toy: string }> {
  const repo = await makeDiscoveredRepo(files, manifestPatch);
  const t = await runPhase(repo, 'toy-rewrite');
  if (t.status !== 'committed' || !t.commit) throw new Error(`toy-rewrite did not commit (${t.status}): ${t.reason ?? ''}`);
  return { repo, toy: t.commit };
}

/**
 * Copies (`cp -a`: history, reflog, notes) of one repo with discover and toy-rewrite committed, made
 * once per test file (in process) on the first call; each call gives a new copy and toy-rewrite's commit.
 */
export function toyMigratedCopies(files: Record<string, string>, cleanup: string[]): () => Promise<{ repo: string; toy: string }> {
  let toy = '';
  const copy = fromTemplate(async () => {
    const m = await makeToyMigratedRepo(files);
    toy = m.toy;
    return m.repo;
  }, cleanup);
  return async () => ({ repo: await copy(), toy });
}

export const headSha = (repo: string): string => git(repo, 'rev-parse', 'HEAD').trim();

/** `status`'s line for one phase (throws when the manifest selects no such phase). */
export async function phaseState(repo: string, phase: string) {
  const line = (await repoStatus(repo)).phases.find((p) => p.phase === phase);
  if (!line) throw new Error(`status has no phase ${phase}`);
  return line;
}

/** A digest of every file's bytes and mode outside .git: equal digests mean byte-identical trees. */
export function treeDigest(repo: string, ignore: string[] = []): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === '.git' || ignore.includes(path.relative(repo, path.join(dir, name)))) continue;
      const abs = path.join(dir, name);
      const st = statSync(abs);
      if (st.isDirectory()) walk(abs);
      else h.update(`${path.relative(repo, abs)}\0${st.mode}\0`).update(readFileSync(abs));
    }
  };
  walk(repo);
  return h.digest('hex');
}

/** OLD → NEW in src/ (the import retargeted to ./canonical); option `inject` appends text to the first rewritten file (to break verification); `fail` makes planning throw it. */
const TOY_REWRITE = `export default function toyRewrite({ files, read, options }) {
  if (options.fail) throw new Error(options.fail);
  const writes = [];
  let edits = 0;
  for (const f of files) {
    if (!f.startsWith('src/') || f === 'src/old.ts' || f === 'src/canonical.ts') continue;
    const text = read(f);
    const n = text.split('OLD').length - 1;
    if (!n) continue;
    edits += n;
    const next = text.replaceAll('"./old"', '"./canonical"').replaceAll('OLD', 'NEW') + (writes.length === 0 && options.inject ? options.inject : '');
    writes.push({ path: f, content: next });
  }
  return { writes, edits, summary: \`rewrote \${edits} site(s)\` };
}
`;
