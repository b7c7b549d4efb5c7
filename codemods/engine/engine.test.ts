import { describe, expect, it } from 'vitest';
import { applyEdits, OverlappingEditsError } from './edits.js';
import { withoutArrayElement } from './json-list.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { listRepoFiles, listRepoFilesAsync } from './files.js';
import { makeGitRepo, writeFiles } from '../../test/helpers/git-repo.js';
import { makeGlobMatcher } from './glob.js';
import { contextFrom } from './context.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { parseSource } from './parse.js';
import { moduleReferences } from './import-forms.js';
import { processFile } from './process.js';
import { runSyntaxPhase } from './run.js';
import { ModuleResolver } from './resolve.js';
import { statementLineRange } from './text.js';
import { makeRuntime } from './transform.js';
import { rewriteImportsTransform } from '../rewrite-imports/transform.js';

describe('applyEdits', () => {
  it('splices in order and keeps the rest byte-identical', () => {
    expect(applyEdits('a\r\nbc\r\n', [{ start: 3, end: 4, text: 'X' }, { start: 0, end: 0, text: '>' }])).toBe('>a\r\nXc\r\n');
  });
  it('refuses overlapping edits', () => {
    expect(() => applyEdits('abcdef', [{ start: 0, end: 3, text: '' }, { start: 2, end: 4, text: '' }])).toThrow(OverlappingEditsError);
  });
});

describe('withoutArrayElement', () => {
  it('removes one string from a top-level array only, keeping comments and layout', () => {
    const text = '{\r\n  // keep\r\n  "files": ["a.ts"],\r\n  "exclude": [\r\n    "a.ts",\r\n    "b.ts"\r\n  ]\r\n}\r\n';
    expect(withoutArrayElement(text, 'exclude', 'a.ts')).toBe('{\r\n  // keep\r\n  "files": ["a.ts"],\r\n  "exclude": [\r\n    "b.ts"\r\n  ]\r\n}\r\n');
    expect(withoutArrayElement(text, 'exclude', 'b.ts')).toBe('{\r\n  // keep\r\n  "files": ["a.ts"],\r\n  "exclude": [\r\n    "a.ts"\r\n  ]\r\n}\r\n');
    expect(withoutArrayElement('{ "exclude": ["x"] }', 'exclude', 'x')).toBe('{ "exclude": [] }');
    for (const [t, k, v] of [[text, 'exclude', 'c.ts'], [text, 'include', 'a.ts'], ['not json', 'exclude', 'a.ts'], ['{ "exclude": "a.ts" }', 'exclude', 'a.ts']] as const) expect(withoutArrayElement(t, k, v)).toBe(t);
  });
});

describe('statementLineRange', () => {
  it('takes the whole line (CRLF included) when the statement is alone on it', () => {
    const t = 'a;\r\n  import x from "y";\r\nb;';
    const s = t.indexOf('import');
    const r = statementLineRange(t, s, t.indexOf(';', s) + 1);
    expect(t.slice(0, r.start) + t.slice(r.end)).toBe('a;\r\nb;');
  });
  it("keeps a `;` that opens the next line (no-semicolon style): the parser gives it to the statement that goes, the code to the one that stays", () => {
    for (const eol of ['\n', '\r\n']) {
      const t = ['const a = x', '  const m = app.m as M', '  ;(async () => a)()', ''].join(eol);
      const s = t.indexOf('const m');
      const r = statementLineRange(t, s, t.indexOf(';') + 1);
      expect(t.slice(0, r.start) + t.slice(r.end)).toBe(['const a = x', '  ;(async () => a)()', ''].join(eol));
    }
  });
});

describe('glob matcher', () => {
  it('matches **, *, braces and directory prefixes', () => {
    const m = makeGlobMatcher(['src/**/*.gen.ts', 'legacy/', 'src/{a,b}/x.ts']);
    expect(m('src/deep/er/f.gen.ts')).toBe(true);
    expect(m('src/f.gen.ts')).toBe(true);
    expect(m('legacy/one.ts')).toBe(true);
    expect(m('src/b/x.ts')).toBe(true);
    expect(m('src/c/x.ts')).toBe(false);
  });
  it('knows the rest of the glob syntax: classes, extglobs, dotfiles, a folder named without a slash', () => {
    const m = makeGlobMatcher(['src/v[0-9]/**', 'gen/*.+(js|ts)', '**/.cache', 'reports']);
    expect(m('src/v2/a.ts')).toBe(true);
    expect(m('src/vx/a.ts')).toBe(false);
    expect(m('gen/a.ts')).toBe(true);
    expect(m('gen/a.tsx')).toBe(false);
    expect(m('pkg/.cache/x.ts')).toBe(true);
    expect(m('reports/junit.ts')).toBe(true);
    expect(m('reportsx/a.ts')).toBe(false);
    expect(makeGlobMatcher([])('a.ts')).toBe(false);
  });
});

