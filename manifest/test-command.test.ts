import { describe, expect, test } from 'vitest';
import { commandRunsNoTests, verifyTestRunsNoTests } from './test-command.js';

describe('commandRunsNoTests', () => {
  test("npm init's placeholder always fails; edited to exit 0, or a bare echo/true/exit 0, it always passes", () => {
    expect(commandRunsNoTests('echo "Error: no test specified" && exit 1')).toBe('always-fails');
    expect(commandRunsNoTests("echo 'Error: no test specified' && exit 0")).toBe('always-passes');
    expect(commandRunsNoTests('echo "Error: no test specified" && exit 0')).toBe('always-passes');
    expect(commandRunsNoTests('echo ok')).toBe('always-passes');
    expect(commandRunsNoTests('true')).toBe('always-passes');
    expect(commandRunsNoTests('exit 0')).toBe('always-passes');
    expect(commandRunsNoTests(':')).toBe('always-passes');
    expect(commandRunsNoTests('echo "no tests yet"; exit 0')).toBe('always-passes');
  });

  test('a command that may run something is not classified', () => {
    for (const c of ['vitest run', 'jest', 'echo start && jest', 'echo x | node t.js', 'echo $(node t.js)', 'echo `node t.js`', 'echo "Error: no test specified" && exit 1 || node smoke.js', 'echo a & node t.js', 'node --test', 'true && mocha'])
      expect(commandRunsNoTests(c), c).toBeUndefined();
  });
});

describe('verifyTestRunsNoTests', () => {
  const scripts = { test: 'echo "Error: no test specified" && exit 0', smoke: 'node smoke.js', ok: 'echo ok' };
  test('follows npm test / npm run / yarn / pnpm to the package.json script', () => {
    expect(verifyTestRunsNoTests('npm test', scripts)).toBe('always-passes');
    expect(verifyTestRunsNoTests('npm t', scripts)).toBe('always-passes');
    expect(verifyTestRunsNoTests('npm run ok', scripts)).toBe('always-passes');
    expect(verifyTestRunsNoTests('yarn test', scripts)).toBe('always-passes');
    expect(verifyTestRunsNoTests('pnpm run smoke', scripts)).toBeUndefined();
    expect(verifyTestRunsNoTests('npm test', { test: 'vitest run' })).toBeUndefined();
    // no package.json script of that name: nothing known
    expect(verifyTestRunsNoTests('npm test', undefined)).toBeUndefined();
    // bun's own test runner, not a script
    expect(verifyTestRunsNoTests('bun test', scripts)).toBeUndefined();
    // a command that is no script call is read as written
    expect(verifyTestRunsNoTests('true', undefined)).toBe('always-passes');
  });
});
