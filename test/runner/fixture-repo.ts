/**
 * A small real git repository with a manifest and its own typecheck/test commands, plus a toy
 * custom phase (`toy-rewrite`, a "module" phase declared in the manifest: OLD from ./old → NEW
 * from ./canonical) so the runner's mechanics are tested apart from the built-in codemods, through
 * the same contract users' own phases use. The figures are the real ones (discover's scan).
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { initAndCommit, writeFiles } from '../helpers/git-repo.js';

export { git } from '../helpers/git-repo.js';

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
