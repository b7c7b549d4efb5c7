/**
 * The CLI's bundle (dist/bundle/, scripts/bundle.mjs), run with plain node as the installed bin
 * runs it: the same results as the compiled modules, in process and with its pool worker (which
 * must resolve from a chunk to dist/bundle/worker.js), and the shim and canonical modules left
 * out of it, so an app's `ssot-migrate/shim` and the CLI (the dashboard) share one instance.
 * dist/ is built by the global setup (test/helpers/build-dist.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { genMonorepo } from '../../scripts/gen-monorepo.js';
import { initAndCommit } from '../helpers/git-repo.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUNDLE = path.join(ROOT, 'dist', 'bundle');

/** rewrite-imports --dry-run through `api` (a built module exporting runTransform) in a plain node child: its summary and diff. */
function rewrite(api: string, repo: string, workers: number): { summary: Record<string, number>; diff: string } {
  // a script file, not `node -e`: a worker thread inherits the parent's flags, and --input-type fails a worker's file entry
  const script = path.join(path.dirname(repo), `${path.basename(repo)}-rewrite.mjs`);
  writeFileSync(
    script,
    `const { runTransform } = await import(${JSON.stringify(pathToFileURL(api).href)});
const r = await runTransform('rewrite-imports', ${JSON.stringify(repo)}, { dryRun: true, options: { typeGuard: false, workers: ${workers} } });
process.stdout.write(JSON.stringify({ summary: r.summary, diff: r.diff }));
`,
  );
  try {
    return JSON.parse(execFileSync(process.execPath, [script], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 })) as { summary: Record<string, number>; diff: string };
  } finally {
    rmSync(script, { force: true });
  }
}

describe('the CLI bundle', () => {
  let repo = '';
  beforeAll(async () => {
    repo = mkdtempSync(path.join(os.tmpdir(), 'ssot-bundle-'));
    // enough files for the read-ahead thread (engine/read-ahead.ts) in process, few enough to parse for no pool
    await genMonorepo({ dir: repo, files: 3500, affected: 0.2, seed: 3 });
    initAndCommit(repo);
  }, 120_000);
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  test('the bin loads it when installed: `--version` from dist/bundle/cli.js', () => {
    const out = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const { main } = await import(${JSON.stringify(path.join(BUNDLE, 'cli.js'))}); process.exitCode = await main(['--version']);`],
      { encoding: 'utf8' },
    );
    expect(out).toBe(`${JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
    expect(readFileSync(path.join(ROOT, 'bin', 'ssot-migrate.js'), 'utf8')).toMatch(/dist\/bundle\/cli\.js/);
  });

  test('rewrite-imports from the bundle gives what the compiled modules give, in process and on its worker', () => {
    const compiled = rewrite(path.join(ROOT, 'dist', 'codemods', 'index.js'), repo, 0);
    expect(compiled.summary['changed']).toBeGreaterThan(10);
    expect(rewrite(path.join(BUNDLE, 'codemods.js'), repo, 0)).toEqual(compiled);
    // a worker beside the main thread: the pool finds dist/bundle/worker.js from the chunk that holds it
    expect(rewrite(path.join(BUNDLE, 'codemods.js'), repo, 1)).toEqual(compiled);
    // the read-ahead thread's entry is there beside it, self-contained (a missing one is read around after a stall, never an error)
    const readWorker = readFileSync(path.join(BUNDLE, 'read-worker.js'), 'utf8');
    expect([...readWorker.matchAll(/^import [^\n]*from "([^"]+)";$/gm)].map((m) => m[1]!).filter((s) => !s.startsWith('node:'))).toEqual([]);
  }, 120_000);

  test('shim and canonical stay out: the bundle imports their compiled modules (one instance with the package exports)', () => {
    const chunks = readdirSync(BUNDLE).filter((f) => f.endsWith('.js'));
    const texts = chunks.map((f) => readFileSync(path.join(BUNDLE, f), 'utf8'));
    // esbuild marks each module it copies in with a `// <path>` line
    expect(texts.filter((t) => /^\/\/ [^\n]*\/(shim|canonical)\/[^\n]*\.js$/m.test(t))).toEqual([]);
    expect(texts.some((t) => t.includes('from "../shim/'))).toBe(true);
  });

  test('what loads on use stays apart: ts-morph (remove-adapters, context threading) is in no chunk an entry loads at start', () => {
    // static imports only (`import … from "./x.js"`, `import "./x.js"`), not the import() of a phase loaded on use
    const statics = (file: string): string[] => [...readFileSync(path.join(BUNDLE, file), 'utf8').matchAll(/^import (?:[^;]*? from )?"([^"]+)";$/gm)].map((m) => m[1]!);
    for (const entry of ['cli.js', 'codemods.js', 'worker.js']) {
      const seen = new Set<string>();
      const packages = new Set<string>();
      const visit = (file: string): void => {
        if (seen.has(file)) return;
        seen.add(file);
        for (const s of statics(file))
          if (s.startsWith('./')) visit(s.slice(2));
          else if (!s.startsWith('.') && !s.startsWith('node:')) packages.add(s);
      };
      visit(entry);
      expect([...packages], entry).not.toContain('ts-morph');
    }
  });
});
