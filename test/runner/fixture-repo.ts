/**
 * A small real git repository with a manifest and its own typecheck/test commands, plus a
 * toy toolkit (OLD → NEW text rewrite) so the runner's mechanics are tested apart from the
 * codemods. The codemods' own phases are tested end to end on examples/legacy-app elsewhere.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { PhaseToolkit, PhasePlan, FileWrite } from '../../scripts/runner/index.js';

export function git(repo: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
}

export function makeRepo(files: Record<string, string>, manifestPatch: Record<string, unknown> = {}): string {
  const repo = mkdtempSync(path.join(os.tmpdir(), 'ssot-runner-'));
  const manifest = {
    canonical: { module: 'src/canonical', exports: ['NEW', 'createWebSocketManager', 'UserExecutionContext'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
    legacy: [{ id: 'WSM001', module: 'src/old', symbols: { OLD: 'NEW' } }],
    adapters: [],
    duplicateTypes: [],
    phases: ['discover', 'rewrite-imports'],
    verify: { typecheck: 'node typecheck.mjs', test: 'node test.mjs' },
    ...manifestPatch,
  };
  const all: Record<string, string> = {
    'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n`,
    // Prints one tsc-style diagnostic per BROKEN token, like `tsc --noEmit` would.
    'typecheck.mjs': `import fs from 'node:fs';\nlet n = 0;\nfor (const f of fs.readdirSync('src')) for (const l of fs.readFileSync('src/' + f, 'utf8').split('\\n')) if (l.includes('BROKEN')) { n++; console.log('src/' + f + '(1,1): error TS2304: Cannot find name BROKEN.'); }\nprocess.exit(n ? 2 : 0);\n`,
    'test.mjs': `import fs from 'node:fs';\nconst bad = fs.readdirSync('src').some((f) => fs.readFileSync('src/' + f, 'utf8').includes('FAILTEST'));\nconsole.log(bad ? 'FAIL test_events' : 'ok');\nprocess.exit(bad ? 1 : 0);\n`,
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  }
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.email', 'test@example.com');
  git(repo, 'config', 'user.name', 'test');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'initial');
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

function srcFiles(repo: string): string[] {
  return readdirSync(path.join(repo, 'src')).map((f) => `src/${f}`);
}

function count(text: string, word: string): number {
  return text.split(word).length - 1;
}

/** OLD → NEW rewrite; `inject` adds text to the first rewritten file (to break verification). */
export function toyToolkit(opts: { inject?: string } = {}): PhaseToolkit {
  return {
    planners: {
      discover: async (repo): Promise<PhasePlan> => ({
        phase: 'discover',
        writes: [{ path: '.ssot/inventory.json', content: `${JSON.stringify({ files: srcFiles(repo) })}\n` }],
        edits: 0,
        summary: 'inventory',
        needsReview: [],
        problems: [],
      }),
      'rewrite-imports': async (repo): Promise<PhasePlan> => {
        const writes: FileWrite[] = [];
        let edits = 0;
        for (const f of srcFiles(repo)) {
          const text = readFileSync(path.join(repo, f), 'utf8');
          const n = count(text, 'OLD');
          if (!n) continue;
          edits += n;
          writes.push({ path: f, content: text.replaceAll('OLD', 'NEW') + (writes.length === 0 && opts.inject ? opts.inject : '') });
        }
        return { phase: 'rewrite-imports', writes, edits, summary: `rewrote ${edits} site(s)`, needsReview: [], problems: [] };
      },
    },
    figures: async (repo) => {
      let oldN = 0;
      let newN = 0;
      const legacySitesByFile: Record<string, number> = {};
      for (const f of srcFiles(repo)) {
        const text = readFileSync(path.join(repo, f), 'utf8');
        const o = count(text, 'OLD');
        oldN += o;
        newN += count(text, 'NEW');
        if (o) legacySitesByFile[f] = o;
      }
      return { compliance: oldN + newN ? (100 * newN) / (oldN + newN) : 100, legacySitesByFile };
    },
  };
}
