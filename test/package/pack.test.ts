/**
 * The package as a team gets it: `npm pack` → install the tarball into a scratch git copy of
 * the example backend whose own TypeScript is 7.x (native, no JS API) → the installed bin runs
 * --version, discover (from a subfolder), run discover and run strangle → a consumer app that
 * imports ssot-migrate/canonical, /shim and /manifest, and the facades strangle wrote, compile
 * under the strictest user flags (TypeScript 7, the 5.9 the toolkit brings, and 5.4; NodeNext
 * and Bundler; skipLibCheck false) → the compiled app runs under plain node and exchanges the
 * five events with a canonical server over loopback → a .cts file require()s the canonical module.
 *
 * One pack and one install (from the local npm cache, --prefer-offline) serve every test here.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const APP_SOURCE = path.join(ROOT, 'examples', 'legacy-app');
const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; exports: Record<string, string | Record<string, string>>; bin: Record<string, string> };

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

// Child npm/tsc runs must not inherit the npm_* settings of an outer `npm test`.
const cleanEnv = (): NodeJS.ProcessEnv => Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));

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
let app = '';
let consumer = '';
let ts54 = '';
const tsc7 = () => path.join(app, 'node_modules/typescript/bin/tsc');
const tsc59 = () => path.join(app, 'node_modules/ssot-migrate/node_modules/typescript/bin/tsc');
const tsc54 = () => path.join(ts54, 'node_modules/typescript/bin/tsc');
const bin = () => path.join(app, 'node_modules/.bin/ssot-migrate');
const npmInstall = ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

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

describe('npm pack → install → strict tsc → run', () => {
  beforeAll(() => {
    work = realpathSync(mkdtempSync(path.join(tmpdir(), 'ssot-pack-')));

    // 1. The tarball (prepack rebuilds dist/ only if a source is newer: see scripts/build.mjs).
    const packed = ok('npm', ['pack', '--json', '--pack-destination', work], ROOT, { timeout: 240_000 });
    pack = (JSON.parse(packed.out) as PackInfo[])[0]!;
    console.log(`tarball ${pack.filename}: ${pack.entryCount} files, ${(pack.size / 1024).toFixed(1)} kB packed, ${(pack.unpackedSize / 1024).toFixed(1)} kB unpacked`);
    const tarball = path.join(work, pack.filename);

    // 2. A scratch git copy of the example backend; its own TypeScript is 7.x.
    app = path.join(work, 'app');
    cpSync(APP_SOURCE, app, { recursive: true, filter: (src) => !/[/\\](node_modules|reports)([/\\]|$)/.test(path.relative(APP_SOURCE, src) ? `/${path.relative(APP_SOURCE, src)}` : '') });
    // Verification here is the repo's own typecheck (TypeScript 7); its vitest suite is not what this test is about.
    const manifestPath = path.join(app, 'ssot.config.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { verify: Record<string, string> };
    manifest.verify = { typecheck: 'npm run typecheck', test: 'true' };
    writeJson(manifestPath, manifest);
    ok('npm', [...npmInstall, '--save-dev', tarball, 'typescript@7', '@types/node@^20.19'], app, { timeout: 240_000 });
    ok('git', ['init', '-q', '-b', 'main'], app);
    ok('git', ['config', 'user.email', 'pack@ssot-migrate.invalid'], app);
    ok('git', ['config', 'user.name', 'pack-test'], app);
    ok('git', ['config', 'core.autocrlf', 'false'], app);
    ok('git', ['add', '-A'], app);
    ok('git', ['commit', '-qm', 'legacy app with ssot-migrate installed'], app);

    // 3. TypeScript 5.4, the oldest compiler checked against our declarations.
    ts54 = path.join(work, 'ts54');
    mkdirSync(ts54);
    writeJson(path.join(ts54, 'package.json'), { private: true });
    ok('npm', [...npmInstall, 'typescript@~5.4.5'], ts54, { timeout: 240_000 });

    // 4. A consumer app sharing the install.
    consumer = path.join(work, 'consumer');
    mkdirSync(path.join(consumer, 'src'), { recursive: true });
    symlinkSync(path.join(app, 'node_modules'), path.join(consumer, 'node_modules'), 'dir');
    writeJson(path.join(consumer, 'package.json'), { name: 'consumer', private: true, type: 'module' });
    writeFileSync(path.join(consumer, 'src/main.ts'), CONSUMER_MAIN);
    writeFileSync(path.join(consumer, 'src/cjs.cts'), CONSUMER_CTS);
    writeJson(path.join(consumer, 'tsconfig.json'), { compilerOptions: { ...STRICT, ...MODES.nodenext, rootDir: 'src', outDir: 'out' }, include: ['src'] });
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds the build, the bin, the schema and docs — no tests, fixtures, bench, examples or screenshots', () => {
    const files = pack.files.map((f) => f.path);
    const forbidden = files.filter((f) => /(^|\/)(test|tests|__tests__|__testfixtures__|__fixtures__|fixtures|bench|examples|docs|screenshots|\.ci)\//.test(f) || /\.test\.[cm]?[jt]s$|\.png$|(^|\/)vitest\.config|\.tsbuildinfo$/.test(f));
    expect(forbidden).toEqual([]);
    // no TypeScript sources: users' tsc sees declarations only
    expect(files.filter((f) => /\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f))).toEqual([]);
    for (const target of Object.values(PKG.exports).flatMap((t) => (typeof t === 'string' ? [t] : Object.values(t)))) expect(files).toContain(target.replace(/^\.\//, ''));
    for (const f of [PKG.bin['ssot-migrate']!, 'dist/codemods/engine/worker.js', 'dist/codemods/engine/ts-api.js', 'dist/scripts/dashboard/assets/index.html', 'README.md']) expect(files).toContain(f.replace(/^\.\//, ''));
    // The size follows the runtime module count, not a fixed cap: every file under dist/ comes
    // from one runtime source module (its .js, .d.ts and .js.map) or asset, and outside dist/
    // only the bin, package.json, the schema and the READMEs ship.
    expect(files.filter((f) => !f.startsWith('dist/')).length).toBeLessThan(16);
    const orphans = files
      .filter((f) => f.startsWith('dist/'))
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
    const missing = run(bin(), ['status', '--repo', path.join(work, 'nope')], app);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no such directory/);
  }, 120_000);

  test('the installed bin runs `run discover`, `run move-declarations` and `run strangle` as verified commits, checked by the repo’s TypeScript 7', () => {
    const disc = ok(bin(), ['run', 'discover'], path.join(app, 'src'), { timeout: 180_000 });
    expect(disc.err).toMatch(/discover: committed/);
    // move-declarations runs between them (the app's manifest moves a declaration out of a legacy module).
    const moved = ok(bin(), ['run', 'move-declarations'], app, { timeout: 180_000 });
    expect(moved.err).toMatch(/move-declarations: committed/);
    const str = ok(bin(), ['run', 'strangle'], app, { timeout: 180_000 });
    expect(str.err).toMatch(/strangle: committed/);
    // TypeScript 7 prints coloured diagnostics; the baseline's errors (vitest is not installed here) are counted, and did not rise.
    const m = /verified: typecheck (\d+)->(\d+) errors/.exec(str.err);
    expect(m, str.err).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(m![2]).toBe(m![1]);
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
});
