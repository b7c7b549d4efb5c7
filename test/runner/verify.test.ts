import { describe, expect, test } from 'vitest';
import { countTypeErrors } from '../../scripts/runner/verify.js';

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
