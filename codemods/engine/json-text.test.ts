import { describe, expect, it } from 'vitest';
import { jsonBytes, jsonPieces } from './json-text.js';

// values covering JSON.stringify's rules: escapes, non-ASCII, empty containers, omitted and
// non-finite values, toJSON, nested arrays of records
const samples: unknown[] = [
  null,
  0,
  -1.5e-7,
  'plain',
  'quote " backslash \\ newline \n tab \t nul \u0000 lone surrogate \ud800 emoji 😀 é',
  [],
  {},
  [[], {}, [[]]],
  { a: undefined, b: () => 1, c: Symbol('s'), d: NaN, e: Infinity, f: [undefined, () => 1, NaN] },
  { when: new Date(0), nested: { toJSON: (k: string) => `key:${k}` } },
  { 'odd "key"\n': 1, '': { '': [] } },
  {
    canonical: '@app/realtime',
    importSites: [
      { file: 'src/a.ts', line: 1, form: 'named', name: 'X', insideFunction: false, alias: undefined },
      { file: 'src/b.ts', line: 2, form: 'default', compliant: true },
    ],
    declarations: [{ name: 'M', file: 'src/m.ts', kind: 'class', suggestion: true }],
    proposals: { replacements: [{ field: 'f', replacements: { a: 'b' } }] },
  },
];

describe('jsonPieces / jsonBytes', () => {
  it.each([0, 1, 2, 4])('are byte-identical to JSON.stringify(v, null, %i)', (indent) => {
    for (const v of samples) {
      const want = JSON.stringify(v, null, indent);
      expect([...jsonPieces(v, { indent })].join('')).toBe(want);
      expect(jsonBytes(v, { indent }, '\n').equals(Buffer.from(`${want}\n`, 'utf8'))).toBe(true);
    }
  });

  it('writes undefined at the top as nothing, as JSON.stringify gives undefined', () => {
    expect([...jsonPieces(undefined)]).toEqual([]);
  });

  it('with flatRecords writes each array element of scalars on one line, same JSON value', () => {
    const v = samples.at(-1) as Record<string, unknown>;
    const text = jsonBytes(v, { indent: 2, flatRecords: true }).toString('utf8');
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(v)));
    expect(text).toContain('\n    {"file":"src/a.ts","line":1,"form":"named","name":"X","insideFunction":false},\n');
    expect(text).toContain('\n    {"name":"M","file":"src/m.ts","kind":"class","suggestion":true}\n');
    // an element holding an object is indented as usual
    expect(text).toContain('"replacements": [\n      {\n        "field": "f",');
  });

  it('gathers many records in pieces of bounded size, never one string of the whole', () => {
    const n = 60_000;
    const sites = Array.from({ length: n }, (_, i) => ({ file: `packages/p${i % 97}/src/file_${i}.ts`, line: i, form: 'named', target: 'WSM003', name: 'WebSocketManager', insideFunction: false }));
    const doc = { importSites: sites };
    let pieces = 0;
    let longest = 0;
    for (const p of jsonPieces(doc, { flatRecords: true })) {
      pieces++;
      longest = Math.max(longest, p.length);
    }
    expect(pieces).toBeGreaterThan(n);
    expect(longest).toBeLessThan(200);
    const bytes = jsonBytes(doc, { indent: 2 });
    expect(bytes.length).toBeGreaterThan(8 * 2 ** 20); // several 1 MiB batches
    expect(bytes.equals(Buffer.from(JSON.stringify(doc, null, 2), 'utf8'))).toBe(true);
  });
});
