/**
 * The legacy app must run from a copy outside the toolkit (the demo copies it into a
 * scratch git repo): link-toolkit.sh makes the copy's node_modules point at the toolkit's,
 * plus `ssot-migrate` -> the toolkit root for the rewritten bare imports.
 * Real processes: tsc, vitest and tsx run in the copy.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TOOLKIT = fileURLToPath(new URL('../../', import.meta.url));
const APP = join(TOOLKIT, 'examples/legacy-app');

interface Outcome {
  code: number;
  output: string;
}

/** The child runs its own vitest: do not leak this worker's VITEST_* settings into it. */
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS'));

async function npm(cwd: string, script: string): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', script], { cwd, env: childEnv, timeout: 120_000, maxBuffer: 8 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let copy: string;

beforeAll(async () => {
  copy = join(await mkdtemp(join(tmpdir(), 'legacy-app-copy-')), 'app');
  await cp(APP, copy, {
    recursive: true,
    filter: (src) => !/[\\/](node_modules|reports)([\\/]|$)/.test(src.slice(APP.length)),
  });
  await run(join(copy, 'link-toolkit.sh'), [TOOLKIT], { timeout: 30_000 });
}, 60_000);

afterAll(async () => {
  if (copy) await rm(join(copy, '..'), { recursive: true, force: true });
});

describe('a copy of examples/legacy-app outside the toolkit', () => {
  it('links node_modules entries and ssot-migrate to the toolkit, and ignores node_modules', async () => {
    expect(await realpath(join(copy, 'node_modules/ssot-migrate'))).toBe(await realpath(TOOLKIT));
    expect(await realpath(join(copy, 'node_modules/typescript'))).toBe(await realpath(join(TOOLKIT, 'node_modules/typescript')));
    expect((await readFile(join(copy, '.gitignore'), 'utf8')).split('\n')).toContain('node_modules');
    // Idempotent: a second run changes nothing and still succeeds.
    await run(join(copy, 'link-toolkit.sh'), [TOOLKIT], { timeout: 30_000 });
    expect((await readFile(join(copy, '.gitignore'), 'utf8')).match(/^node_modules$/gm)).toHaveLength(1);
  });

  it('refuses a directory that is not the toolkit', async () => {
    await expect(run(join(copy, 'link-toolkit.sh'), [copy])).rejects.toMatchObject({ code: 2 });
  });

  it('typechecks, passes its mission-critical suite (writing the JUnit report), and fails isolation on legacy code', async () => {
    const typecheck = await npm(copy, 'typecheck');
    expect(typecheck, typecheck.output).toMatchObject({ code: 0 });

    const test = await npm(copy, 'test');
    expect(test, test.output).toMatchObject({ code: 0 });
    expect(test.output).toMatch(/3 passed/);
    expect(await readFile(join(copy, 'reports/junit.xml'), 'utf8')).toMatch(/<testsuites[^>]*tests="3"[^>]*failures="0"/);

    const isolation = await npm(copy, 'test:isolation');
    expect(isolation.code).toBe(1);
    const rate = /success rate (\d+(?:\.\d)?)%/.exec(isolation.output);
    expect(rate, isolation.output).not.toBeNull();
    expect(Number(rate?.[1])).toBeLessThan(100);
  }, 240_000);

  it('resolves the bare specifier ssot-migrate/canonical for the typechecker (ESM and CommonJS files)', async () => {
    await writeFile(
      join(copy, 'src/probe_canonical.ts'),
      "import { createWebSocketManager } from 'ssot-migrate/canonical';\nexport const probe: unknown = createWebSocketManager;\n",
    );
    await writeFile(
      join(copy, 'src/probe_canonical.cts'),
      "import canonical = require('ssot-migrate/canonical');\nexport const probe: unknown = canonical.createWebSocketManager;\n",
    );
    const typecheck = await npm(copy, 'typecheck');
    expect(typecheck, typecheck.output).toMatchObject({ code: 0 });
  }, 120_000);
});
