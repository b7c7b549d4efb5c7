import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyEdits } from './edits.js';
import { detectImportStyle, readRepoStyle, renderBraces } from './import-style.js';
import { rewriteList } from './named-list.js';
import { parseSource } from './parse.js';
import ts from './ts-api.js';

const dirs: string[] = [];
function repo(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'ssot-style-'));
  dirs.push(d);
  for (const [f, t] of Object.entries(files)) writeFileSync(join(d, f), t);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('readRepoStyle', () => {
  it('reads .prettierrc (JSON), filling in Prettier defaults', () => {
    expect(readRepoStyle(repo({ '.prettierrc': '{ "printWidth": 100, "trailingComma": "none", "useTabs": true }' }))).toEqual({
      printWidth: 100, tabWidth: 2, useTabs: true, trailingComma: false, bracketSpacing: true, source: '.prettierrc',
    });
  });
  it('reads a YAML .prettierrc.yaml and package.json#prettier', () => {
    expect(readRepoStyle(repo({ '.prettierrc.yaml': 'printWidth: 120\nbracketSpacing: false\n' }))).toMatchObject({ printWidth: 120, bracketSpacing: false });
    expect(readRepoStyle(repo({ 'package.json': '{ "prettier": { "tabWidth": 4 } }' }))).toMatchObject({ printWidth: 80, tabWidth: 4, source: 'package.json#prettier' });
  });
  it('reads .editorconfig max_line_length and indentation for TypeScript files', () => {
    const s = readRepoStyle(repo({ '.editorconfig': 'root = true\n[*.md]\nmax_line_length = 200\n[*.{js,ts}]\nmax_line_length = 90\nindent_style = space\nindent_size = 4\n' }));
    expect(s).toEqual({ printWidth: 90, useTabs: false, tabWidth: 4, source: '.editorconfig' });
  });
  it('is empty without configuration', () => {
    expect(readRepoStyle(repo({}))).toEqual({});
  });
});

describe('detectImportStyle', () => {
  const style = (text: string, repoStyle = {}) => detectImportStyle(parseSource('a.ts', text).sf, text, '\n', repoStyle);
  it('takes indent and trailing-comma habit from the file\'s one-per-line lists', () => {
    const s = style("import {\n    a,\n    b\n} from 'x';\nimport {c} from 'y';\n");
    expect(s).toMatchObject({ indent: '    ', trailingComma: false, bracketSpacing: false, width: 80 });
  });
  it('never breaks in a file without one-per-line lists, unless the repo sets a width', () => {
    expect(style("import { a } from 'x';\n").width).toBe(Number.POSITIVE_INFINITY);
    expect(style("import { a } from 'x';\n", { printWidth: 100 }).width).toBe(100);
  });
});

describe('renderBraces', () => {
  const st = { width: 20, indent: '  ', trailingComma: true, bracketSpacing: true, eol: '\n' };
  it('breaks two entries or more past the width, never a single entry (as Prettier)', () => {
    expect(renderBraces(['Alpha', 'Beta'], st, '', 7, 10)).toBe('{\n  Alpha,\n  Beta,\n}');
    expect(renderBraces(['AVeryLongSingleEntryName'], st, '', 7, 10)).toBe('{ AVeryLongSingleEntryName }');
    expect(renderBraces(['A', 'B'], { ...st, bracketSpacing: false, trailingComma: false }, '', 0, 0)).toBe('{A, B}');
  });
});

describe('rewriteList', () => {
  const run = (text: string, width: number) => {
    const { sf } = parseSource('a.ts', text);
    const decl = sf.statements[0] as ts.ImportDeclaration;
    const el = (decl.importClause!.namedBindings as ts.NamedImports).elements[0]!;
    const st = { ...detectImportStyle(sf, text, '\n'), width };
    return applyEdits(text, rewriteList(decl, { changes: new Map([[el, { name: 'ALongerCanonicalName', alias: 'ALongerCanonicalName', typeOnly: false }]]) }, text, st)!);
  };
  it('renames one entry in place and breaks the list only when it outgrows the width', () => {
    expect(run("import { A, B } from 'x';\n", 80)).toBe("import { ALongerCanonicalName, B } from 'x';\n");
    expect(run("import { A, B } from 'x';\n", 30)).toBe("import {\n  ALongerCanonicalName,\n  B,\n} from 'x';\n");
  });
  it('never reflows a list with comments', () => {
    expect(run("import { A /* a */, B } from 'x';\n", 30)).toBe("import { ALongerCanonicalName /* a */, B } from 'x';\n");
  });
});
