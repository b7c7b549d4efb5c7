/**
 * The example custom phase's fixtures, jscodeshift's way (`__testfixtures__/<case>.input.ts` /
 * `.output.ts` through `applyTransform` from jscodeshift's testUtils), plus what ssot-migrate asks
 * of every transform: a second run changes nothing, and CRLF + BOM files come out the same with
 * their line endings and BOM kept.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { API } from 'jscodeshift';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import * as renameMethod from './rename-method.js';

const require = createRequire(import.meta.url);
const { applyTransform } = require('jscodeshift/dist/testUtils.js') as { applyTransform: (mod: unknown, options: object, input: { path: string; source: string }, testOptions?: object) => string };
const jscodeshift = (require('jscodeshift') as { withParser(p: string): API['jscodeshift'] }).withParser(renameMethod.parser);
const api = { jscodeshift, j: jscodeshift, stats: () => {}, report: () => {} } as unknown as API;

const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const options = { from: 'sendMessage', to: 'sendToUser' };
const cases = readdirSync(dir).filter((f) => f.endsWith('.input.ts')).map((f) => f.slice(0, -'.input.ts'.length));
/** The transform as the runner calls it: undefined means "leave the file alone". */
const run = (source: string, path = 'src/x.ts') => renameMethod.default({ path, source }, api, options) ?? source;

describe('rename-method (jscodeshift transform)', () => {
  it('has the nasty cases', () => expect(cases.sort()).toEqual(['calls', 'declarations', 'untouched']));

  for (const c of cases) {
    describe(c, () => {
      const input = readFileSync(join(dir, `${c}.input.ts`), 'utf8');
      const output = readFileSync(join(dir, `${c}.output.ts`), 'utf8');
      it('matches its output fixture (jscodeshift applyTransform)', () => {
        // jscodeshift's testUtils turn "no change" (undefined) into ''
        expect(applyTransform(renameMethod, options, { path: `${c}.input.ts`, source: input }) || input.trim()).toBe(output.trim());
        expect(run(input)).toBe(output);
      });
      it('changes nothing on a second run', () => expect(run(output)).toBe(output));
      it('keeps CRLF line endings and a BOM', () => expect(run(toCrlfBom(input))).toBe(toCrlfBom(output)));
    });
  }

  it('refuses options that are not identifiers', () => {
    expect(() => renameMethod.default({ path: 'x.ts', source: 'a.b()' }, api, { from: 'a b', to: 'c' })).toThrow(/must be identifiers/);
  });
});
