import { describe, expect, it } from 'vitest';
import { identifierPattern, lineRangeKeepingOneBlank, statementLineRange } from './text.js';

describe('lineRangeKeepingOneBlank: a deleted statement between blank lines leaves one', () => {
  const del = (text: string, stmt: string): string => {
    const at = text.indexOf(stmt);
    const r = lineRangeKeepingOneBlank(text, statementLineRange(text, at, at + stmt.length));
    return text.slice(0, r.start) + text.slice(r.end);
  };
  it("a comment ending the deleted statement's line goes with it (LF and CRLF+BOM); one before more code on the line, or on its own line, stays", () => {
    // w39011651/MultimediaSystemDemo: `const ClientManager = require('./managers/ClientManager'); // 管理…` left ` // 管理…` behind
    expect(del("const a = require('a');\nconst m = require('./m'); // the manager\nuse(a);\n", "const m = require('./m');")).toBe("const a = require('a');\nuse(a);\n");
    expect(del("\uFEFFconst a = require('a');\r\nconst m = require('./m'); /* the manager */ \r\nuse(a);\r\n", "const m = require('./m');")).toBe("\uFEFFconst a = require('a');\r\nuse(a);\r\n");
    expect(del('const m = 1; other(); // about both\nuse();\n', 'const m = 1;')).toBe(' other(); // about both\nuse();\n');
    expect(del('// about m\nconst m = 1;\nuse();\n', 'const m = 1;')).toBe('// about m\nuse();\n');
  });

  it('between blank lines, LF and CRLF+BOM; next to code, nothing more goes', () => {
    expect(del('a;\n\nconst x = 1;\n\nb;\n', 'const x = 1;')).toBe('a;\n\nb;\n');
    expect(del('\uFEFFa;\r\n\r\nconst x = 1;\r\n\r\nb;\r\n', 'const x = 1;')).toBe('\uFEFFa;\r\n\r\nb;\r\n');
    expect(del('a;\nconst x = 1;\n\nb;\n', 'const x = 1;')).toBe('a;\n\nb;\n');
    expect(del('a;\n\nconst x = 1;\nb;\n', 'const x = 1;')).toBe('a;\n\nb;\n');
    expect(del('const x = 1;\n\nb;\n', 'const x = 1;')).toBe('b;\n');
  });
});

describe('identifierPattern: a word search for an identifier', () => {
  it('finds `$`-names and dotted paths, not inside a longer identifier', () => {
    expect(identifierPattern('$t').test("x = $t('a')")).toBe(true);
    expect(identifierPattern('$t').test('x = $tt + a$t')).toBe(false);
    expect(identifierPattern('ns.$load').test('await ns.$load()')).toBe(true);
    expect(identifierPattern('ns.load').test('await nsXload()')).toBe(false); // the dot is literal
    expect(identifierPattern('load').test('loader + reload')).toBe(false);
  });
});
