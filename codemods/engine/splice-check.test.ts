import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { applyEdits } from './edits.js';
import { parseErrorOf, parseSource, scriptKindOf } from './parse.js';
import { splicesKeepParsing } from './splice-check.js';
import type { Edit } from './types.js';

/** The check's verdict and the truth (a full parse of the output). */
function judge(file: string, text: string, edits: Edit[]): { known: boolean; parses: boolean; after: string } {
  const { sf, error } = parseSource(file, text);
  expect(error, 'the input parses').toBeUndefined();
  const after = applyEdits(text, edits);
  return { known: splicesKeepParsing(file, sf, text, edits, after, scriptKindOf(file)), parses: parseErrorOf(file, after) === undefined, after };
}

const at = (text: string, needle: string, nth = 0): number => {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(needle, i + 1);
  if (i < 0) throw new Error(`${needle} not in text`);
  return i;
};
const swap = (text: string, needle: string, to: string, nth = 0): Edit => ({ start: at(text, needle, nth), end: at(text, needle, nth) + needle.length, text: to });

describe('splicesKeepParsing', () => {
  const src = "import { Legacy } from './legacy.js';\nimport type { T } from './t.js';\n\nexport function f(x: Legacy): T {\n  return new Legacy(x);\n}\n";

  it('knows renames and retargets without parsing: identifier for identifier, string for string', () => {
    const r = judge('a.ts', src, [swap(src, 'Legacy', 'Canonical'), swap(src, 'Legacy', 'Canonical', 1), swap(src, 'Legacy', 'Canonical', 2), swap(src, "'./legacy.js'", "'pkg/canonical'")]);
    expect(r).toMatchObject({ known: true, parses: true });
  });

  it('does not take a keyword for an identifier, in either direction', () => {
    expect(judge('a.ts', src, [swap(src, 'Legacy', 'type', 1)]).known).toBe(false);
    // `type` here is a keyword: `import Foo { T }` does not parse
    expect(judge('a.ts', src, [swap(src, 'type', 'Foo')])).toMatchObject({ known: false, parses: false });
  });

  it('does not take an unterminated or doubled literal for a string literal', () => {
    expect(judge('a.ts', src, [swap(src, "'./legacy.js'", "'pkg")])).toMatchObject({ known: false, parses: false });
    expect(judge('a.ts', src, [swap(src, "'./legacy.js'", "'a' + 'b'")]).known).toBe(false);
  });

  it('parses the import block on its own for list rewrites, and refuses a broken one', () => {
    const good = judge('a.ts', src, [swap(src, "{ Legacy } from './legacy.js'", "{ Legacy as L, Other } from 'pkg'")]);
    expect(good).toMatchObject({ known: true, parses: true });
    const bad = judge('a.ts', src, [swap(src, "{ Legacy } from './legacy.js'", "{ Legacy as } from 'pkg'")]);
    expect(bad).toMatchObject({ known: false, parses: false });
  });

  it('refuses a splice that cuts a block comment open', () => {
    const t = "import { A } from './a.js';\n/* note */\nexport const x = A;\n";
    const r = judge('a.ts', t, [{ start: 0, end: at(t, '/*') + 2, text: '' }]);
    expect(r).toMatchObject({ known: false, parses: false });
  });

  it('does not let the untouched rest start inside a comment a splice cut (a leading line comment)', () => {
    const t = "// a local alias that keeps a legacy name\nimport { A } from './a.js';\nexport const x = A;\n";
    expect(judge('a.ts', t, [{ start: 0, end: 8, text: ';' }])).toMatchObject({ known: false, parses: false });
  });

  it('refuses to vouch when the last import goes and the file stops being a module', () => {
    const t = "import './side.js';\nconst x = await Promise.resolve(1);\nconsole.log(x);\n";
    expect(judge('a.ts', t, [{ start: 0, end: at(t, 'const'), text: '' }]).known).toBe(false);
  });

  it('does not vouch for a prefix whose last statement the rest could continue', () => {
    const t = "import { A } from './a.js';\nlet y = A\nlet z = 1;\n";
    // rewriting the import and the statement right after it: the prefix ends in `(A)` (no `;`, ASI before `let`)
    const r = judge('a.ts', t, [swap(t, "'./a.js'", "'./b.js'"), { start: at(t, 'let y = A'), end: at(t, 'let y = A') + 9, text: 'let y = (A)' }]);
    expect(r.known).toBe(false);
  });

  it('in JSX, renames go through the parse (a tag name must match its closing tag)', () => {
    const t = "import { Box } from './box.js';\nexport const v = <Box>hi</Box>;\n";
    const r = judge('a.tsx', t, [swap(t, 'Box', 'Panel', 1)]);
    expect(r).toMatchObject({ known: false, parses: false });
  });

  it('keeps working with a BOM, CRLF and non-ASCII text before the imports', () => {
    const t = toCrlfBom("// héllo wörld ✓\nimport { Legacy } from './legacy.js';\nexport * as ns from './legacy.js';\nimport type { T } from './t.js';\nexport const v: T = new Legacy();\n");
    const r = judge('a.ts', t, [swap(t, "{ Legacy } from './legacy.js'", "{ Canonical as Legacy } from 'pkg'"), swap(t, "'./legacy.js'", "'pkg'", 1)]);
    expect(r).toMatchObject({ known: true, parses: true });
    expect(r.after.startsWith('\uFEFF// héllo')).toBe(true);
  });

  it('parses from the first statement a splice reaches when the one before ends decisively, and only then', () => {
    const t = "import { A } from './a.js';\nimport { B } from './b.js';\nexport const x = A;\nexport const y = B;\n";
    const list = swap(t, "{ B } from './b.js'", "{ B, C } from './c.js'");
    expect(judge('a.ts', t, [list])).toMatchObject({ known: true, parses: true });
    expect(judge('a.ts', t, [swap(t, "{ B } from './b.js'", "{ B, } from")])).toMatchObject({ known: false, parses: false });
    // glued to the import before it, which has no `;` then: `import … './a.js'import …`
    const noSemi = t.replace("'./a.js';", "'./a.js'");
    expect(judge('a.ts', noSemi, [{ start: at(noSemi, '\nimport { B }'), end: at(noSemi, '\nimport { B }') + 1, text: '' }])).toMatchObject({ known: false, parses: false });
    expect(judge('a.ts', noSemi, [swap(noSemi, "{ B } from './b.js'", "{ B, C } from './c.js'")])).toMatchObject({ known: true, parses: true });
    // a statement the new one would continue: `if (a) f();` then `else …`
    const ifs = "import { A } from './a.js';\nif (A) f();\nimport { B } from './b.js';\nexport const y = B;\n";
    const r = judge('a.ts', ifs, [{ start: at(ifs, "import { B }"), end: at(ifs, "import { B }") + 26, text: 'else g();' }]);
    // `if (A) f();\nelse g();;` parses, though not from the part alone (it starts with `else`): known from the start of the file
    expect(r).toMatchObject({ known: true, parses: true });
  });

  it('does not let the rest start inside a comment on the line the part ends on (a trailing comment)', () => {
    const t = "import { A } from './a.js'; // keep this note\n\nexport const x = A;\n";
    const cut = at(t, ' // keep');
    expect(judge('a.ts', t, [{ start: cut, end: cut + 6, text: 'import { B } from "b";\n' }])).toMatchObject({ known: false, parses: false });
  });

  it('takes a shebang for what it is: trivia at the start of the file only', () => {
    const t = "#!/usr/bin/env node\nimport { A } from './a.js';\nexport const x = A;\n";
    // cutting into the shebang line leaves its rest as code
    expect(judge('a.ts', t, [{ start: 0, end: 8, text: '' }])).toMatchObject({ known: false, parses: false });
    const u = "import { A } from './a.js';\nexport type { A };\nexport const x = 1;\n";
    // `#!` anywhere else is an error, though a part parsed alone would start with it
    expect(judge('a.ts', u, [{ start: at(u, 'export type'), end: at(u, 'export type') + 15, text: '#!' }])).toMatchObject({ known: false, parses: false });
  });

  it('does not let a `//` the splices leave at the end of the part comment out the rest', () => {
    const t = "import { A } from './a.js';\n\nexport function f(): void {\n  A();\n}\n";
    const gap = at(t, '\n\nexport');
    expect(judge('a.ts', t, [{ start: gap, end: gap + 2, text: '//' }])).toMatchObject({ known: false, parses: false });
    expect(judge('a.ts', toCrlfBom(t), [{ start: gap + 1, end: gap + 5, text: '//' }])).toMatchObject({ known: false, parses: false });
    expect(judge('a.ts', t, [{ start: gap, end: gap + 2, text: '// note\n' }])).toMatchObject({ known: true, parses: true });
  });

  it('does not vouch across ASI: the part must be followed by a line break, `;`, `}` or the end', () => {
    const t = "import { A } from './a.js'; import { B } from './b.js';\nexport const x = A;\n";
    // the first import loses its `;` and the second one follows on the same line
    const r = judge('a.ts', t, [{ start: at(t, "'./a.js';"), end: at(t, "'./a.js';") + 9, text: "'./c.js'" }]);
    expect(r).toMatchObject({ known: false, parses: false });
  });

  it('does not vouch for a part that parses alone as a script in a module with a top-level await', () => {
    // `await / 2 / y` divides an identifier in a script; in a module TypeScript re-parses it as `await /2/` then `y`
    for (const t of ["let x = 2;\nconst y = 1;\nexport { y };\n", "import './side.js';\nlet x = 2;\nconst y = 1;\nexport { y };\n"]) {
      const edit = (text: string): Edit => ({ start: at(t, 'let x = 2;'), end: at(t, 'let x = 2;') + 10, text });
      expect(judge('a.ts', t, [edit('const z = await / 2 / y;')])).toMatchObject({ known: false, parses: false });
      expect(judge('a.ts', t, [edit('const z = 4 / 2 / y;')])).toMatchObject({ known: true, parses: true });
    }
  });

  it('refuses to vouch when a script becomes a module', () => {
    const t = "const a = 1;\nconst await = 2;\nconsole.log(a);\n";
    const r = judge('a.js', t, [{ start: at(t, 'console'), end: at(t, 'console') + 15, text: "export { a };" }]);
    expect(r.known).toBe(false);
  });

  it('never vouches for an output that does not parse (random splices anywhere in the fixtures, after statements of every kind)', () => {
    const dirs = ['rewrite-imports', 'remove-adapters', 'move-declarations', 'consolidate-types'].map((d) => fileURLToPath(new URL(`../${d}/__testfixtures__`, import.meta.url)));
    const snippets = ['', 'X', "'m'", '{', '}', ';', '\n', ' ', '/*', '*/', '//', 'import { A } from "b"', 'import { A } from "b";\n', 'export * from "c"', 'else f();', 'with { type: "json" }', 'assert', 'await x;', 'await', '(', ')', '`', 'export const q = 1'];
    let seed = 2121;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let known = 0;
    let cases = 0;
    for (const dir of dirs)
      for (const name of readdirSync(dir).filter((f) => /\.(input|output)\.tsx?$/.test(f))) {
        const file = name.endsWith('.tsx') ? 'src/a.tsx' : 'src/a.ts';
        for (const text of [readFileSync(`${dir}/${name}`, 'utf8'), toCrlfBom(readFileSync(`${dir}/${name}`, 'utf8'))]) {
          const { sf, error } = parseSource(file, text);
          if (error || sf.statements.length < 2) continue;
          for (let k = 0; k < 12; k++) {
            // one or two splices starting at or near a statement of the file (not only its first)
            const edits: Edit[] = [];
            const st = sf.statements[1 + rand(sf.statements.length - 1)]!;
            let pos = Math.max(0, st.pos - 2 + rand(6));
            for (let j = 1 + rand(2); j > 0 && pos < text.length; j--) {
              const end = Math.min(text.length, pos + rand(30));
              edits.push({ start: pos, end, text: snippets[rand(snippets.length)]! });
              pos = end + 1 + rand(40);
            }
            const after = applyEdits(text, edits);
            if (after === text) continue;
            cases++;
            if (!splicesKeepParsing(file, sf, text, edits, after, scriptKindOf(file))) continue;
            known++;
            expect(parseErrorOf(file, after), `${name}: ${JSON.stringify(edits)}`).toBeUndefined();
          }
        }
      }
    expect(cases).toBeGreaterThan(2000);
    expect(known).toBeGreaterThan(100);
  });

  it('never vouches for an output that does not parse (random splices over the rewrite-imports fixtures)', () => {
    const dir = fileURLToPath(new URL('../rewrite-imports/__testfixtures__', import.meta.url));
    const inputs = readdirSync(dir).filter((f) => f.endsWith('.input.ts') || f.endsWith('.input.tsx'));
    const snippets = ['', 'X', 'type', "'m'", '"m"', "'m", '{', '}', ';', '\n', '/*', '*/', '//', 'import { A } from "b";\n', 'export * from "c";', 'as', ',', '(', ')', 'A as B', '`', '${'];
    let seed = 21;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    let known = 0;
    let cases = 0;
    for (const name of inputs) {
      const file = name.endsWith('.tsx') ? 'src/a.tsx' : 'src/a.ts';
      const text = readFileSync(`${dir}/${name}`, 'utf8');
      if (parseSource(file, text).error) continue;
      for (let k = 0; k < 40; k++) {
        // a few non-overlapping splices, often at token boundaries of the import block
        const edits: Edit[] = [];
        let pos = 0;
        const count = 1 + rand(3);
        for (let j = 0; j < count && pos < text.length; j++) {
          const start = pos + rand(Math.max(1, Math.min(120, text.length - pos)));
          const end = Math.min(text.length, start + rand(12));
          edits.push({ start, end, text: snippets[rand(snippets.length)]! });
          pos = end + 1;
        }
        const after = applyEdits(text, edits);
        if (after === text) continue;
        cases++;
        const { sf } = parseSource(file, text);
        if (!splicesKeepParsing(file, sf, text, edits, after, scriptKindOf(file))) continue;
        known++;
        expect(parseErrorOf(file, after), `${name}: ${JSON.stringify(edits)}`).toBeUndefined();
      }
    }
    expect(cases).toBeGreaterThan(1000);
    expect(known).toBeGreaterThan(100);
  });
});
