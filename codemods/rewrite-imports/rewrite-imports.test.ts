import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFixtures, toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { parseSource } from '../engine/parse.js';
import { processFile } from '../engine/process.js';
import { prefilter } from '../engine/transform.js';
import { rewriteImportsTransform } from './transform.js';

const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const { cases, rt } = loadFixtures(dir);
const update = process.env['UPDATE_FIXTURES'] === '1';

/** The engine's own path: prefilter first (a file it rules out is never parsed), then process. */
function run(file: string, text: string) {
  if (!prefilter(rewriteImportsTransform, text, rt)) return { report: { file, status: 'unchanged', problems: [] }, after: undefined };
  return processFile(file, text, rewriteImportsTransform, rt);
}

describe('rewrite-imports fixtures', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of cases) {
    describe(c.name, () => {
      it('produces the expected output, status and problems', () => {
        const r = run(c.file, c.input);
        const actual = r.after ?? c.input;
        if (update) writeFileSync(c.outputPath, actual);
        expect(c.output, `missing ${c.name}.output.ts`).toBeDefined();
        expect(actual).toBe(c.output);
        const status = c.expect.status ?? (c.output === c.input ? 'unchanged' : 'changed');
        expect(r.report.status).toBe(status);
        expect(r.report.problems.map((p) => p.code).sort()).toEqual([...(c.expect.problems ?? [])].sort());
        if (status !== 'failed') expect(parseSource(c.file, actual).error).toBeUndefined();
      });

      it('changes nothing on a second run', () => {
        const once = run(c.file, c.input).after ?? c.input;
        const twice = run(c.file, once);
        expect(twice.after).toBeUndefined();
        expect(['unchanged', 'skipped', 'failed']).toContain(twice.report.status);
      });

      it('keeps CRLF line endings and the BOM', () => {
        const input = toCrlfBom(c.input);
        const r = run(c.file, input);
        const actual = r.after ?? input;
        expect(actual).toBe(toCrlfBom(c.output ?? ''));
        expect(actual.startsWith('\uFEFF')).toBe(true);
        expect(actual.replace(/\r\n/g, '')).not.toContain('\n');
      });
    });
  }
});

describe('rewrite-imports: a module of free functions (functions[])', () => {
  it('leaves templated functions to remove-adapters and says where an untemplated one needs its decision', () => {
    const c = cases.find((x) => x.name === 'fn-free-functions')!;
    const messages = run(c.file, c.input).report.problems.map((p) => `${p.code}: ${p.message}`);
    expect(messages).toContain("deferred: sendToUser from legacy FNS001 is an entry point remove-adapters rewrites (a factory, an adapter, an exported instance or a free function's template); left for remove-adapters");
    expect(messages).toContain('unmapped-name: removeClient from legacy FNS001 has no entry in the manifest symbol map (a free function of a functions[] module: give it a template in functions[].templates, remove-adapters then rewrites its calls); left unchanged');
  });
});
