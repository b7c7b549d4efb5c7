import { describe, expect, it } from 'vitest';
import { applyEdits } from './edits.js';
import { ownDocStart } from './comment-kinds.js';
import { importInsertion } from './import-place.js';
import { sourcePunctuation } from './import-style.js';
import { parseSource } from './parse.js';
import type { Edit } from './types.js';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';

const LINE = "import { x } from 'm';";

/** The text with LINE added where import-place puts it (LF), and the same for its CRLF + BOM form. */
function insert(text: string, planned: (t: string) => Edit[] = () => [], bom = !text.startsWith('#!')): string {
  const run = (t: string, eol: string) => {
    const edits = planned(t);
    return applyEdits(t, [...edits, importInsertion(parseSource('a.ts', t).sf, LINE, eol, edits)]);
  };
  const lf = run(text, '\n');
  // a BOM before `#!` does not parse (TypeScript): a shebang file is run as CRLF only
  const crlf = (t: string) => (bom ? toCrlfBom(t) : t.replace(/\n/g, '\r\n'));
  expect(run(crlf(text), '\r\n')).toBe(crlf(lf));
  return lf;
}

describe('importInsertion: where a new import goes', () => {
  it('after the last import, wherever the header is', () => {
    expect(insert('/* Copyright (c) 2024 A */\nimport a from "a";\nimport b from "b";\n\nb(a);\n')).toBe(`/* Copyright (c) 2024 A */\nimport a from "a";\nimport b from "b";\n${LINE}\n\nb(a);\n`);
    expect(insert("import a = require('a');\nconst c = 1;\n")).toBe(`import a = require('a');\n${LINE}\nconst c = 1;\n`);
  });

  it("after a comment ending the last import's line, which stays with that import", () => {
    // w39011651/MultimediaSystemDemo: `const { publisher } = require('./utils/redisClient'); // Redis clients` lost its comment to the new require
    expect(insert("const a = require('a');\nconst r = require('./redis'); // Redis clients\n\nuse(a, r);\n")).toBe(`const a = require('a');\nconst r = require('./redis'); // Redis clients\n${LINE}\n\nuse(a, r);\n`);
    expect(insert("import a from 'a'; /* the a */\nuse(a);\n")).toBe(`import a from 'a'; /* the a */\n${LINE}\nuse(a);\n`);
  });

  it('after the leading requires when the file has no import declaration', () => {
    expect(insert("'use strict';\nconst a = require('a');\nconst { b } = require('b').inner;\n\nlater(require('c'));\n")).toBe(`'use strict';\nconst a = require('a');\nconst { b } = require('b').inner;\n${LINE}\n\nlater(require('c'));\n`);
  });

  it('in the place of the last import when the planned edits delete them all', () => {
    const del = (t: string): Edit[] => {
      const start = t.indexOf('const a');
      return [{ start, end: t.indexOf('\n', start) + 1, text: '' }];
    };
    expect(insert('// header\n\nconst a = require("a");\nuse();\n', del)).toBe(`// header\n\n${LINE}\nuse();\n`);
  });

  it('below a shebang, the prologue and directives; a blank line parts it from the code', () => {
    expect(insert("#!/usr/bin/env node\n'use strict';\nmain();\n")).toBe(`#!/usr/bin/env node\n'use strict';\n${LINE}\n\nmain();\n`);
    expect(insert('// @ts-check\n/* eslint-disable no-console */\nconsole.log(1);\n')).toBe(`// @ts-check\n/* eslint-disable no-console */\n${LINE}\n\nconsole.log(1);\n`);
    expect(insert('#!/usr/bin/env node\nmain();\n')).toBe(`#!/usr/bin/env node\n${LINE}\n\nmain();\n`);
  });

  it('below a license or file doc comment even when it touches the code; above the first statement\'s own doc', () => {
    expect(insert('/*! lib v1 | MIT */\nexport const a = 1;\n')).toBe(`/*! lib v1 | MIT */\n${LINE}\n\nexport const a = 1;\n`);
    expect(insert('/** @file Health checks. */\nexport const a = 1;\n')).toBe(`/** @file Health checks. */\n${LINE}\n\nexport const a = 1;\n`);
    expect(insert('// Copyright 2024 A\n\n// the function below\n// in two lines\nexport function f() {}\n')).toBe(`// Copyright 2024 A\n\n${LINE}\n\n// the function below\n// in two lines\nexport function f() {}\n`);
    expect(insert('/** Documents f. */\nexport function f() {}\n')).toBe(`${LINE}\n/** Documents f. */\nexport function f() {}\n`);
    expect(insert('export const a = 1;\n')).toBe(`${LINE}\nexport const a = 1;\n`);
  });

  it('after the header blank line, the header kept as written', () => {
    expect(insert('/*\n * Copyright (c) 2024 A\n */\n\n\nexport const a = 1;\n')).toBe(`/*\n * Copyright (c) 2024 A\n */\n\n${LINE}\n\nexport const a = 1;\n`);
  });

  it('at the end of a file of comments only', () => {
    expect(insert('// nothing here yet\n')).toBe(`// nothing here yet\n${LINE}\n`);
    expect(insert('// nothing here yet')).toBe(`// nothing here yet\n${LINE}\n`);
    expect(insert('')).toBe(`${LINE}\n`);
  });
});

