/**
 * The package as a team gets it: `npm pack` → install the tarball into scratch git copies of the
 * two example backends, whose own TypeScript is 7.x (native, no JS API) — no access to this
 * checkout's sources or node_modules: only the tarball and the registry's packages —, then:
 *
 * - examples/legacy-app: the installed bin runs --version, discover (from a subfolder, in process
 *   and on worker threads), run discover, move-declarations and strangle → a consumer app that
 *   imports ssot-migrate/canonical, /shim and /manifest, and the facades strangle wrote, compile
 *   under the strictest user flags (TypeScript 7, the 5.9 the toolkit brings, and 5.4; NodeNext
 *   and Bundler; skipLibCheck false) → the compiled app runs under plain node and exchanges the
 *   five events with a canonical server over loopback → a .cts file require()s the canonical
 *   module → the app's own suite runs under the installed shim (toggled to legacy, telemetry
 *   recorded and read back, the dashboard serves it) → `run --all` killed while it verifies
 *   rewrite-imports, `recover` → `status --telemetry` judges the suite's calls *in use*. The rest of
 *   this app's migration is test/e2e/migration.test.ts's (from the checkout: the same phases on the
 *   same app, with the gate refusing on this suite's recorded calls, the comment policy `rewrite` and
 *   the manifest's deletions checked there); the installed bin's `run --all` to the end, remove-shim
 *   `--without-telemetry` and the end state through `status` / `review` are the generated repo's below
 *   (its remove-adapters threads context, and its CommonJS islands hold the app's require() forms).
 * - examples/relay-backend, installed: custom phases (a TypeScript one without tsx; the shipped
 *   jscodeshift transform on the optional peer, verified by the app's own typecheck and its 19
 *   tests, read by `review`, reverted by `rollback`).
 * - a generated repo (scripts/gen-monorepo.ts) installed with pnpm's strict layout: the whole
 *   migration through the installed bin, `run --all` then remove-shim `--without-telemetry`, to the
 *   end state the checkout's e2e reaches. No checkout test migrates this repo in full (the relay
 *   app's whole migration, the second backend here before, is test/relay-backend/all-phases.test.ts's
 *   from the checkout); its consumers hold every import form the codemods handle.
 *
 * One pack serves every test here; the legacy app is installed once (from the local npm cache,
 * --prefer-offline), the relay app gets a copy of that fresh install (the same packages: see copyInstall),
 * the generated repo its own pnpm install. The tests of a describe run in order on the same scratch repo.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { genMonorepo } from '../../scripts/gen-monorepo.js';
import { expectCommittedTreeVerified } from '../helpers/phased-migration.js';
import { startPrometheus, type PrometheusHandle } from '../helpers/prometheus-server.js';
import { startRedisServer } from '../helpers/redis-server.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The modules a file loads: imports, re-exports, `import x = require()`, require() and import()
 * with a literal, `import('x').T` types and `/// <reference types>`. Parsed, not scanned:
 * ts.preProcessFile's scanner loses its place after a regular expression holding `{` or a
 * backtick inside a template literal, and then reads a comment's `require('…')` as code.
 */
function loadedModules(file: string, text: string): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, /\.(c|m)?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const found = sf.typeReferenceDirectives.map((d) => d.fileName);
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) found.push(n.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(n) && ts.isExternalModuleReference(n.moduleReference) && ts.isStringLiteral(n.moduleReference.expression)) found.push(n.moduleReference.expression.text);
    else if (ts.isCallExpression(n) && (n.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(n.expression) && n.expression.text === 'require')) && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) found.push(n.arguments[0].text);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) found.push(n.argument.literal.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

const APP_SOURCE = path.join(ROOT, 'examples', 'legacy-app');
const RELAY_SOURCE = path.join(ROOT, 'examples', 'relay-backend');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
  devDependencies: Record<string, string>;
};
/** The TypeScript 7 the test backends check with (test/tools/typescript-native): one pin, so a new 7.x release changes no result unseen. */
const TYPESCRIPT_7 = `typescript@${(JSON.parse(readFileSync(path.join(ROOT, 'test/tools/typescript-native/package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['typescript']}`;
/** What the example apps' own scripts need (`tsc`, `vitest`), as a team installs them: TypeScript 7, and the vitest and @types/node this repo tests with. */
const APP_DEV_DEPS = [TYPESCRIPT_7, `vitest@${PKG.devDependencies['vitest']}`, `@types/node@${PKG.devDependencies['@types/node']}`];
/** The built-in phases in registry order (codemods/phase/registry.ts; both manifests select all seven). */
const PHASES = ['discover', 'move-declarations', 'strangle', 'consolidate-types', 'rewrite-imports', 'remove-adapters', 'remove-shim'];

