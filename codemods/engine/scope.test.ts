import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { parseSource } from './parse.js';
import { bindingReferences, buildScopeIndex, NameIndex, referencedNames } from './scope.js';

const codemods = fileURLToPath(new URL('..', import.meta.url));

/** Every fixture source of every phase (inputs and outputs), as written and as CRLF+BOM. */
function fixtureSources(): Array<{ file: string; text: string }> {
  const out: Array<{ file: string; text: string }> = [];
  for (const phase of readdirSync(codemods)) {
    const dir = join(codemods, phase, '__testfixtures__');
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.filter((f) => /\.(ts|tsx)$/.test(f))) {
      const text = readFileSync(join(dir, n), 'utf8');
      const file = `${phase}/${n}`;
      out.push({ file, text }, { file: `${file} (CRLF+BOM)`, text: toCrlfBom(text) });
    }
  }
  return out;
}

/** NameIndex's answer for `names` equals buildScopeIndex's: the same identifier nodes, in the same order. */
function expectSameAsFull(file: string, text: string, extra: readonly string[] = []): number {
  const { sf, error } = parseSource(file.replace(/ \(.*\)$/, ''), text);
  if (error) return 0;
  const full = buildScopeIndex(sf);
  const lazy = new NameIndex(sf);
  const names = new Set([...full.declared.keys(), ...full.references.keys(), ...extra]);
  for (const name of names) {
    expect(lazy.declared(name), `${file}: declarations of ${name}`).toEqual(full.declared.get(name) ?? []);
    expect(lazy.references(name), `${file}: references of ${name}`).toEqual(full.references.get(name) ?? []);
    // the very nodes, not equal-looking ones
    lazy.references(name).forEach((id, i) => expect(id).toBe(full.references.get(name)![i]));
  }
  return names.size;
}

describe('NameIndex (engine/scope.ts): buildScopeIndex answers for the names asked about', () => {
  it('agrees with buildScopeIndex on every name of every phase fixture, also as CRLF+BOM', () => {
    const sources = fixtureSources();
    expect(sources.length).toBeGreaterThan(200);
    let checked = 0;
    for (const { file, text } of sources) checked += expectSameAsFull(file, text, ['Foo', 'default', 'import', 'from']);
    expect(checked).toBeGreaterThan(2000);
  });

  it('skips a name in comments, strings, templates, JSDoc, longer names, private names and property names', () => {
    const text = [
      '// Foo in a line comment',
      '/** @param {Foo} x Foo in JSDoc */',
      "import { Foo, Bar as Baz } from './m';",
      "const s = 'Foo' + \"Foo\" + `Foo ${Foo} Foo`;",
      'const FooBar = 1, aFoo = 2;',
      'class C { #Foo = 1; Foo = 2; get() { return this.#Foo + this.Foo; } }',
      'const o = { Foo, Foo: Foo, [Foo]: 1 };',
      'function f(Foo: number) { label: for (;;) { break label; } return Foo; }',
      'type T = typeof Foo | Foo.Inner;',
      'export { Foo as Qux, Baz };',
      'const re = /Foo/;',
      '',
    ].join('\n');
    expectSameAsFull('a.ts', text, ['Foo', 'Bar', 'Baz', 'Qux', 'label', 'Inner', 'FooBar']);
    const { sf } = parseSource('a.ts', text);
    const lazy = new NameIndex(sf);
    expect(lazy.declared('Foo').map((id) => id.parent.kind)).toHaveLength(2); // the import and the parameter
    expect(lazy.references('Foo').length).toBeGreaterThan(5);
  });

  it('agrees in a TSX file (tag names, attributes)', () => {
    const text = "import { Foo } from './m';\nexport const el = <Foo Foo=\"Foo\" x={Foo}><div>Foo</div></Foo>;\n";
    expectSameAsFull('a.tsx', text, ['Foo', 'div', 'x']);
  });

  it('finds a name spelled with a \\u escape (the file is then indexed in full)', () => {
    const text = "import { Foo } from './m';\nexport const a = \\u0046oo;\nexport const b = Foo;\n";
    const { sf, error } = parseSource('a.ts', text);
    expect(error).toBeUndefined();
    expect(new NameIndex(sf).references('Foo')).toHaveLength(2);
    expectSameAsFull('a.ts', text, ['Foo']);
  });
});

describe('bindingReferences: the references of one binding, nested declarations of its name looked through', () => {
  it('an import is used where no nested declaration shadows it; a nested binding has its own', () => {
    const text = [
      "import { f } from 'm';",
      'function a(f: () => void) { f(); }',
      'function b() { f(); { const f = 1; void f; } }',
      'function c() { var f = 2; void f; }',
      'function d() { try { f(); } catch (f) { void f; } }',
      'function e() { const { f } = g(); return () => f; }',
      'declare function g(): { f: number };',
      '',
    ].join('\n');
    const { sf } = parseSource('x.ts', text);
    const index = buildScopeIndex(sf);
    const line = (n: { getStart(): number }): number => sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
    const declared = index.declared.get('f')!;
    const references = index.references.get('f')!;
    // the import: b's first call and d's try block (lines 3, 5)
    expect(bindingReferences(declared[0]!, declared, references).map(line)).toEqual([3, 5]);
    // e's destructured binding: its arrow's read (line 6), nothing outside e
    const own = declared.find((d) => line(d) === 6)!;
    expect(bindingReferences(own, declared, references).map(line)).toEqual([6]);
  });
});

describe('referencedNames: the names a replacement text still needs', () => {
  it('counts references, `$`-names included, and not strings, comments, member names or property keys', () => {
    const names = referencedNames("m.emit('x', { agentName: $label, finalResponse: $t(`done ${who}`), m2: 'helper' }) /* other */");
    expect([...names].sort()).toEqual(['$label', '$t', 'm', 'who']);
  });
  it('a shorthand property is a reference; a declared name is not', () => {
    expect([...referencedNames('const fresh = { hub };')]).toEqual(['hub']);
  });
});
