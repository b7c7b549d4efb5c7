/**
 * The CLI's bundle (dist/bundle/, scripts/bundle.mjs), run with plain node as the installed bin
 * runs it: the same results as the compiled modules, in process and with its pool worker (which
 * must resolve from the bundle to dist/bundle/worker.js), and the shim and canonical modules left
 * out of it, so an app's `ssot-migrate/shim` and the CLI (the dashboard) share one instance.
 * dist/ is built by the global setup (test/helpers/build-dist.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
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

/** The import() calls of a script (its code, not its strings or comments), as text. */
function importCalls(text: string): string[] {
  const sf = ts.createSourceFile('bundle.cjs', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword) found.push(n.getText(sf).slice(0, 80));
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
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
    // a worker beside the main thread: the pool finds dist/bundle/worker.js from the bundle file that holds it
    expect(rewrite(path.join(BUNDLE, 'codemods.js'), repo, 1)).toEqual(compiled);
    // the read-ahead thread's entry is there beside it, self-contained (a missing one is read around after a stall, never an error)
    // and so is the diff thread's (engine/diff-thread.ts: a missing one is worked around after a stall)
    for (const thread of ['read-worker.js', 'diff-worker.js']) {
      const text = readFileSync(path.join(BUNDLE, thread), 'utf8');
      expect([...text.matchAll(/^import [^\n]*from "([^"]+)";$/gm)].map((m) => m[1]!).filter((s) => !s.startsWith('node:')), thread).toEqual([]);
    }
  }, 120_000);

  test('shim and canonical stay out: the bundle requires their compiled modules (one instance with the package exports)', () => {
    const files = readdirSync(BUNDLE).filter((f) => f.endsWith('.cjs') || f.endsWith('.js'));
    const texts = files.map((f) => readFileSync(path.join(BUNDLE, f), 'utf8'));
    // esbuild marks each module it copies in with a `// <path>` line
    expect(texts.filter((t) => /^\/\/ [^\n]*\/(shim|canonical)\/[^\n]*\.js$/m.test(t))).toEqual([]);
    expect(texts.some((t) => t.includes('require("../shim/'))).toBe(true);
  });

  test('each entry is a CommonJS script run from its V8 code cache, with no import() of its own (a vm.Script has no loader for it on Node 20)', () => {
    for (const entry of ['cli', 'codemods', 'worker']) {
      expect(readFileSync(path.join(BUNDLE, `${entry}.js`), 'utf8')).toContain(`loadBundle(new URL('./${entry}.cjs', import.meta.url)`);
      const text = readFileSync(path.join(BUNDLE, `${entry}.cjs`), 'utf8');
      // the code-cache loader and the import() of what the bundle does not hold stay outside it (one instance each)
      expect(text).not.toMatch(/^\/\/ [^\n]*manifest\/ts-load\.js$/m);
      expect(text).not.toMatch(/^\/\/ [^\n]*engine\/dynamic-import\.js$/m);
      // no import() call left in its code: every external one goes through engine/dynamic-import.ts
      expect(importCalls(text), entry).toEqual([]);
    }
  });

  test('what loads on use stays apart: loading an entry loads no ts-morph (remove-adapters, context threading)', () => {
    for (const entry of ['cli.js', 'codemods.js']) {
      const script = `import { createRequire } from 'node:module';
await import(${JSON.stringify(pathToFileURL(path.join(BUNDLE, entry)).href)});
process.stdout.write(JSON.stringify(Object.keys(createRequire(import.meta.url).cache).filter((f) => f.includes('ts-morph'))));`;
      expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })), entry).toEqual([]);
    }
  });

  test('TypeScript loads on first use, not with an entry: git can start before it (codemods/engine/ts-api.js)', () => {
    const loaded = `Object.keys(createRequire(import.meta.url).cache).filter((f) => /[\\/]typescript[\\/]lib[\\/]typescript\\.js$/.test(f)).length`;
    for (const entry of ['cli.js', 'codemods.js']) {
      const script = `import { createRequire } from 'node:module';
await import(${JSON.stringify(pathToFileURL(path.join(BUNDLE, entry)).href)});
process.stdout.write(JSON.stringify(${loaded}));`;
      expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })), entry).toBe(0);
    }
    // the first read loads it, and the engine's parse works through it
    const script = `import { createRequire } from 'node:module';
const m = await import(${JSON.stringify(pathToFileURL(path.join(BUNDLE, 'codemods.js')).href)});
const before = ${loaded};
const { parsed } = (await m.runTransform('rewrite-imports', ${JSON.stringify(repo)}, { dryRun: true, options: { typeGuard: false } })).summary;
process.stdout.write(JSON.stringify({ before, after: ${loaded}, parsed: parsed > 0, state: m.typescriptCodeCache.state }));`;
    const { NODE_DISABLE_COMPILE_CACHE: _, ...env } = process.env;
    expect(JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env }))).toMatchObject({ before: 0, after: 1, parsed: true, state: expect.stringMatching(/^(hit|miss|rejected|invalid)$/) });
  });
});
