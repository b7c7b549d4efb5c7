import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { declarationLines, deleteDeclaration } from '../engine/delete-declaration.js';

/** deletions[].declaration: each case deletes one top-level declaration (cases.json), run twice and as CRLF + BOM. */
const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const spec = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8')) as Record<string, { declaration: string; error?: string; missing?: boolean; removedImports?: string[] }>;
const cases = readdirSync(dir).filter((f) => f.endsWith('.input.ts')).map((f) => f.slice(0, -'.input.ts'.length)).sort();
const fileOf = (c: string): string => `src/app/${c}.ts`;
const afterOf = (c: string, text: string): string => {
  const r = deleteDeclaration(fileOf(c), text, spec[c]!.declaration);
  return 'after' in r ? r.after : text;
};

describe('deleting a scheduled declaration (deletions[].declaration)', () => {
  it('has a case for each rule', () => {
    expect(cases).toEqual(Object.keys(spec).sort());
  });

  for (const c of cases) {
    const input = readFileSync(join(dir, `${c}.input.ts`), 'utf8');
    const output = readFileSync(join(dir, `${c}.output.ts`), 'utf8');
    describe(c, () => {
      it('produces the expected output, or refuses with the expected message', () => {
        const r = deleteDeclaration(fileOf(c), input, spec[c]!.declaration);
        if (spec[c]!.error) expect(r).toEqual({ error: spec[c]!.error });
        else if (spec[c]!.missing) expect(r).toEqual({ missing: true });
        else {
          expect('after' in r && r.after).toBe(output);
          expect('removedImports' in r && r.removedImports.sort()).toEqual((spec[c]!.removedImports ?? []).sort());
        }
        if (!('after' in r)) expect(output).toBe(input);
      });

      it('changes nothing on a second run (the declaration is gone: missing)', () => {
        const once = afterOf(c, input);
        expect(afterOf(c, once)).toBe(once);
        if (once !== input) expect(deleteDeclaration(fileOf(c), once, spec[c]!.declaration)).toEqual({ missing: true });
      });

      it('keeps CRLF line endings and the BOM', () => {
        expect(afterOf(c, toCrlfBom(input))).toBe(toCrlfBom(output));
      });
    });
  }

  it('names the lines the gates skip while the deletion is scheduled (overloads included, and imports that go whole with it)', () => {
    const input = readFileSync(join(dir, 'overloads-and-imports.input.ts'), 'utf8');
    // line 1 keeps `keep`, so it stays a legacy import; line 2 (`legacyNs`) goes whole
    expect(declarationLines('a.ts', input, 'legacyHandle')).toEqual([{ from: 2, to: 2 }, { from: 8, to: 8 }, { from: 9, to: 9 }, { from: 11, to: 13 }]);
    expect(declarationLines('a.ts', input, 'nothing')).toBeUndefined();
    const dangling = readFileSync(join(dir, 'dangling-reference.input.ts'), 'utf8');
    expect(declarationLines('a.ts', dangling, 'danglingReferences7')).toEqual([{ from: 3, to: 3 }, { from: 6, to: 6 }]);
  });

  it('leaves a file that does not parse alone', () => {
    expect(deleteDeclaration('a.ts', 'export function f( {\n', 'f')).toMatchObject({ error: expect.stringContaining('does not parse') });
  });
});
