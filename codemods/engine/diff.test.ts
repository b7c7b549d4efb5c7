import { describe, expect, it } from 'vitest';
import { createDiff, createDiffFromEdits } from './diff.js';
import { applyEdits } from './edits.js';
import type { Edit } from './types.js';

const at = (text: string, s: string, nth = 0): number => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(s, i + 1);
  if (i < 0) throw new Error(`no ${s}`);
  return i;
};
const replace = (text: string, s: string, by: string, nth = 0): Edit => ({ start: at(text, s, nth), end: at(text, s, nth) + s.length, text: by });

const body = Array.from({ length: 30 }, (_, i) => `const v${i} = ${i};`).join('\n');
const src = `import { A } from './legacy';\nimport B from './legacy';\n${body}\nexport { A };`;

const CASES: Array<[string, string, (t: string) => Edit[]]> = [
  ['a rename and a retarget', src, (t) => [replace(t, 'A', 'C'), replace(t, "'./legacy'", "'canon'"), replace(t, 'A };', 'C };')]],
  ['a line removed, one added elsewhere', src, (t) => [{ start: at(t, 'import B'), end: at(t, 'const v0'), text: '' }, { start: at(t, 'const v20'), end: at(t, 'const v20'), text: 'let w = 1;\n' }]],
  ['changes 6 and 7 lines apart (one hunk, two hunks)', src, (t) => [replace(t, 'v3 ', 'x3 '), replace(t, 'v10 ', 'x10 '), replace(t, 'v18 ', 'x18 ')]],
  ['the last line, no newline at the end', src, (t) => [replace(t, 'export { A };', 'export { A };\nexport { B };')]],
  ['a newline added at the end', src, (t) => [{ start: t.length, end: t.length, text: '\n' }]],
  ['several lines rewritten with common lines inside', src, (t) => [{ start: at(t, 'const v4'), end: at(t, 'const v9'), text: 'const v4 = 4;\nconst q = 0;\nconst v6 = 6;\nconst v7 = 7;\nconst r = 1;\n' }]],
  ['neighbouring lines edited separately', src, (t) => [replace(t, 'v1 ', 'y1 '), replace(t, 'v2 ', 'y2 '), replace(t, 'v3 ', 'y3 ')]],
  ['CRLF and a BOM', `\uFEFF${src.replace(/\n/g, '\r\n')}\r\n`, (t) => [replace(t, 'A', 'C'), { start: at(t, 'import B'), end: at(t, 'const v0'), text: '' }]],
  ['everything removed', 'a\nb\n', (t) => [{ start: 0, end: t.length, text: '' }]],
  ['an empty file filled', '', () => [{ start: 0, end: 0, text: 'x\ny' }]],
  ['insertions at one offset keep their order', src, (t) => [{ start: at(t, 'const v5'), end: at(t, 'const v5'), text: 'a;\n' }, { start: at(t, 'const v5'), end: at(t, 'const v5'), text: 'b;\n' }]],
];

describe('createDiffFromEdits', () => {
  for (const [name, before, edits] of CASES)
    it(`gives the whole-file line diff's patch and count: ${name}`, () => {
      const e = edits(before);
      const after = applyEdits(before, e);
      expect(after).not.toBe(before);
      expect(createDiffFromEdits('src/f.ts', before, after, e)).toEqual(createDiff('src/f.ts', before, after));
      expect(createDiffFromEdits('src/f.ts', before, after, [...e].reverse())).toEqual(createDiff('src/f.ts', before, after));
    });
});
