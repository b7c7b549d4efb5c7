import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { runCommand } from '../../scripts/runner/shell.js';
import { blindTypecheckProblem, compareHealth, countTypeErrors, measureHealth } from '../../scripts/runner/verify.js';

const result = (output: string, exitCode = 2) => ({ command: 'tsc --noEmit', exitCode, output, ms: 1 });

describe('countTypeErrors', () => {
  test('counts plain diagnostics (tsc 5.x into a pipe)', () => {
    expect(countTypeErrors(result("a.ts(1,1): error TS2307: Cannot find module 'x'.\nb.ts(2,2): error TS2322: no.\n"))).toBe(2);
  });

  test("counts TypeScript 7's pretty, coloured diagnostics (it colours even into a pipe)", () => {
    // Captured from typescript@7.0.2 `tsc --noEmit` with FORCE_COLOR=0, stdout a pipe.
    const out =
      '\x1b[96mtest/a.test.ts\x1b[0m:\x1b[93m6\x1b[0m:\x1b[93m38\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS2307: \x1b[0mCannot find module \'vitest\'.\n\n' +
      '\x1b[96mvitest.config.ts\x1b[0m:\x1b[93m2\x1b[0m:\x1b[93m30\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS2307: \x1b[0mCannot find module \'vitest/config\'.\n\n' +
      '\x1b[96msrc/x.ts\x1b[0m:\x1b[93m1\x1b[0m:\x1b[93m1\x1b[0m - \x1b[91merror\x1b[0m\x1b[90m TS2322: \x1b[0mType \'1\' is not assignable.\n\n' +
      'Found 3 errors in 3 files.\n';
    expect(countTypeErrors(result(out))).toBe(3);
  });

  test('a failing command that printed no diagnostic counts as one error; a clean one as none', () => {
    expect(countTypeErrors(result('tsc: command not found\n', 127))).toBe(1);
    expect(countTypeErrors(result('', 0))).toBe(0);
  });
});

describe('blindTypecheckProblem (real tsc)', () => {
  // a repo with a file that does not parse: tsc prints its syntax errors only, never the type error
  // next to it, so a phase's typecheck could not fail; the baseline is refused naming the file
  const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));
  const make = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssot-blind-'));
    for (const [f, t] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), t);
    }
    return dir;
  };
  const tsconfig = (exclude: string[]) => JSON.stringify({ compilerOptions: { strict: true, noEmit: true, types: [] }, include: ['src'], exclude });
  const typeError = 'export const n: number = "not a number";\n';
  const broken = 'export function (x {\n';

  test('only syntax errors, from a file that does not parse: refused, naming it and the fix', async () => {
    const dir = make({ 'tsconfig.json': tsconfig([]), 'src/ok.ts': typeError, 'src/scratch.ts': broken });
    try {
      const typecheck = await runCommand(dir, `${tsc} -p tsconfig.json`);
      expect(typecheck.output).not.toMatch(/TS2322/); // tsc never got to the type error
      const problem = blindTypecheckProblem(dir, { typeErrors: countTypeErrors(typecheck), typecheck, test: { command: 'true', exitCode: 0, output: '', ms: 1 } });
      expect(problem).toMatch(/reports only syntax errors \(\d+\), in src\/scratch\.ts, which does not parse: .*Exclude it from the tsconfig/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('the same repo with the file excluded type-checks, and is not refused', async () => {
    const dir = make({ 'tsconfig.json': tsconfig(['src/scratch.ts']), 'src/ok.ts': typeError, 'src/scratch.ts': broken });
    try {
      const typecheck = await runCommand(dir, `${tsc} -p tsconfig.json`);
      expect(typecheck.output).toMatch(/TS2322/);
      expect(blindTypecheckProblem(dir, { typeErrors: countTypeErrors(typecheck), typecheck, test: { command: 'true', exitCode: 0, output: '', ms: 1 } })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  test('a typecheck that fails printing no diagnostic (tsc not installed) is refused, not counted as one error before and after', async () => {
    const dir = make({ 'tsconfig.json': tsconfig([]), 'src/ok.ts': typeError });
    try {
      // what `npx tsc` does in a repo without typescript: exits non-zero with npm's message only
      const typecheck = await runCommand(dir, `node -e "console.error('npm error npx canceled due to missing packages'); process.exit(1)"`);
      const health = { typeErrors: countTypeErrors(typecheck), typecheck, test: { command: 'true', exitCode: 0, output: '', ms: 1 } };
      expect(blindTypecheckProblem(dir, health)).toMatch(/fails on the pre-phase tree \(exit 1\) without printing a TypeScript diagnostic[\s\S]*npx canceled/);
      // a real tsc failing with diagnostics is a baseline, not a refusal
      const real = await runCommand(dir, `${tsc} -p tsconfig.json`);
      expect(real.exitCode).not.toBe(0);
      expect(blindTypecheckProblem(dir, { ...health, typeErrors: countTypeErrors(real), typecheck: real })).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a test command that runs no tests', () => {
  // a verdict said "tests pass -> pass" for `npm test` running `echo "Error: no test specified" && exit 0`
  const repoWith = (test: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ssot-notests-'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { test } }));
    return dir;
  };
  test('the verdict says none ran (npm test of a placeholder edited to exit 0, or `true`), and a real test command still says pass', async () => {
    for (const [script, command] of [['echo "Error: no test specified" && exit 0', 'npm test'], ['node -e 0', 'true']] as const) {
      const dir = repoWith(script);
      try {
        const h = await measureHealth(dir, { typecheck: 'true', test: command });
        expect(h.noTests).toBe('always-passes');
        expect(compareHealth(h, h).summary).toBe(`typecheck 0->0 errors; tests none run (\`${command}\` runs no tests: checked by the typecheck only)`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const dir = repoWith('node -e 0');
    try {
      const h = await measureHealth(dir, { typecheck: 'true', test: 'npm test' });
      expect(h.noTests).toBeUndefined();
      expect(compareHealth(h, h).summary).toBe('typecheck 0->0 errors; tests pass -> pass');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('runCommand', () => {
  test("a verify command runs without the user's ~/.bashrc, even when SHLVL is unset and stdin is the watchdog's socket", async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'ssot-bashrc-'));
    const saved = { HOME: process.env['HOME'], SHLVL: process.env['SHLVL'] };
    try {
      writeFileSync(path.join(home, '.bashrc'), 'echo sourced > "$HOME/marker"\n');
      process.env['HOME'] = home;
      delete process.env['SHLVL'];
      const r = await runCommand(home, 'echo ran');
      expect(r.exitCode).toBe(0);
      expect(r.output).toBe('ran\n');
      expect(existsSync(path.join(home, 'marker'))).toBe(false);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      rmSync(home, { recursive: true, force: true });
    }
  });
});