/** The flags a strict team builds with; our declarations and what strangle writes must pass them. */
const STRICT = {
  target: 'ES2022',
  lib: ['ES2023'],
  strict: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  skipLibCheck: false,
  types: ['node'],
};
const MODES = { nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' }, bundler: { module: 'ESNext', moduleResolution: 'Bundler' } } as const;

// Child npm/tsc/vitest runs must not inherit the npm_* settings of an outer `npm test`, this
// vitest's worker settings (a nested vitest would take them for its own) or a shim mode.
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|NODE_OPTIONS$|SSOT_SHIM)/i.test(k)));

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(cmd: string, args: string[], cwd: string, opts: { timeout?: number; env?: NodeJS.ProcessEnv } = {}): Run {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: opts.timeout ?? 120_000, env: { ...cleanEnv(), ...opts.env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(cmd: string, args: string[], cwd: string, opts?: { timeout?: number; env?: NodeJS.ProcessEnv }): Run {
  const r = run(cmd, args, cwd, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.code}\n${r.out}\n${r.err}`);
  return r;
}

interface PackFile {
  path: string;
  size: number;
}
interface PackInfo {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: PackFile[];
}

let work = '';
let pack: PackInfo;
let tarball = '';
let app = '';
/** Where the legacy app's suite, run under the installed shim after strangle, recorded its calls. */
let telemetryFile = '';
let consumer = '';
let ts54 = '';
const tsc7 = () => path.join(app, 'node_modules/typescript/bin/tsc');
const tsc59 = () => path.join(app, 'node_modules/ssot-migrate/node_modules/typescript/bin/tsc');
const tsc54 = () => path.join(ts54, 'node_modules/typescript/bin/tsc');
const bin = (repo = app) => path.join(repo, 'node_modules/.bin/ssot-migrate');
const npmInstall = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const npmInstallOnline = ['install', '--prefer-online', '--no-audit', '--no-fund', '--loglevel=error'];

/**
 * `npm install` from the local cache first; when the cache's metadata of a package predates a
 * version a dependency now asks for (ETARGET: e.g. a new @babel/* release pinned by another), once
 * more against the registry.
 */
function npmInstalled(args: string[], cwd: string, opts?: { timeout?: number }): Run {
  const first = run('npm', [...npmInstall, ...args], cwd, opts);
  if (first.code === 0) return first;
  if (!/ETARGET|No matching version/.test(first.out + first.err)) throw new Error(`npm ${[...npmInstall, ...args].join(' ')} (in ${cwd}) exited ${first.code}\n${first.out}\n${first.err}`);
  return ok('npm', [...npmInstallOnline, ...args], cwd, opts);
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** tsc diagnostics (`--pretty false`), optionally only those in the given files. */
/** tsc's diagnostics (`--pretty false`: one line each, `file(line,col): error TSnnnn: …`). */
function tsc(compiler: string, project: string, cwd: string): { code: number | null; errors: string[] } {
  const r = run(process.execPath, [compiler, '-p', project, '--pretty', 'false'], cwd, { timeout: 300_000 });
  return { code: r.code, errors: (r.out + r.err).split('\n').filter((l) => /error TS\d+/.test(l)) };
}

const CONSUMER_MAIN = `// A team's app on the installed package: canonical server + client, the shim, the manifest.
import { readFileSync } from 'node:fs';
import { connectClient, createUserExecutionContext, createWebSocketManager, createWebSocketServer, mintToken, type EventEnvelope } from 'ssot-migrate/canonical';
import { defineLegacyFunction, getShimRuntime } from 'ssot-migrate/shim';
import { parseManifest, type SsotManifest } from 'ssot-migrate/manifest';
import { VERSION } from 'ssot-migrate';

console.log(\`root: ssot-migrate \${VERSION}\`);
const manifestFile = process.argv[2];
if (manifestFile === undefined) throw new Error('usage: node out/main.js MANIFEST');
const manifest: SsotManifest = parseManifest(readFileSync(manifestFile, 'utf8'), manifestFile);
console.log(\`manifest: \${manifest.legacy.length} legacy modules, canonical \${manifest.canonical.module}\`);

const legacyGreeting = defineLegacyFunction({ id: 'WSM900', symbol: 'legacyGreeting', replacement: 'greeting()' }, (name: string) => \`hello \${name}\`);
const greeting = legacyGreeting('pack');
const calls = getShimRuntime().telemetry.snapshot().filter((r) => r.id === 'WSM900').reduce((n, r) => n + r.count, 0);
console.log(\`shim: \${greeting}, WSM900 calls \${calls}\`);

const key = new TextEncoder().encode('pack-test-secret-0123456789abcdef0123');
const issuer = 'https://auth.pack.test';
const audience = 'ssot-ws';
const server = await createWebSocketServer({ port: 0, host: '127.0.0.1', auth: { key, algorithms: ['HS256'], issuer, audience }, allowedOrigins: ['https://app.pack.test'] });
const token = await mintToken({ userId: 'alice', key, issuer, audience });
const client = await connectClient({ url: server.url(), token, heartbeatIntervalMs: 0, reconnect: false });
const received: EventEnvelope[] = [];
const allFive = new Promise<void>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(\`timed out with \${received.length} of 5 events\`)), 10_000);
  client.on('event', (e) => {
    received.push(e);
    if (received.length === 5) {
      clearTimeout(timer);
      resolve();
    }
  });
});
const ws = createWebSocketManager(createUserExecutionContext({ userId: 'alice', threadId: 'thread-1', runId: 'run-1' }));
await ws.emit('agent_started', { agentName: 'triage' });
await ws.emit('agent_thinking', { reasoning: 'looking up the order' });
await ws.emit('tool_executing', { toolName: 'orders.get', parameters: { id: 42 } });
await ws.emit('tool_completed', { toolName: 'orders.get', results: { status: 'shipped' }, durationMs: 12 });
await ws.emit('agent_completed', { status: 'success', finalResponse: 'Order 42 shipped.' });
await allFive;
console.log(\`events: \${received.map((e) => \`\${e.type}#\${e.seq}@\${e.userId}\`).join(' ')}\`);
await client.close();
await server.close();
`;

const CONSUMER_CTS = `// A CommonJS island requiring the canonical module (Node >= 20.19 loads ES modules with require()).
import canonical = require('ssot-migrate/canonical');

const ctx = canonical.createUserExecutionContext({ userId: 'bob', threadId: 't1', runId: 'r1' });
console.log(\`cjs: \${typeof canonical.createWebSocketManager} \${ctx.userId} \${canonical.CRITICAL_EVENT_TYPES.length} event types\`);
`;

const CONSUMER_REDIS = `// Two instances of a team's server sharing one Redis: the bus from the package's public entry.
import { ConnectionHub, connectClient, createRedisBus, createUserExecutionContext, createWebSocketManager, createWebSocketServer, mintToken, type EventEnvelope } from 'ssot-migrate/canonical';

const url = process.argv[2];
if (url === undefined) throw new Error('usage: node out/redis-bus.js REDIS_URL');
const keyPrefix = \`pack\${process.pid}:\`;
// instance A runs the agent (no socket of its own); instance B holds alice's socket
const busA = createRedisBus({ url, keyPrefix });
const busB = createRedisBus({ url, keyPrefix });
const hubA = new ConnectionHub({ bus: busA });
const hubB = new ConnectionHub({ bus: busB });
await Promise.all([busA.ready(), busB.ready()]);

const key = new TextEncoder().encode('pack-test-secret-0123456789abcdef0123');
const issuer = 'https://auth.pack.test';
const audience = 'ssot-ws';
const server = await createWebSocketServer({ hub: hubB, port: 0, host: '127.0.0.1', auth: { key, algorithms: ['HS256'], issuer, audience }, allowedOrigins: ['https://app.pack.test'] });
const token = await mintToken({ userId: 'alice', key, issuer, audience });
const client = await connectClient({ url: server.url(), token, heartbeatIntervalMs: 0, reconnect: false });
const got = new Promise<EventEnvelope>((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('no event crossed from hub A to hub B within 10 s')), 10_000);
  client.on('event', (e) => {
    clearTimeout(timer);
    resolve(e);
  });
});
const ws = createWebSocketManager(createUserExecutionContext({ userId: 'alice', threadId: 'thread-r', runId: 'run-r' }), { hub: hubA });
await ws.emit('agent_started', { agentName: 'across' });
const e = await got;
console.log(\`redis: \${e.type}#\${e.seq}@\${e.userId} \${e.type === 'agent_started' ? e.agentName : '?'} via hub B\`);
await client.close();
await server.close();
await Promise.all([hubA.close(), hubB.close()]);
await Promise.all([busA.close(), busB.close()]);
`;

const CONSUMER_LIVE = `// A team's server, run inside \`ssot-migrate dashboard --live --run\`: a legacy entry point through
// the shim, and the app's own /metrics from the shim's prom-client registry (what Prometheus scrapes).
import { createServer } from 'node:http';
import { defineLegacyFunction, getShimRuntime } from 'ssot-migrate/shim';

const legacyGreeting = defineLegacyFunction({ id: 'WSM901', symbol: 'legacyGreeting', replacement: 'greeting()' }, (name: string) => \`hello \${name}\`);
const registry = getShimRuntime().telemetry.registry;
const server = createServer((req, res) => {
  if (req.url === '/metrics') {
    void registry.metrics().then((text) => {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    });
    return;
  }
  res.end(legacyGreeting(req.url ?? '/'));
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(\`app on \${typeof address === 'object' && address !== null ? address.port : address}\`);
});
`;

/**
 * A scratch git repo of an example app (its tracked files only: no node_modules, reports or .ssot
 * of a local run) with the tarball and the app's own tools installed, all committed: the state a
 * team is in after `npm install --save-dev ssot-migrate` and a commit.
 */
function installedApp(source: string, dir: string, message: string): void {
  copyTracked(source, dir);
  npmInstalled(['--save-dev', tarball, ...APP_DEV_DEPS], dir, { timeout: 240_000 });
  commitInstalled(dir, message);
}

function copyTracked(source: string, dir: string): void {
  const files = ok('git', ['ls-files', '-z', '--', '.'], source).out.split('\0').filter(Boolean);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    cpSync(path.join(source, f), path.join(dir, f));
  }
}

/** The commands that make `dir` a git repo of what it holds, in one commit. */
const gitInit = (message: string): string[][] => [
  ['init', '-q', '-b', 'main'],
  ['config', 'user.email', 'pack@ssot-migrate.invalid'],
  ['config', 'user.name', 'pack-test'],
  ['config', 'core.autocrlf', 'false'],
  ['add', '-A'],
  ['commit', '-qm', message],
];

function commitInstalled(dir: string, message: string): void {
  for (const args of gitInit(message)) ok('git', args, dir);
  expectIsolated(dir);
}

function expectIsolated(dir: string): void {
  // Isolated from this checkout: the scratch folder has no node_modules above it, and ssot-migrate resolves to the installed copy.
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) expect(existsSync(path.join(d, 'node_modules')), d).toBe(false);
  expect(realpathSync(path.join(dir, 'node_modules/ssot-migrate'))).toBe(path.join(dir, 'node_modules/ssot-migrate'));
}

/**
 * The relay app installed as the legacy app is (`npm install --save-dev` of the tarball and APP_DEV_DEPS into an app
 * with no dependencies of its own, then one commit): the legacy app's fresh install copied (`cp -a` of node_modules,
 * its package-lock and devDependencies under the relay app's name), not the same install from the same cache a second
 * time (~11 CPU-s). Made right after the legacy app's install, before anything of the legacy tests runs in it.
 */
function copyInstall(from: string, source: string, dir: string, message: string): void {
  copyTracked(source, dir);
  const own = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name: string; version: string };
  const installed = JSON.parse(readFileSync(path.join(from, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  writeJson(path.join(dir, 'package.json'), { ...own, devDependencies: installed.devDependencies });
  const lock = JSON.parse(readFileSync(path.join(from, 'package-lock.json'), 'utf8')) as { name: string; version: string; packages: Record<string, Record<string, unknown>> };
  writeJson(path.join(dir, 'package-lock.json'), { ...lock, name: own.name, version: own.version, packages: { ...lock.packages, '': { ...lock.packages[''], name: own.name, version: own.version } } });
  ok('cp', ['-a', path.join(from, 'node_modules'), path.join(dir, 'node_modules')], work);
  commitInstalled(dir, message);
}

/** The relay app (examples/relay-backend), installed: see copyInstall. */
let relay = '';

beforeAll(() => {
  work = realpathSync(mkdtempSync(path.join(tmpdir(), 'ssot-pack-')));
  // The tarball (prepack rebuilds dist/ only if a source is newer: see scripts/build.mjs).
  const packed = ok('npm', ['pack', '--json', '--pack-destination', work], ROOT, { timeout: 240_000 });
  pack = (JSON.parse(packed.out) as PackInfo[])[0]!;
  console.log(`tarball ${pack.filename}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked`);
  tarball = path.join(work, pack.filename);
}, 300_000);

afterAll(() => {
  if (work && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(work, { recursive: true, force: true });
}, 600_000);

describe('npm pack → install → strict tsc → run', () => {
  beforeAll(() => {
    // 2. A scratch git copy of the example backend; its own TypeScript is 7.x, its verify commands its typecheck and its vitest suite.
    app = path.join(work, 'app');
    installedApp(APP_SOURCE, app, 'legacy app with ssot-migrate installed');
    relay = path.join(work, 'relay');
    copyInstall(app, RELAY_SOURCE, relay, 'relay backend with ssot-migrate installed');

    // 3. TypeScript 5.4, the oldest compiler checked against our declarations.
    ts54 = path.join(work, 'ts54');
    mkdirSync(ts54);
    writeJson(path.join(ts54, 'package.json'), { private: true });
    npmInstalled(['typescript@~5.4.5'], ts54, { timeout: 240_000 });

    // 4. A consumer app sharing the install.
    consumer = path.join(work, 'consumer');
    mkdirSync(path.join(consumer, 'src'), { recursive: true });
    symlinkSync(path.join(app, 'node_modules'), path.join(consumer, 'node_modules'), 'dir');
    writeJson(path.join(consumer, 'package.json'), { name: 'consumer', private: true, type: 'module' });
    writeFileSync(path.join(consumer, 'src/main.ts'), CONSUMER_MAIN);
    writeFileSync(path.join(consumer, 'src/cjs.cts'), CONSUMER_CTS);
    writeFileSync(path.join(consumer, 'src/redis-bus.ts'), CONSUMER_REDIS);
    writeFileSync(path.join(consumer, 'src/live.ts'), CONSUMER_LIVE);
    writeJson(path.join(consumer, 'tsconfig.json'), { compilerOptions: { ...STRICT, ...MODES.nodenext, rootDir: 'src', outDir: 'out' }, include: ['src'] });
  }, 600_000);

  test('the tarball holds the build, the bin, the schema and docs — no tests, fixtures, bench, examples or screenshots', () => {
    const files = pack.files.map((f) => f.path);
    const forbidden = files.filter((f) => /(^|\/)(test|tests|__tests__|__testfixtures__|__fixtures__|fixtures|bench|examples|docs|screenshots|\.ci)\//.test(f) || /\.test\.[cm]?[jt]s$|\.png$|(^|\/)vitest\.config|\.tsbuildinfo$/.test(f));
    expect(forbidden).toEqual([]);
    // no TypeScript sources: users' tsc sees declarations only
    expect(files.filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f))).toEqual([]);
    for (const target of Object.values(PKG.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) expect(files).toContain(target.replace(/^\.\//, ''));
    for (const f of [PKG.bin['ssot-migrate']!, 'dist/codemods/engine/worker.js', 'dist/codemods/engine/ts-api.js', 'dist/scripts/dashboard/assets/index.html', 'dist/bundle/cli.js', 'dist/bundle/worker.js', 'README.md']) expect(files).toContain(f.replace(/^\.\//, ''));
    // The size follows the runtime module count, not a fixed cap: every file under dist/ comes
    // from one runtime source module (its .js, .d.ts and .js.map) or asset, or is the CLI's bundle
    // of them (dist/bundle/: each entry's CommonJS script and the ES module that loads it, scripts/bundle.mjs), and outside dist/
    // only the bin, package.json, the schema and the READMEs ship.
    expect(files.filter((f) => !f.startsWith('dist/')).length).toBeLessThan(16);
    // every package path the docs tell a team to write (the schema, a shipped custom-phase transform) is in the tarball
    for (const doc of ['README.md', 'MIGRATION.md', 'manifest/README.md', 'codemods/README.md'])
      for (const m of readFileSync(path.join(ROOT, doc), 'utf8').matchAll(/node_modules\/ssot-migrate\/([\w./-]*\w)/g)) expect(files.some((f) => f === m[1] || f.startsWith(`${m[1]}/`)), `${doc}: ${m[0]}`).toBe(true);
    const orphans = files
      .filter((f) => f.startsWith('dist/') && !/^dist\/bundle\/((cli|worker|codemods)\.(cjs|cjs\.map|js)|(read|diff)-worker\.js(\.map)?)$/.test(f))
      .map((f) => f.slice('dist/'.length))
      .filter((f) => {
        const stem = f.replace(/\.(d\.ts|js\.map|js)$/, '');
        return ![`${stem}.ts`, `${stem}.js`, `${stem}.mjs`, f].some((src) => existsSync(path.join(ROOT, src)));
      });
    expect(orphans).toEqual([]);
  });

  test('the install keeps the toolkit on its own TypeScript 5.9 next to the repo’s TypeScript 7', () => {
    expect(ok(process.execPath, [tsc7(), '--version'], app).out).toMatch(/Version 7\./);
    expect(JSON.parse(readFileSync(path.join(app, 'node_modules/ssot-migrate/node_modules/typescript/package.json'), 'utf8')).version).toMatch(/^5\.9\./);
    expect(existsSync(path.join(app, 'node_modules/jscodeshift'))).toBe(false); // optional peer: not installed
    expect(existsSync(path.join(app, 'node_modules/tsx'))).toBe(false); // no loader at run time
  });

  test('the installed bin: --version; demo says it is repository-only; discover from a subfolder finds the repo root, in process and on worker threads', () => {
    expect(ok(bin(), ['--version'], app).out).toBe(`${PKG.version}\n`);
    const demo = run(bin(), ['demo'], app);
    expect(demo.code).toBe(2);
    expect(demo.err).toMatch(/only in a checkout of the ssot-migrate repository/);
    expect(demo.err).not.toMatch(/\n\s+at /);
    const d = ok(bin(), ['discover', '--dry-run', '--json', '--workers', '0'], path.join(app, 'src', 'websocket_core'));
    const inv = JSON.parse(d.out) as { compliance: { total: number; percent: number }; declarations: unknown[] };
    expect(inv.compliance.total).toBeGreaterThan(40);
    expect(inv.compliance.percent).toBe(0);
    expect(inv.declarations.length).toBeGreaterThan(5);
    // The same scan on the worker pool: the installed package starts its compiled worker.js (no tsx).
    const pooled = JSON.parse(ok(bin(), ['discover', '--dry-run', '--json', '--workers', '2'], app).out) as typeof inv;
    expect(pooled.compliance).toEqual(inv.compliance);
    expect(pooled.declarations).toEqual(inv.declarations);
    // typescript.js's V8 code cache, written next to the toolkit's own installed typescript (codemods/engine/ts-api.js: nested
    // under ssot-migrate here, the app's being 7.x) by the first run, loaded by the second run's main thread and workers
    const ownTs = path.dirname(createRequire(path.join(app, 'node_modules', 'ssot-migrate', 'package.json')).resolve('typescript/package.json'));
    const cacheDir = path.join(ownTs, '..', '.cache', 'ssot-migrate');
    expect(readdirSync(cacheDir).filter((f) => /^typescript-.+\.bin$/.test(f))).toHaveLength(1);
    const missing = run(bin(), ['status', '--repo', path.join(work, 'nope')], app);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such directory/);
    // SSOT_DEBUG=1 adds the stack, mapped from the bundle's chunks back to the TypeScript sources
    const broken = path.join(work, 'broken-manifest');
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, 'ssot.config.json'), '{\n');
    for (const args of gitInit('broken manifest')) ok('git', args, broken);
    const plain = run(bin(), ['status'], broken);
    expect(plain.code).toBe(1);
    expect(plain.err).not.toMatch(/\n\s+at /);
    const debug = run(bin(), ['status'], broken, { env: { SSOT_DEBUG: '1' } });
    expect(debug.err).toMatch(/invalid JSON/);
    expect(debug.err).toMatch(/\n\s+at .*manifest\/load\.ts:\d+:\d+/);
  }, 120_000);

  test('the installed bin runs `run discover`, `run move-declarations` and `run strangle` as verified commits, checked by the repo’s TypeScript 7', () => {
    const disc = ok(bin(), ['run', 'discover'], path.join(app, 'src'), { timeout: 180_000 });
    expect(disc.err).toMatch(/discover: committed/);
    // move-declarations runs between them (the app's manifest moves a declaration out of a legacy module).
    const moved = ok(bin(), ['run', 'move-declarations'], app, { timeout: 180_000 });
    expect(moved.err).toMatch(/move-declarations: committed/);
    const str = ok(bin(), ['run', 'strangle'], app, { timeout: 180_000 });
    expect(str.err).toMatch(/strangle: committed/);
    // verified by the repo's own commands: TypeScript 7's tsc and its vitest suite (3 tests; junit report read)
    for (const r of [disc, moved, str]) expect(r.err).toMatch(/verified: typecheck 0->0 errors; tests 3\/3 passed -> 3\/3 passed/);
    expect(ok('git', ['log', '--format=%s'], app).out).toMatch(/^ssot\(strangle\): .*\nssot\(move-declarations\): .*\nssot\(discover\): /);
    expect(ok('git', ['status', '--porcelain'], app).out).toBe('');
  }, 400_000);

  test('the consumer app and the facades strangle wrote compile against the installed declarations under the strictest flags: TypeScript 7 (NodeNext, Bundler), 5.9 and 5.4 (NodeNext)', () => {
    const facades = ok('git', ['show', '--name-only', '--format=', 'HEAD'], app).out.split('\n').filter((f) => /\.[cm]?ts$/.test(f) && !/\.legacy\.[cm]?ts$/.test(f));
    expect(facades.length).toBeGreaterThanOrEqual(5);
    // One program per compiler and mode: the consumer's code, the facades, and every declaration
    // they reach (ours and our dependencies', skipLibCheck false). Only the example app's own
    // files (frozen legacy bodies, its tests) may have errors: they are the team's code.
    const teamOwn = (file: string): boolean => !file.startsWith('../') && !file.startsWith('node_modules/') && !facades.includes(file);
    const check = (label: string, compiler: string, mode: keyof typeof MODES, withCts: boolean): string[] => {
      const project = `tsconfig.strict.${mode}${withCts ? '' : '.esm'}.json`;
      const consumerFiles = ['../consumer/src/main.ts', ...(withCts ? ['../consumer/src/cjs.cts'] : [])];
      writeJson(path.join(app, project), { compilerOptions: { ...STRICT, ...MODES[mode], noEmit: true, paths: { '@app/*': ['./src/*'] } }, files: [...consumerFiles, ...facades] });
      const { errors } = tsc(compiler, project, app);
      rmSync(path.join(app, project)); // the app's tree stays clean for the phases that follow
      const ours = errors.filter((l) => !teamOwn(l.replace(/\(\d+,\d+\).*$/, '')));
      console.log(`${label} ${mode}: ${errors.length} error(s), ${ours.length} outside the app's own files`);
      return ours;
    };
    const results: Record<string, string[]> = {
      'ts7 nodenext (+ .cts)': check('TypeScript 7', tsc7(), 'nodenext', true),
      'ts7 bundler': check('TypeScript 7', tsc7(), 'bundler', false),
      'ts5.9 nodenext (+ .cts)': check('TypeScript 5.9', tsc59(), 'nodenext', true),
      // TypeScript < 5.8 cannot type a require() of an ES module (TS1471): 5.4 checks the ESM code.
      'ts5.4 nodenext': check('TypeScript 5.4', tsc54(), 'nodenext', false),
    };
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((k) => [k, []])));
    // The consumer built the way its team would (TypeScript 7, emitting), for the run tests below.
    expect(tsc(tsc7(), 'tsconfig.json', consumer).errors).toEqual([]);
    expect(existsSync(path.join(consumer, 'out/main.js'))).toBe(true);
    expect(existsSync(path.join(consumer, 'out/cjs.cjs'))).toBe(true);
    expect(existsSync(path.join(consumer, 'out/redis-bus.js'))).toBe(true);
    expect(existsSync(path.join(consumer, 'out/live.js'))).toBe(true);
  }, 600_000);

  test('the compiled app runs under plain node: the root export, manifest, shim, and the five events over a real loopback socket', () => {
    const r = ok(process.execPath, ['out/main.js', path.join(app, 'ssot.config.json')], consumer, { timeout: 60_000, env: { SSOT_SHIM_TELEMETRY: 'off' } });
    expect(r.out).toMatch(new RegExp(`^root: ssot-migrate ${PKG.version.replace(/\./g, '\\.')}$`, 'm'));
    expect(r.out).toMatch(/^manifest: \d+ legacy modules, canonical ssot-migrate\/canonical$/m);
    expect(r.out).toMatch(/^shim: hello pack, WSM900 calls 1$/m);
    expect(r.out).toMatch(/^events: agent_started#1@alice agent_thinking#2@alice tool_executing#3@alice tool_completed#4@alice agent_completed#5@alice$/m);
  }, 120_000);

  test('a CommonJS (.cts) file requires the canonical module under plain node', () => {
    const r = ok(process.execPath, ['out/cjs.cjs'], consumer, { timeout: 60_000 });
    expect(r.out).toMatch(/^cjs: function bob 5 event types$/m);
  }, 120_000);

  test('the Redis bus from the package’s public entry (compiled above under the strict flags): two hubs on one real redis-server, an event emitted on one reaches a socket on the other', async () => {
    const redis = await startRedisServer();
    try {
      const r = ok(process.execPath, ['out/redis-bus.js', redis.url], consumer, { timeout: 60_000, env: { SSOT_SHIM_TELEMETRY: 'off' } });
      expect(r.out).toMatch(/^redis: agent_started#1@alice across via hub B$/m);
    } finally {
      await redis.dispose();
    }
  }, 120_000);

  test('Prometheus and `dashboard --live --run` from the installed package: the compiled app serves the shim’s metrics (promtool and a real Prometheus parse them, the counters follow the calls); the dashboard hosting it reads its calls live, flips with the token from SSOT_DASHBOARD_TOKEN, and SIGTERM ends both', async () => {
    const token = 'pack-env-token-0123456789';
    const telemetry = path.join(work, 'telemetry', 'live.jsonl');
    const toggles = path.join(work, 'live-toggles.json');
    const dashboard = spawn(bin(consumer), ['dashboard', '--live', '--run', 'out/live.js', '--port', '0'], {
      cwd: consumer,
      // the token as a mounted secret often arrives: with its trailing newline
      env: { ...cleanEnv(), SSOT_DASHBOARD_TOKEN: `${token}\n`, SSOT_SHIM_TELEMETRY: telemetry, SSOT_SHIM_TOGGLES: toggles },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => dashboard.once('exit', (code, signal) => resolve({ code, signal })));
    let prometheus: PrometheusHandle | undefined;
    try {
      let out = '';
      dashboard.stdout.on('data', (d: Buffer) => (out += d.toString()));
      dashboard.stderr.on('data', (d: Buffer) => (out += d.toString()));
      await expect.poll(() => /dashboard on http:\/\/\S+/.test(out) && /^app on \d+$/m.test(out), { timeout: 60_000 }).toBe(true);
      expect(out).not.toMatch(/flips are disabled/); // the token came from the environment
      const url = /dashboard on (http:\/\/\S+)/.exec(out)![1]!;
      const appUrl = `http://127.0.0.1:${/^app on (\d+)$/m.exec(out)![1]}`;
      const scrape = async (base: string): Promise<Map<string, number>> => {
        const res = await fetch(new URL('/metrics', base));
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
        return exposition(await res.text());
      };
      const calls = (m: Map<string, number>, mode: string): number | undefined => m.get(`ssot_shim_calls_total{id="WSM901",symbol="legacyGreeting",mode="${mode}"}`);

      // the app's own /metrics, before and after three calls (the facade is installed from the start: coverage)
      const first = await scrape(appUrl);
      expect(calls(first, 'canonical')).toBeUndefined();
      expect([...first.keys()].some((k) => k.startsWith('ssot_shim_installed{id="WSM901",'))).toBe(true);
      for (const p of ['/a', '/b', '/c']) expect(await (await fetch(new URL(p, appUrl))).text()).toBe(`hello ${p}`);
      expect(calls(await scrape(appUrl), 'canonical')).toBe(3);

      // the dashboard in the same process sees the calls live; its /metrics adds the shim's
      const state = (await (await fetch(new URL('/api/state', url))).json()) as { source: { live: boolean }; flipsEnabled: boolean; ids: Array<{ id: string; calls: number; mode: string }> };
      expect(state).toMatchObject({ source: { live: true }, flipsEnabled: true, ids: [{ id: 'WSM901', calls: 3, mode: 'canonical' }] });
      const dashMetrics = await scrape(url);
      expect(dashMetrics.get('ssot_dashboard_calls_total{id="WSM901",mode="canonical"}')).toBe(3);
      expect(calls(dashMetrics, 'canonical')).toBe(3);

      // a flip with the environment's token: refused without it and with another; the app's next call runs in the new mode
      const flip = (authorization?: string) =>
        fetch(new URL('/api/flip', url), { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ id: 'WSM901', mode: 'legacy', by: 'pack-test' }) });
      expect((await flip()).status).toBe(401);
      expect((await flip('Bearer not-the-token')).status).toBe(401);
      expect((await flip(`Bearer ${token}`)).status).toBe(200);
      expect((JSON.parse(readFileSync(toggles, 'utf8')) as { modes: Record<string, string> }).modes).toEqual({ WSM901: 'legacy' });
      await fetch(new URL('/d', appUrl));
      const after = await scrape(appUrl);
      expect([calls(after, 'canonical'), calls(after, 'legacy')]).toEqual([3, 1]);

      // a real Prometheus scrapes the app: its own parser reads every sample, and the counters arrive as the app counts them
      prometheus = await startPrometheus({ job: 'pack-live', targets: [new URL(appUrl).host], scrapeIntervalMs: 500 });
      const query = async (promql: string): Promise<number[]> => {
        const body = (await (await fetch(`${prometheus!.url}/api/v1/query?query=${encodeURIComponent(promql)}`)).json()) as { data: { result: Array<{ value: [number, string] }> } };
        return body.data.result.map((r) => Number(r.value[1]));
      };
      await expect.poll(() => query('up{job="pack-live"}'), { timeout: 30_000, interval: 250 }).toEqual([1]);
      await expect.poll(() => query('sum(ssot_shim_calls_total{id="WSM901"})'), { timeout: 30_000, interval: 250 }).toEqual([4]);
      expect(await query('scrape_samples_scraped{job="pack-live"}')).toEqual([after.size]);

      // SIGTERM stops the dashboard and the app it hosts (whose server would keep the process up), and the shim writes its telemetry
      dashboard.kill('SIGTERM');
      expect(await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('still running 30 s after SIGTERM'), 30_000))]), out).toEqual({ code: 0, signal: null });
      const report = JSON.parse(ok(bin(consumer), ['telemetry', telemetry, '--json'], consumer).out) as { ids: Array<{ id: string; calls: number }> };
      expect(report.ids.map((i) => [i.id, i.calls])).toEqual([['WSM901', 4]]);
    } finally {
      await prometheus?.dispose();
      if (dashboard.exitCode === null && dashboard.signalCode === null) {
        dashboard.kill('SIGKILL');
        await exited;
      }
    }
  }, 180_000);

  test('under the installed shim (after strangle): the app’s own suite passes with every id toggled to legacy; `telemetry` and the dashboard read the calls it recorded', async () => {
    expect(ok(bin(), ['toggle', '*', 'legacy'], app).out).toMatch(/^\*: \(unset\) -> legacy in .*\.ssot\/shim-toggles\.json$/m);
    telemetryFile = path.join(work, 'telemetry', 'legacy-app.jsonl');
    ok('npm', ['test', '--silent'], app, { timeout: 180_000, env: { SSOT_SHIM_TELEMETRY: telemetryFile } });
    expect(readFileSync(path.join(app, 'reports/junit.xml'), 'utf8')).toMatch(/<testsuites [^>]*tests="3" failures="0" errors="0"/);
    const report = JSON.parse(ok(bin(), ['telemetry', telemetryFile, '--json'], app).out) as { ids: Array<{ id: string; calls: number; lastMode: string }> };
    expect(report.ids.length).toBeGreaterThan(0);
    for (const id of report.ids) expect(id, id.id).toMatchObject({ calls: expect.any(Number), lastMode: 'legacy' });
    expect(report.ids.reduce((n, i) => n + i.calls, 0)).toBeGreaterThan(0);

    // The dashboard (its page and assets come from dist/) serves the same ids and flips a mode with
    // the token read from --token-file (never the command line); stopped by its pid.
    const tokenFile = path.join(work, 'dashboard-token');
    const token = 'pack-flip-token-0123456789';
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    const togglesFile = path.join(app, '.ssot/shim-toggles.json');
    const dashboard = spawn(bin(), ['dashboard', '--telemetry', telemetryFile, '--port', '0', '--token-file', tokenFile], { cwd: app, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`dashboard did not start: ${out}`)), 60_000);
        const onData = (chunk: Buffer): void => {
          out += chunk.toString();
          const m = /dashboard on (http:\/\/\S+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]!);
          }
        };
        dashboard.stdout.on('data', onData);
        dashboard.stderr.on('data', onData);
        dashboard.on('exit', (code) => reject(new Error(`dashboard exited ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>ssot-migrate');
      const state = (await (await fetch(new URL('/api/state', url))).json()) as { ids: Array<{ id: string; calls: number }> };
      expect(state.ids.map((i) => [i.id, i.calls])).toEqual(expect.arrayContaining(report.ids.map((i) => [i.id, i.calls])));

      // a flip over loopback HTTP: refused without the token and with another, applied with it
      const id = report.ids[0]!.id;
      const before = readFileSync(togglesFile, 'utf8');
      const flip = (authorization?: string) =>
        fetch(new URL('/api/flip', url), { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ id, mode: 'canonical', by: 'pack-test' }) });
      expect((await flip()).status).toBe(401);
      expect((await flip('Bearer not-the-token')).status).toBe(401);
      expect(readFileSync(togglesFile, 'utf8')).toBe(before);
      const accepted = await flip(`Bearer ${token}`);
      expect(accepted.status).toBe(200);
      expect(((await accepted.json()) as { flip: { id: string; from: string; to: string } }).flip).toMatchObject({ id, from: 'legacy', to: 'canonical' });
      expect((JSON.parse(readFileSync(togglesFile, 'utf8')) as { modes: Record<string, string> }).modes).toMatchObject({ '*': 'legacy', [id]: 'canonical' });
      // what the shim and the dashboard write at run time (toggles, flip log) leaves the tree clean: `run` would refuse a dirty one
      expect(ok('git', ['status', '--porcelain', '--untracked-files=all'], app).out).toBe('');
    } finally {
      if (dashboard.exitCode === null && dashboard.signalCode === null) {
        const exited = new Promise((resolve) => dashboard.once('exit', resolve));
        dashboard.kill('SIGTERM');
        await exited;
      }
    }
    // the toggles file is the team's to commit or drop; this run drops it, so the tree is clean for the next phases
    rmSync(path.join(app, '.ssot/shim-toggles.json'));
    expect(ok('git', ['status', '--porcelain'], app).out).toBe('');
  }, 300_000);

  test('`run --all` killed (SIGKILL) while it verifies rewrite-imports: `run` refuses while the journal stands, `recover` restores the tree byte for byte', async () => {
    const head = ok('git', ['rev-parse', 'HEAD'], app).out;
    const child = spawn(bin(), ['run', '--all'], { cwd: app, env: cleanEnv(), stdio: ['ignore', 'ignore', 'pipe'] });
    let log = '';
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`rewrite-imports never got to verify: ${log}`)), 600_000);
      child.stderr.on('data', (chunk: Buffer) => {
        log += chunk.toString();
        if (/rewrite-imports: verifying/.test(log)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', () => reject(new Error(`run --all ended before rewrite-imports verified: ${log}`)));
    });
    expect(await exited).toBe('SIGKILL');
    // The verify command it had started runs in its own process group and outlives it: killed too
    // (every process working in the scratch app is this test's), so nothing of this run lingers.
    for (let round = 0, pids = processesIn(app); pids.length && round < 20; round++, pids = processesIn(app)) for (const pid of pids) killPid(pid);
    expect(processesIn(app)).toEqual([]);
    // the phase's writes are in the tree, uncommitted
    expect(ok('git', ['status', '--porcelain', '--untracked-files=no'], app).out).not.toBe('');
    // consolidate-types (an empty commit here) was committed before the kill; rewrite-imports was not
    expect(ok('git', ['log', '-1', '--format=%s'], app).out).toMatch(/^ssot\(consolidate-types\)/);
    expect(ok('git', ['rev-parse', 'HEAD~1'], app).out).toBe(head);
    const refused = run(bin(), ['run', '--all'], app);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/ssot-migrate recover/);
    const recovered = ok(bin(), ['recover'], app);
    expect(recovered.out + recovered.err).toMatch(/recovered: the phase rewrite-imports \(interrupted at step \w+\)/);
    expect(ok('git', ['status', '--porcelain'], app).out).toBe('');
  }, 900_000);

  test('after the recovery, `status --telemetry` judges the ids the app’s suite called through the installed shim (recorded after strangle) in use: the verdict remove-shim’s gate decides on, from the installed package', () => {
    const s = JSON.parse(ok(bin(), ['status', '--telemetry', telemetryFile, '--json'], app).out) as { verdicts: Array<{ id: string; safe: boolean; telemetry?: { verdict: string; calls: number } }> };
    const called = (JSON.parse(ok(bin(), ['telemetry', telemetryFile, '--json'], app).out) as { ids: Array<{ id: string; calls: number }> }).ids.filter((i) => i.calls > 0);
    expect(called.length).toBeGreaterThan(0);
    for (const { id } of called) expect(s.verdicts.find((v) => v.id === id), id).toMatchObject({ safe: false, telemetry: { verdict: 'in use', calls: expect.any(Number) } });
  }, 120_000);

});

/**
 * A Prometheus text exposition checked by promtool (Prometheus's own parser, and its lint), then
 * read into series (`name{labels}`) → value.
 */
function exposition(text: string): Map<string, number> {
  const checked = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (checked.error) throw new Error(`promtool: ${checked.error.message} (scripts/ensure-system-deps.sh prometheus installs it)`);
  expect(`${checked.stdout}${checked.stderr}`, text).toBe('');
  expect(checked.status).toBe(0);
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*(?:\{.*\})?) (\S+)$/.exec(line);
    expect(m, line).not.toBeNull();
    series.set(m![1]!, Number(m![2]));
  }
  return series;
}

/** The pids of the processes whose working directory is `dir` (Linux /proc). */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d) && Number(d) !== process.pid)
    .filter((d) => {
      try {
        return readlinkSync(`/proc/${d}/cwd`) === dir;
      } catch {
        return false; // ended meanwhile, or not ours to read
      }
    })
    .map(Number);
}

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // ended meanwhile
  }
}

/** One phase's outcome as `run --json` prints it. */
interface Outcome {
  phase: string;
  status: string;
  step?: string;
  reason?: string;
  commit?: string;
  compliance?: { before: number; after: number };
  verification?: { ok: boolean; summary: string };
}

/**
 * `run --all --json` through an installed bin from phase `from` on: every phase committed and verified
 * with a summary matching `summary`, remove-shim refused at its telemetry gate (none given), exit 1.
 */
function runAllToGate(binPath: string, repo: string, from: number, summary: RegExp): Outcome[] {
  const all = run(binPath, ['run', '--all', '--json'], repo, { timeout: 900_000 });
  const outcomes = JSON.parse(all.out) as Outcome[];
  expect(outcomes.map((o) => o.phase)).toEqual(PHASES.slice(from));
  for (const o of outcomes.slice(0, -1)) {
    expect(o.status, `${o.phase}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
    expect(o.verification?.ok).toBe(true);
    expect(o.verification?.summary).toMatch(summary);
  }
  expect(outcomes.at(-1)).toMatchObject({ phase: 'remove-shim', status: 'refused', step: 'gate', reason: expect.stringMatching(/^no telemetry given/) });
  expect(all.code).toBe(1);
  return outcomes;
}

/** remove-shim on a stated reason (`--without-telemetry`) through an installed bin: committed, verified as `summary`, 100%. */
function removeShimWithoutTelemetry(binPath: string, repo: string, summary: string): void {
  const shim = run(binPath, ['run', 'remove-shim', '--without-telemetry', NO_TELEMETRY, '--json'], repo, { timeout: 300_000 });
  const [o] = JSON.parse(shim.out) as Outcome[];
  expect(o!.status, `${o!.step ?? ''} ${o!.reason ?? ''}`).toBe('committed');
  expect(o!.verification?.summary).toBe(summary);
  expect(o!.compliance?.after).toBe(100);
  expect(shim.code).toBe(0);
}
interface StatusJson {
  phases: Array<{ phase: string; state: string; commit?: string }>;
  compliance: number;
  legacyImportSites: number;
  todoMarkers: unknown[];
  comments: { policy: string; mentions: unknown[] };
  deleted?: { commit: string; withoutTelemetry?: string };
}
interface AppManifest {
  canonical: { exports: string[] };
  legacy: Array<{ module: string; symbols: Record<string, string> }>;
  adapters: Array<{ class: string }>;
  deletions?: Array<{ path: string; declaration?: string }>;
}

const NO_TELEMETRY = 'a scratch copy of an example app: never deployed, no process to observe';

/**
 * What the generated repo ends at, the checkout's e2e and all-phases assertions: one ssot() commit per phase
 * in order and nothing else, a clean tree, no legacy module left (facade or frozen copy), 100%
 * compliance, no TODO(ssot) marker; `status` reports every phase done and remove-shim's deletion,
 * `review` the last phase's verified figures, `review --html` a page; the app's own typecheck and
 * suite pass on what is committed.
 */
async function expectMigrated(repo: string, verified: string): Promise<void> {
  const subjects = ok('git', ['log', '--format=%s'], repo).out.trim().split('\n').reverse().slice(1);
  expect(subjects.map((s) => /^ssot\(([\w-]+)\)/.exec(s)?.[1] ?? s)).toEqual(PHASES);
  expect(ok('git', ['status', '--porcelain'], repo).out).toBe('');
  const manifest = JSON.parse(readFileSync(path.join(repo, 'ssot.config.json'), 'utf8')) as AppManifest;
  for (const { module } of manifest.legacy) for (const ext of ['.ts', '.legacy.ts']) expect(existsSync(path.join(repo, `${module}${ext}`)), `${module}${ext}`).toBe(false);
  expect(run('git', ['grep', '-n', 'TODO(ssot)', '--', 'src', 'test'], repo).out).toBe('');

  const status = JSON.parse(ok(bin(repo), ['status', '--json'], repo).out) as StatusJson;
  expect(status.phases.map((p) => [p.phase, p.state])).toEqual(PHASES.map((p) => [p, 'done']));
  expect(status).toMatchObject({ compliance: 100, legacyImportSites: 0, todoMarkers: [] });
  const shimCommit = status.phases.at(-1)!.commit;
  expect(status.deleted).toEqual({ commit: shimCommit, withoutTelemetry: NO_TELEMETRY });
  const text = ok(bin(repo), ['status'], repo).out;
  expect(text).toMatch(/^compliance 100\.0%; 0 legacy import site\(s\) in 0 file\(s\); 0 open TODO\(ssot\) marker\(s\)$/m);

  const review = JSON.parse(ok(bin(repo), ['review', 'remove-shim', '--json'], repo).out) as { commit: string; phase: string; figures: { verified: string; compliance: { after: number } }; files: Array<{ status: string }>; warnings: string[] };
  expect(review).toMatchObject({ commit: shimCommit, phase: 'remove-shim', figures: { verified, compliance: { after: 100 } }, warnings: [] });
  expect(review.files.filter((f) => f.status === 'deleted').length).toBeGreaterThanOrEqual(manifest.legacy.length * 2);
  const html = path.join(work, `${path.basename(repo)}-review.html`);
  ok(bin(repo), ['review', 'remove-adapters', '--html', html], repo);
  expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*remove-adapters/i);

  // the repo's own typecheck and tests pass on what is committed: as remove-shim's verification ran them on this tree (the
  // installed runner's figures for HEAD, read back: the same commands on the same tree are not run a second time)
  expect(ok('git', ['rev-parse', 'HEAD'], repo).out.trim()).toBe(shimCommit);
  await expectCommittedTreeVerified(repo);
}

describe('the second backend (examples/relay-backend), installed: custom phases', () => {
  const RELAY_VERIFIED = 'typecheck 0->0 errors; tests 19/19 passed -> 19/19 passed';

  beforeAll(() => {
    expect(relay).not.toBe(''); // installed with the legacy app (copyInstall)
    expectIsolated(relay);
  });

  test('custom phases from the installed package: one in TypeScript says tsx is missing; the shipped rename-method transform, at the path the docs give, runs on the optional jscodeshift peer as a verified commit that `review` reads and `rollback` reverts', () => {
    const manifestPath = path.join(relay, 'ssot.config.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, unknown> & { phases: string[] };
    // the team's own phase in TypeScript: installed, ssot-migrate brings no loader
    mkdirSync(path.join(relay, 'codemods'));
    writeFileSync(path.join(relay, 'codemods/noop.ts'), 'export default function noop(): never[] {\n  return [];\n}\n');
    writeJson(manifestPath, { ...manifest, phases: ['noop', ...manifest.phases], customPhases: [{ name: 'noop', kind: 'module', before: 'discover', path: 'codemods/noop.ts' }] });
    const noop = run(bin(relay), ['run', 'noop', '--dry-run', '--allow-dirty'], relay);
    expect(noop.code, noop.err).toBe(1);
    expect(noop.err).toMatch(/noop: failed[\s\S]*tsx is not installed \(an optional peer dependency of ssot-migrate\)\. Install it in the repository \(npm install --save-dev tsx@\^4\.0\.0\)/);
    rmSync(path.join(relay, 'codemods'), { recursive: true });

    // the example transform the package ships, configured as codemods/README.md shows it
    const shipped = /"path": "(node_modules\/ssot-migrate\/[^"]+rename-method[^"]*)"/.exec(readFileSync(path.join(ROOT, 'codemods/README.md'), 'utf8'))?.[1];
    expect(shipped).toBeDefined();
    npmInstalled(['--save-dev', `jscodeshift@${PKG.devDependencies['jscodeshift']}`], relay, { timeout: 240_000 });
    const spec = { name: 'rename-history', kind: 'jscodeshift', before: 'discover', path: shipped, options: { from: 'history', to: 'recentMessages' }, prefilter: ['history'] };
    writeJson(manifestPath, { ...manifest, phases: [spec.name, ...manifest.phases], customPhases: [spec] });
    ok('git', ['add', '-A'], relay);
    ok('git', ['commit', '-qm', 'jscodeshift, and a custom phase renaming ThreadService.history'], relay);
    const renamed = run(bin(relay), ['run', spec.name, '--json'], relay, { timeout: 300_000 });
    const [o] = JSON.parse(renamed.out) as Outcome[];
    expect(o, renamed.err).toMatchObject({ status: 'committed', verification: { ok: true, summary: RELAY_VERIFIED } });
    expect(readFileSync(path.join(relay, 'src/services/threads.ts'), 'utf8')).toContain('async recentMessages(threadId: string)');
    const review = JSON.parse(ok(bin(relay), ['review', spec.name, '--json'], relay).out) as { phase: string; files: Array<{ path: string }> };
    expect(review.phase).toBe(spec.name);
    expect(review.files.map((f) => f.path).sort()).toEqual(['src/http/handlers/run-handler.ts', 'src/services/threads.ts']);
    const back = ok(bin(relay), ['rollback', spec.name], relay, { timeout: 300_000 });
    expect(back.out + back.err).toMatch(new RegExp(`^reverted ${spec.name} \\(\\w+\\) in \\w+; verified: `, 'm'));
    expect(back.out + back.err).toContain(`verified: ${RELAY_VERIFIED}`);
    expect(ok('git', ['diff', 'HEAD~2', '--stat', '--', 'src'], relay).out).toBe('');
    expect(ok('git', ['status', '--porcelain'], relay).out).toBe('');
  }, 900_000);
});

/**
 * pnpm's layout: every package sees only what its package.json declares (no flat node_modules
 * where an undeclared dependency, or a peer the team happens to have, resolves by accident), the
 * package itself a symlink into pnpm's store. `--config.hoist=false` also turns off pnpm's hidden hoisting
 * (node_modules/.pnpm/node_modules), which would otherwise still resolve a missing dependency.
 * One install, into a small repo from the generator (scripts/gen-monorepo.ts), serves every test.
 */
describe('installed with pnpm (strict layout, no hoisting): the bin, the whole migration verified by the repo’s own commands, the entry points compiled strict', () => {
  const PNPM = 'pnpm@9';
  let repo = '';
  const pnpmBin = () => path.join(repo, 'node_modules/.bin/ssot-migrate');

  beforeAll(async () => {
    repo = path.join(work, 'pnpm-repo');
    await genMonorepo({ dir: repo, files: 60, affected: 0.3 });
    // its verify commands: `tsc --noEmit` (TypeScript 7, as the apps above) and `tsx test/smoke.ts`
    const deps = [tarball, TYPESCRIPT_7, `@types/node@${PKG.devDependencies['@types/node']}`, `tsx@${PKG.devDependencies['tsx']}`];
    const t0 = Date.now();
    ok('npx', ['--yes', PNPM, 'add', '--save-dev', '--reporter=silent', '--config.hoist=false', ...deps], repo, { timeout: 300_000 });
    console.log(`pnpm install: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    for (const args of gitInit('generated repo with ssot-migrate installed by pnpm')) ok('git', args, repo);
    // isolated from this checkout, and the strict layout really is in place
    for (let d = path.dirname(repo); d !== path.dirname(d); d = path.dirname(d)) expect(existsSync(path.join(d, 'node_modules')), d).toBe(false);
    expect(realpathSync(path.join(repo, 'node_modules/ssot-migrate')).startsWith(path.join(repo, 'node_modules/.pnpm/ssot-migrate@'))).toBe(true);
    expect(existsSync(path.join(repo, 'node_modules/.pnpm/node_modules'))).toBe(false);
    expect(readdirSync(path.join(repo, 'node_modules')).sort()).toEqual(['.bin', '.modules.yaml', '.pnpm', '@types', 'ssot-migrate', 'tsx', 'typescript']);
  }, 600_000);

  test('what the shipped code imports is declared, and nothing is declared that only the checkout uses: every package a shipped .js loads is a dependency or a peer, every dependency is loaded by code that runs installed', () => {
    const pkgDir = realpathSync(path.join(repo, 'node_modules/ssot-migrate'));
    const installed = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
    // `demo` refuses outside a checkout before it loads scripts/demo (tested above): what only it imports is a devDependency
    const checkoutOnly = new Set(['dist/scripts/demo.js', 'dist/scripts/demo.d.ts']);
    const loadedBy = new Map<string, string[]>();
    const shipped = pack.files.map((f) => f.path).filter((f) => /\.(c|m)?js$|\.d\.(c|m)?ts$/.test(f) && !checkoutOnly.has(f));
    for (const file of shipped) {
      for (const fileName of loadedModules(file, readFileSync(path.join(pkgDir, file), 'utf8'))) {
        if (/^[./]/.test(fileName) || isBuiltin(fileName)) continue;
        const name = /^(@[^/]+\/[^/]+|[^/]+)/.exec(fileName)![1]!;
        if (name === PKG.name) continue; // a generated snippet's import of the package itself
        // a declaration's import needs the package's types: its own, or @types/<name> (a dependency then)
        const needs = file.endsWith('.js') ? [name] : [name, `@types/${name.replace(/^@(.*)\//, '$1__')}`];
        for (const n of needs) loadedBy.set(n, [...(loadedBy.get(n) ?? []), file]);
      }
    }
    const undeclared = [...loadedBy].filter(([n, files]) => files.some((f) => f.endsWith('.js')) && !(n in installed.dependencies) && !(n in installed.peerDependencies)).map(([n, files]) => `${n} (${files[0]})`);
    expect(undeclared).toEqual([]);
    expect(Object.keys(installed.dependencies).filter((d) => !loadedBy.has(d))).toEqual([]);
  });

  test('the bin: --help, `run discover --dry-run` (the diff, nothing written), discover on worker threads', () => {
    const help = ok(pnpmBin(), ['--help'], repo);
    expect(help.out).toMatch(/^usage: ssot-migrate <command> \[options\]$/m);
    expect(help.out).toMatch(/^ {2}dashboard {4}/m);
    const dry = ok(pnpmBin(), ['run', 'discover', '--dry-run'], path.join(repo, 'src'), { timeout: 180_000 });
    expect(dry.out).toMatch(/^diff --git a\/\.ssot\/inventory\.json b\/\.ssot\/inventory\.json$/m);
    expect(dry.err).toMatch(/^discover: dry-run$/m);
    expect(ok('git', ['status', '--porcelain', '--untracked-files=all'], repo).out).toBe('');
    const inv = JSON.parse(ok(pnpmBin(), ['discover', '--dry-run', '--json', '--workers', '2'], repo, { timeout: 180_000 }).out) as { compliance: { total: number; percent: number } };
    expect(inv.compliance.total).toBeGreaterThan(20);
    expect(inv.compliance.percent).toBe(0);
  }, 400_000);

  test('`run discover`, `move-declarations` and `strangle` commit, each verified by the repo’s tsc and its smoke test, which runs the strangled code through the installed shim; `review --html` renders the last', () => {
    for (const phase of ['discover', 'move-declarations', 'strangle']) {
      const r = ok(pnpmBin(), ['run', phase], repo, { timeout: 300_000 });
      expect(r.err).toMatch(new RegExp(`^${phase}: committed$`, 'm'));
      expect(r.err).toMatch(/^ {2}verified: typecheck 0->0 errors; tests pass -> pass$/m);
    }
    const facades = ok('git', ['show', '--name-only', '--format=', 'HEAD'], repo).out.split('\n').filter((f) => /\.[cm]?ts$/.test(f) && !/\.legacy\.[cm]?ts$/.test(f));
    expect(facades.filter((f) => readFileSync(path.join(repo, f), 'utf8').includes("from 'ssot-migrate/shim")).length).toBeGreaterThanOrEqual(5);
    expect(ok('git', ['status', '--porcelain'], repo).out).toBe('');
    // review's page inlines diff2html's stylesheet, which it finds through the package's own dependency
    const html = path.join(work, 'pnpm-review.html');
    ok(pnpmBin(), ['review', 'strangle', '--html', html], repo);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>[\s\S]*<title>review: strangle [\s\S]*<style>[^<]*\.d2h-wrapper\{/i);
  }, 900_000);

  test('`run --all` finishes the migration (remove-shim stops at its telemetry gate), remove-shim without telemetry on a stated reason ends at the checkout’s end state: 100%, no TODO(ssot), every legacy module gone; `status` and `review` report it', async () => {
    const outcomes = runAllToGate(pnpmBin(), repo, 3, /^(typecheck 0->0 errors; tests pass -> pass|no files changed; nothing to verify)$/);
    const ri = outcomes.find((o) => o.phase === 'rewrite-imports')!.compliance!;
    const ra = outcomes.find((o) => o.phase === 'remove-adapters')!;
    expect(ri.after).toBeGreaterThan(ri.before);
    expect(ra.compliance!.after).toBeGreaterThan(ri.after);
    // the manifest's adapters, classes[] and factory entries, and context threading, from the package
    expect(ok('git', ['log', '-1', '--format=%s', ra.commit!], repo).out).toMatch(/classes\[\] and factory entries in [1-9]\d* file\(s\).*threaded [1-9]\d* call chain\(s\)/);

    removeShimWithoutTelemetry(pnpmBin(), repo, 'typecheck 0->0 errors; tests pass -> pass');
    expect(ok('git', ['log', '-1', '--format=%(trailers:key=SSOT-Without-Telemetry,valueonly)'], repo).out.trim()).toBe(NO_TELEMETRY);
    await expectMigrated(repo, 'typecheck 0->0 errors; tests pass -> pass');
    expect(run('git', ['grep', '-n', 'TODO(ssot)'], repo).out).toBe('');
  }, 1_200_000);

  test('the canonical, shim and manifest entry points compile under the strictest flags (skipLibCheck false) and run under plain node, the CommonJS island too', () => {
    mkdirSync(path.join(repo, 'consumer'));
    writeFileSync(path.join(repo, 'consumer/main.ts'), CONSUMER_MAIN);
    writeFileSync(path.join(repo, 'consumer/cjs.cts'), CONSUMER_CTS);
    writeJson(path.join(repo, 'tsconfig.consumer.json'), { compilerOptions: { ...STRICT, ...MODES.nodenext, rootDir: 'consumer', outDir: 'consumer-out' }, include: ['consumer'] });
    expect(tsc(path.join(repo, 'node_modules/typescript/bin/tsc'), 'tsconfig.consumer.json', repo).errors).toEqual([]);
    const r = ok(process.execPath, ['consumer-out/main.js', path.join(repo, 'ssot.config.json')], repo, { timeout: 60_000, env: { SSOT_SHIM_TELEMETRY: 'off' } });
    expect(r.out).toMatch(/^manifest: \d+ legacy modules, canonical ssot-migrate\/canonical$/m);
    expect(r.out).toMatch(/^shim: hello pack, WSM900 calls 1$/m);
    expect(r.out).toMatch(/^events: agent_started#1@alice agent_thinking#2@alice tool_executing#3@alice tool_completed#4@alice agent_completed#5@alice$/m);
    expect(ok(process.execPath, ['consumer-out/cjs.cjs'], repo, { timeout: 60_000 }).out).toMatch(/^cjs: function bob 5 event types$/m);
  }, 300_000);
});
