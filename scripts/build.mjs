#!/usr/bin/env node
/**
 * Builds the package into dist/: compiled JS, .d.ts and source maps from the runtime folders
 * (tsconfig.build.json), plus the non-TypeScript files the code loads by path at run time, then
 * the CLI's bundle from the compiled JS (dist/bundle/: scripts/bundle.mjs).
 * Runs on `prepare` (npm install in the checkout, installs from git) and `prepack` (npm pack,
 * npm publish). Plain JS, so it needs nothing but the TypeScript devDependency.
 *
 *   node scripts/build.mjs             clean build
 *   node scripts/build.mjs --if-stale  build only when a source is newer than its output, an
 *                                      output is missing, or dist/ holds a file with no source
 *                                      (the tests' global setup and the checkout's demo use it:
 *                                      a scratch copy of the example app imports ssot-migrate
 *                                      through dist/, like an installed package)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE_DIR, BUNDLE_ENTRIES, bundle } from './bundle.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'dist');
const TSCONFIG = path.join(ROOT, 'tsconfig.build.json');
/** Files and folders copied as they are (source → dist): loaded by path at run time, or plain JS with a hand-written .d.ts. */
const ASSETS = [
  'scripts/dashboard/assets',
  'codemods/engine/ts-api.js',
  'codemods/engine/ts-api.d.ts',
  'manifest/ts-load.js',
  'manifest/ts-load.d.ts',
  'codemods/engine/source-text.js',
  'codemods/engine/source-text.d.ts',
  'codemods/engine/read-worker.js',
  'codemods/engine/edits.js',
  'codemods/engine/edits.d.ts',
  'codemods/engine/diff-edits.js',
  'codemods/engine/diff-edits.d.ts',
  'codemods/engine/diff-worker.js',
];

const require = createRequire(import.meta.url);

/** Each runtime source with the compiled file it must have in dist/. */
function expectedOutputs() {
  const ts = require('typescript');
  const parsed = ts.getParsedCommandLineOfConfigFile(TSCONFIG, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail(ts.flattenDiagnosticMessageText(d.messageText, '\n')) });
  if (!parsed) fail(`cannot read ${TSCONFIG}`);
  const out = new Map();
  for (const f of parsed.fileNames) {
    if (f.endsWith('.d.ts')) continue;
    const rel = path.relative(ROOT, f);
    out.set(path.join(DIST, rel.replace(/\.([cm]?)ts$/, '.$1js')), f);
  }
  for (const a of ASSETS) for (const f of walk(path.join(ROOT, a))) out.set(path.join(DIST, path.relative(ROOT, f)), f);
  return out;
}

function walk(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
}

function staleReason() {
  if (!existsSync(DIST)) return 'dist/ is missing';
  const expected = expectedOutputs();
  for (const [out, src] of expected) {
    if (!existsSync(out)) return `${path.relative(ROOT, out)} is missing`;
    if (statSync(out).mtimeMs < statSync(src).mtimeMs) return `${path.relative(ROOT, src)} changed`;
  }
  // the bundle is rebuilt with the rest: only its entries need to exist (it is left out when esbuild is not installed)
  const bundleDir = path.join(DIST, BUNDLE_DIR);
  if (esbuildInstalled()) for (const name of Object.keys(BUNDLE_ENTRIES)) if (!existsSync(path.join(bundleDir, `${name}.js`))) return `dist/${BUNDLE_DIR}/${name}.js is missing`;
  for (const f of walk(DIST)) {
    if (/\.js$/.test(f) && !expected.has(f) && !f.startsWith(bundleDir + path.sep)) return `${path.relative(ROOT, f)} has no source`;
  }
  // the build's own scripts decide what dist/ holds (the bundle's entries and splitting, the assets)
  for (const f of [TSCONFIG, path.join(ROOT, 'tsconfig.json'), fileURLToPath(import.meta.url), path.join(ROOT, 'scripts', 'bundle.mjs')]) if (statSync(f).mtimeMs > statSync(DIST).mtimeMs) return `${path.basename(f)} changed`;
  return undefined;
}

function esbuildInstalled() {
  try {
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds into a fresh folder, then swaps it in with two renames: a process reading dist/
 * meanwhile (a test's scratch app, a running CLI) never sees it half-written or missing.
 */
async function build() {
  const next = `${DIST}.next-${process.pid}`;
  const old = `${DIST}.old-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', TSCONFIG, '--outDir', next], { cwd: ROOT, stdio: 'inherit' });
  if (tsc.status !== 0) {
    rmSync(next, { recursive: true, force: true });
    fail(`tsc -p tsconfig.build.json failed (exit ${tsc.status ?? tsc.signal})`);
  }
  for (const a of ASSETS) cpSync(path.join(ROOT, a), path.join(next, a), { recursive: true, preserveTimestamps: false });
  try {
    if (!(await bundle(next))) process.stderr.write(`build: esbuild is not installed: no dist/${BUNDLE_DIR}/ (the bin loads dist/scripts/cli.js)\n`);
  } catch (err) {
    rmSync(next, { recursive: true, force: true });
    fail(`bundling failed: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(next, DIST);
  rmSync(old, { recursive: true, force: true });
}

function fail(message) {
  process.stderr.write(`build: ${message}\n`);
  process.exit(1);
}

if (process.argv.includes('--if-stale')) {
  const why = staleReason();
  if (why) {
    process.stderr.write(`build: ${why}; building dist/\n`);
    await build();
  }
} else {
  await build();
}
