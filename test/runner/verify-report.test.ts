/** A failed verification shows the first new type errors and the first failing tests with their messages, then the full log. */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { compareHealth, countTypeErrors, failureLines, newTypeErrors } from '../../scripts/runner/verify.js';
import { makeRepo } from './fixture-repo.js';

const FILES = { 'src/a.ts': 'import { OLD } from "./old";\nexport const a = OLD;\n' };
// Fails with the root cause early and 60 lines of noise after it (a tail would not show it).
const NOISY_TEST = `import fs from 'node:fs';
const bad = fs.readdirSync('src').some((f) => fs.readFileSync('src/' + f, 'utf8').includes('FAILTEST'));
if (bad) {
  console.log(' FAIL  test/hub.test.ts > hub > attaches a socket');
  console.log("TypeError: hub.attach is not a function");
  for (let i = 0; i < 60; i++) console.log('noise line ' + i);
}
process.exit(bad ? 1 : 0);
`;
const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

describe('failed verification report', () => {
  test('new type errors as file:line code message, the failing test with its message, and where the full log is', async () => {
    const repo = makeRepo({ ...FILES, 'noisy-test.mjs': NOISY_TEST }, { verify: { typecheck: 'node typecheck.mjs', test: 'node noisy-test.mjs' } });
    repos.push(repo);
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    const types = await runPhase(repo, 'toy-rewrite', { options: { inject: 'BROKEN\n' } });
    expect(types.status).toBe('failed');
    expect(types.reason).toContain('first new errors:\n    src/a.ts:1 TS2304 Cannot find name BROKEN.');
    const tests = await runPhase(repo, 'toy-rewrite', { options: { inject: '// FAILTEST\n' } });
    expect(tests.status).toBe('failed');
    expect(tests.reason).toContain('first failing tests:\n    FAIL  test/hub.test.ts > hub > attaches a socket\n    TypeError: hub.attach is not a function');
    expect(tests.reason).not.toContain('noise line 59');
    const log = /full output of both commands: (.+)$/m.exec(tests.reason!)?.[1];
    expect(log && existsSync(log)).toBe(true);
    expect(readFileSync(log!, 'utf8')).toContain('noise line 59');
  });

  test('only errors that were not there before count as new; pretty tsc output is read too', () => {
    const r = (output: string) => ({ command: 'tsc', exitCode: 2, output, ms: 1 });
    const before = r("src/x.ts(3,1): error TS2322: Type '1' is not assignable.\n");
    const after = r("src/x.ts(4,1): error TS2322: Type '1' is not assignable.\nsrc/y.ts:7:3 - error TS2339: Property 'attach' does not exist on type 'Hub'.\n");
    expect(newTypeErrors(before, after)).toEqual([{ file: 'src/y.ts', line: 7, code: 'TS2339', message: "Property 'attach' does not exist on type 'Hub'." }]);
    expect(failureLines('ok 1\nnot ok 2 - sends\n  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal\nfine\n')).toEqual(['not ok 2 - sends', '  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal']);
  });

  test('new errors fail the typecheck even when the total falls; renamed types and moved declarations are the same errors', () => {
    const r = (output: string) => ({ command: 'tsc', exitCode: 2, output, ms: 1 });
    const health = (output: string) => ({ typeErrors: countTypeErrors(r(output)), typecheck: r(output), test: { command: 'true', exitCode: 0, output: '', ms: 1 } });
    // Three errors fixed (the phase brought a declaration into the program), one introduced.
    const before = health("src/a.ts(1,1): error TS2304: Cannot find name 'Buffer'.\nsrc/a.ts(2,1): error TS2304: Cannot find name 'Buffer'.\nsrc/a.ts(3,1): error TS2304: Cannot find name 'process'.\n");
    const after = health("src/b.ts(9,5): error TS18046: 'msg' is of type 'unknown'.\n");
    const v = compareHealth(before, after);
    expect(v.ok).toBe(false);
    expect(v.failures[0]).toContain('1 new TypeScript error(s), although the total went from 3 to 1');
    expect(v.failures[0]).toContain("src/b.ts:9 TS18046 'msg' is of type 'unknown'.");
    // The same errors after a rename (file + code) and a move (code + message): not new.
    const renamed = health("src/a.ts(1,1): error TS2339: Property 'x' does not exist on type 'Legacy'.\nsrc/a.ts(5,1): error TS2322: Type '1' is not assignable to type 'string'.\n");
    const moved = health("src/a.ts(4,1): error TS2339: Property 'x' does not exist on type 'WebSocketManager'.\nsrc/canonical.ts(40,1): error TS2322: Type '1' is not assignable to type 'string'.\n");
    expect(compareHealth(renamed, moved).ok).toBe(true);
    // Each error before answers for one after.
    const twice = health("src/a.ts(4,1): error TS2339: Property 'x' does not exist on type 'WebSocketManager'.\nsrc/a.ts(6,1): error TS2339: Property 'y' does not exist on type 'WebSocketManager'.\n");
    expect(newTypeErrors(renamed.typecheck, twice.typecheck)).toHaveLength(1);
  });
});
