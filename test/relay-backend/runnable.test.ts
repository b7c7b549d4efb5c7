/**
 * examples/relay-backend, the second legacy backend (other names, a synchronous API, a
 * static-singleton factory, a push-style adapter), must run from a copy outside the toolkit
 * like legacy-app: its own typecheck and suite pass, its isolation script fails on the
 * legacy code, and its draft manifest loads. Real processes (tsc, vitest, tsx) in the copy.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { cp, mkdtemp, readFile, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifest } from '../../manifest/index.js';

const run = promisify(execFile);
const TOOLKIT = fileURLToPath(new URL('../../', import.meta.url));
const APP = join(TOOLKIT, 'examples/relay-backend');

/** The child runs its own vitest: do not leak this worker's VITEST_* settings into it. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));

async function npm(cwd: string, script: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', script], { cwd, env: childEnv, timeout: 120_000, maxBuffer: 8 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.c?ts$/.test(name) ? [relative(APP, full)] : [];
  });
}

let copy: string;

beforeAll(async () => {
  copy = join(await mkdtemp(join(tmpdir(), 'relay-backend-copy-')), 'app');
  await cp(APP, copy, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|reports|\.ssot)([\\/]|$)/.test(src.slice(APP.length)),
  });
  await run(join(copy, 'link-toolkit.sh'), [TOOLKIT], { timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  if (copy) await rm(join(copy, '..'), { recursive: true, force: true });
});

describe('examples/relay-backend', () => {
  it('links the toolkit with the same script as legacy-app', async () => {
    expect(readFileSync(join(APP, 'link-toolkit.sh'))).toEqual(readFileSync(join(TOOLKIT, 'examples/legacy-app/link-toolkit.sh')));
    expect(await realpath(join(copy, 'node_modules/ssot-migrate'))).toBe(await realpath(TOOLKIT));
  });

  it('has a draft manifest that loads and names modules and classes that exist', async () => {
    const manifest = await loadManifest(APP);
    const declared = (module: string, name: string) => readFileSync(join(APP, `${module}.ts`), 'utf8').includes(`class ${name}`);
    for (const legacy of manifest.legacy) expect(existsSync(join(APP, `${legacy.module}.ts`)), legacy.module).toBe(true);
    for (const adapter of manifest.adapters) expect(declared(adapter.module, adapter.class), adapter.class).toBe(true);
    for (const entry of manifest.factory?.entries ?? []) expect(existsSync(join(APP, `${entry.module}.ts`)), entry.module).toBe(true);
  });

  it('keeps the cases it exists for (a census of the shapes #16/#17 must handle)', () => {
    const text = Object.fromEntries(sources(APP).map((file) => [file, readFileSync(join(APP, file), 'utf8')]));
    const where = (pattern: RegExp) => Object.keys(text).filter((file) => pattern.test(text[file]!));
    const cases: [string, RegExp][] = [
      ['synchronous manager API', /^\s+attach\(userId: string, socket: Socket\): string \{/m],
      ['static singleton factory', /static shared\(\): RealtimeHub/],
      ['per-request factory returning the singleton', /static forRequest\(req: ScopeSource\): RealtimeHub/],
      ['push-style adapter', /pushToolDone\(tool: string, result: unknown, ms: number\): void/],
      ['the leak: scope read back after an await', /await this\.services\.threads\.history[\s\S]*RunEventPusher\.forCurrentRequest\(hub\)/],
      ['alias module', /export \{ RealtimeHub as SocketHub/],
      ['dead import under @ts-ignore', /@ts-ignore[^\n]*\nimport \{ HubStats \}/],
      ['X as X', /import \{ RunEventPusher as RunEventPusher \}/],
      ['require() in a .cts', /require\('\.\.\/realtime\/registry'\)/],
      ['dynamic import()', /await import\('\.\.\/realtime\/registry\.js'\)/],
      ['paths alias', /from '@realtime\//],
      ['namespace import', /import \* as realtime from/],
      ['export * from', /export \* from '\.\/hub\.js'/],
      ['EventEmitter callback reaching the factory', /queue\.on\('failed', \(job[\s\S]*HubRegistry\.shared\(\)/],
      ['setTimeout callback reaching the factory', /setTimeout\(\(\) => \{[\s\S]*Registry\.shared\(\)/],
      ['factory call in a framework-constructed class', /constructor\(private readonly services: AppServices\) \{\s+this\.hub = HubRegistry\.shared\(\);/],
      ['synchronous function pushing run events', /export function sendDigest\(payload: DigestPayload\): number/],
    ];
    for (const [name, pattern] of cases) expect(where(pattern), name).not.toEqual([]);
    for (const copies of [/export enum HubMode/, /export interface RealtimeHubApi/, /export type RunEventType/]) {
      expect(where(copies).length, String(copies)).toBe(2);
    }
    expect(where(/\bRequestScope\b/).length).toBeGreaterThan(1);
  });

  it('typechecks, passes its own suite (writing the JUnit report), and fails isolation on the legacy code', async () => {
    const typecheck = await npm(copy, 'typecheck');
    expect(typecheck, typecheck.output).toMatchObject({ code: 0 });

    const test = await npm(copy, 'test');
    expect(test, test.output).toMatchObject({ code: 0 });
    expect(await readFile(join(copy, 'reports/junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*tests="19"[^>]*failures="0"/);

    const isolation = await npm(copy, 'test:isolation');
    expect(isolation.code, isolation.output).toBe(1);
    const rate = /success rate (\d+(?:\.\d)?)%/.exec(isolation.output);
    expect(rate, isolation.output).not.toBeNull();
    expect(Number(rate?.[1])).toBeLessThan(100);
  }, 240_000);
});