describe('sourcePunctuation: the quote and semicolons a new line copies', () => {
  const of = (t: string) => sourcePunctuation(parseSource('a.ts', t).sf);
  it('reads the module specifiers and the import declarations', () => {
    expect(of('import a from "a"\nconst b = 1\n')).toEqual({ quote: '"', semi: '' });
    expect(of("const a = require('a');\n")).toEqual({ quote: "'", semi: ';' });
    expect(of('export { a } from "a";\n')).toEqual({ quote: '"', semi: ';' });
  });
  it('takes the majority of a mixed file, a tie going to the first seen', () => {
    expect(of('import a from "a"\nimport b from \'b\';\nimport c from \'c\';\n')).toEqual({ quote: "'", semi: ';' });
    expect(of('import a from "a"\nimport b from "b"\nimport c from \'c\';\n')).toEqual({ quote: '"', semi: '' });
    expect(of('import a from "a";\nimport b from \'b\'\n')).toEqual({ quote: '"', semi: ';' });
    // the statements' ends count only in a file without import or export declarations
    expect(of('import a from "a"\nconst b = 1;\nconst c = 2;\n')).toEqual({ quote: '"', semi: '' });
    expect(of('const a = 1;\nlet b = 2\nlet c = 3\n')).toEqual({ quote: "'", semi: '' });
  });
  it('without a module specifier, reads the other string literals (not one holding a quote, not a JSX attribute)', () => {
    expect(of('export const a = "x"\nexport const b = "y"\nexport const c = \'z\'\n')).toEqual({ quote: '"', semi: '' });
    expect(of('export const a = "it\'s"\nexport const b = "it\'s"\nexport const c = \'z\';\n')).toEqual({ quote: "'", semi: '' });
    const jsx = sourcePunctuation(parseSource('a.tsx', 'export const a = <div className="x" id="y">{\'z\'}</div>;\n').sf);
    expect(jsx).toEqual({ quote: "'", semi: ';' });
  });
  it("falls back to ' and ; and to the first statement's end", () => {
    expect(of('')).toEqual({ quote: "'", semi: ';' });
    expect(of('const a = 1\nfunction f() {}\n')).toEqual({ quote: "'", semi: '' });
    expect(of('export function f() {\n  return g()\n}\n')).toEqual({ quote: "'", semi: '' });
  });
});

describe('ownDocStart: the comments a statement owns', () => {
  const at = (t: string) => {
    const sf = parseSource('a.ts', t).sf;
    return ownDocStart(sf, sf.statements[0]!);
  };
  it('takes the run of comments right above it, not one a blank line parts from it nor a header kind', () => {
    expect(at('/** file */\n\n/** own */\nexport const a = 1;\n')).toBe('/** file */\n\n'.length);
    expect(at('// one\n// two\nexport const a = 1;\n')).toBe(0);
    expect(at('// Copyright 2024 A\n/** own */\nexport const a = 1;\n')).toBe('// Copyright 2024 A\n'.length);
    expect(at('/* eslint-disable */\nexport const a = 1;\n')).toBe('/* eslint-disable */\n'.length);
  });
});