describe('listRepoFiles outside git', () => {
  it('honours nested .gitignore files like git: anchored, dir-only, negation, deeper files win', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ssot-walk-'));
    try {
      const files: Record<string, string> = {
        '.gitignore': '*.log\n/build/\ntmp/\n!keep.log\n\\#literal.ts\n',
        'a.ts': '',
        'x.log': '',
        'keep.log': '',
        '#literal.ts': '',
        'build/out.ts': '',
        'src/build/ok.ts': '',
        'src/tmp/no.ts': '',
        'src/.gitignore': 'gen/\n!important.log\n',
        'src/gen/g.ts': '',
        'src/important.log': '',
        'src/other.log': '',
        'node_modules/dep/index.js': '',
      };
      for (const [f, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, f)), { recursive: true });
        writeFileSync(join(root, f), text);
      }
      expect(listRepoFiles(root)).toEqual(['.gitignore', 'a.ts', 'keep.log', 'src/.gitignore', 'src/build/ok.ts', 'src/important.log']);
      // the asynchronous listing (RepoSnapshot.open) walks the same way
      await expect(listRepoFilesAsync(root)).resolves.toEqual(listRepoFiles(root));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('listRepoFilesAsync in a git work tree', () => {
  it('lists what listRepoFiles lists: tracked and untracked files, not ignored ones', async () => {
    const repo = makeGitRepo('ssot-ls-', { '.gitignore': '*.log\n', 'a.ts': '', 'src/b.ts': '' });
    try {
      writeFiles(repo, { 'src/untracked.ts': '', 'x.log': '' });
      expect([...listRepoFiles(repo)].sort()).toEqual(['.gitignore', 'a.ts', 'src/b.ts', 'src/untracked.ts']);
      await expect(listRepoFilesAsync(repo)).resolves.toEqual(listRepoFiles(repo));
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});

describe('ModuleResolver', () => {
  const r = new ModuleResolver({
    knownModules: ['src/ws/unified', 'src/ws/index', 'src/lib/x'],
    pathsBase: '.',
    baseUrl: 'src',
    paths: { '@ws/*': ['src/ws/*'], '@exact': ['src/ws/unified.ts'] },
  });
  it('resolves relative, .js suffixed, index and extensionless specifiers', () => {
    expect(r.resolve('./unified.js', 'src/ws/a.ts')).toBe('src/ws/unified');
    expect(r.resolve('../ws', 'src/app/a.ts')).toBe('src/ws/index');
    expect(r.resolve('../ws/index.js', 'src/app/a.ts')).toBe('src/ws/index');
    expect(r.resolve('.', 'src/ws/a.ts')).toBe('src/ws/index');
  });
  it('resolves tsconfig paths and baseUrl, and leaves packages alone', () => {
    expect(r.resolve('@ws/unified', 'src/app/a.ts')).toBe('src/ws/unified');
    expect(r.resolve('@exact', 'src/app/a.ts')).toBe('src/ws/unified');
    expect(r.resolve('lib/x', 'src/app/a.ts')).toBe('src/lib/x');
    expect(r.resolve('ws', 'src/app/a.ts')).toBe('src/ws/index');
    expect(r.resolve('react', 'src/app/a.ts')).toBeUndefined();
  });
});

describe('parse errors', () => {
  it('reports line:col and the file stays untouched', () => {
    const text = 'import { A } from "./legacy";\nconst x = ;\n';
    expect(parseSource('a.ts', text).error).toMatchObject({ line: 2, column: 11 });
  });
});

describe('rewrite-imports with an in-repo canonical module', () => {
  const ctx = contextFrom(
    withDefaults({
      canonical: { module: 'src/canonical/index', exports: ['WebSocketManager'], contextType: 'Ctx', factory: 'f' },
      legacy: [{ id: 'WSM001', module: 'src/legacy/unified', symbols: { Unified: 'WebSocketManager' } }],
    }),
    { knownModules: ['src/canonical/index', 'src/canonical/manager', 'src/legacy/unified', 'src/app/a'], pathsBase: '.', paths: {} },
    () => undefined,
  );
  const rt = makeRuntime(ctx);
  it('writes a relative specifier in the style of the one it replaces', () => {
    const r = processFile('src/app/a.ts', "import { Unified } from '../legacy/unified.js';\nnew Unified();\n", rewriteImportsTransform, rt);
    expect(r.after).toBe("import { WebSocketManager } from '../canonical/index.js';\nnew WebSocketManager();\n");
    const r2 = processFile('src/app/a.ts', "import { Unified } from '../legacy/unified';\nnew Unified();\n", rewriteImportsTransform, rt);
    expect(r2.after).toBe("import { WebSocketManager } from '../canonical';\nnew WebSocketManager();\n");
  });
  it('never makes the canonical module import itself, and leaves legacy modules to their phases', () => {
    const own = processFile('src/canonical/manager.ts', "import { Unified } from '../legacy/unified.js';\n", rewriteImportsTransform, rt);
    expect(own.report.status).toBe('skipped');
    expect(own.after).toBeUndefined();
    const legacy = processFile('src/legacy/unified.ts', "import { Unified } from './unified.js';\n", rewriteImportsTransform, rt);
    expect(legacy.report.status).toBe('skipped');
  });
});

describe('normalizeId', () => {
  it('equals posix.normalize minus "./" and a trailing slash, with or without its fast path', async () => {
    const { normalizeId } = await import('./module-id.js');
    const { posix } = await import('node:path');
    const reference = (p: string) => posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
    const cases = ['src/a/b', './src/a', 'src/../x', 'src/./x', 'a//b', 'a/', 'a\\b', '..', '.', '../a', 'a/..', 'src/.hidden/x', 'src/..x/y', 'a/b.c', 'index', '', 'a/.', 'a/b/../../c'];
    for (const c of cases) expect(normalizeId(c), JSON.stringify(c)).toBe(reference(c));
  });
});

describe('moduleReferences', () => {
  it('finds references deep in bodies, escaped require and export-from in a module block, skipping subtrees without a cue', () => {
    const text = [
      "import a from './a';",
      'function f() { const x = 1; return () => { if (x) { return require("./b"); } }; }',
      'class C { m(): import("./c").T { return \\u0072equire("./d"); } n() { return 1 + 2; } }',
      "const later = async () => { await import('./e'); };",
      "declare module 'm' { export * from './f'; }",
      "import g = require('./g');",
      "const notARef = requireX('./h'); // import is only a word here",
    ].join('\n');
    const { sf } = parseSource('x.ts', text);
    expect(moduleReferences(sf).map((r) => `${r.kind}:${r.specifier}`)).toEqual([
      'import:./a', 'require:./b', 'import-type:./c', 'require:./d', 'dynamic-import:./e', 'export:./f', 'import-equals:./g',
    ]);
  });
});

describe('stringLiteral (memoized)', () => {
  it('prints the same value per quote style, from the cache as on first print', async () => {
    const { stringLiteral } = await import('./literal.js');
    for (let round = 0; round < 2; round++) {
      expect(stringLiteral("./a'b", "'")).toBe("'./a\\'b'");
      expect(stringLiteral("./a'b", '"')).toBe('"./a\'b"');
      expect(stringLiteral('./é\u2028')).toBe("'./é\\u2028'");
    }
  });
});

describe('runSyntaxPhase reading files', () => {
  const ctx = contextFrom(
    withDefaults({
      canonical: { module: 'src/canonical/index', exports: ['WebSocketManager'], contextType: 'Ctx', factory: 'f' },
      legacy: [{ id: 'WSM001', module: 'src/legacy/unified', symbols: { Unified: 'WebSocketManager' } }],
    }),
    { knownModules: ['src/canonical/index', 'src/legacy/unified', 'src/app/a', 'src/app/b', 'src/app/c'], pathsBase: '.', paths: {} },
    () => undefined,
  );
  it('skips a file that is not valid UTF-8 and transforms one holding a real U+FFFD, with or without a BOM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssot-run-read-'));
    try {
      mkdirSync(join(dir, 'src/app'), { recursive: true });
      const src = "import { Unified } from '../legacy/unified.js';\nnew Unified();\n";
      // 0xff never occurs in UTF-8; the decoder turns it into U+FFFD, as it would a real one
      writeFileSync(join(dir, 'src/app/a.ts'), Buffer.concat([Buffer.from(`${src}// caf`), Buffer.from([0xff]), Buffer.from('\n')]));
      writeFileSync(join(dir, 'src/app/b.ts'), `${src}// \uFFFD stays\n`);
      writeFileSync(join(dir, 'src/app/c.ts'), `\uFEFF${src}`);
      const r = await runSyntaxPhase({ repoDir: dir, transformName: 'rewrite-imports', ctx, files: ['src/app/a.ts', 'src/app/b.ts', 'src/app/c.ts', 'src/app/gone.ts'], workers: 0 });
      expect(r.files.map((f) => [f.report.file, f.report.status])).toEqual([
        ['src/app/a.ts', 'skipped'],
        ['src/app/b.ts', 'changed'],
        ['src/app/c.ts', 'changed'],
      ]);
      expect(r.files[0]!.report).toMatchObject({ reason: 'not valid UTF-8 (left byte-identical)' });
      expect(r.files[1]!.after).toBe("import { WebSocketManager } from '../canonical/index.js';\nnew WebSocketManager();\n// \uFFFD stays\n");
      expect(r.files[2]!.after).toBe("\uFEFFimport { WebSocketManager } from '../canonical/index.js';\nnew WebSocketManager();\n");
      expect({ scanned: r.scanned, parsed: r.parsed }).toEqual({ scanned: 2, parsed: 2 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
