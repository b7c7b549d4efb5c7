import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import type { FileWrite } from '../phase/types.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { moduleIdOf } from '../engine/module-id.js';
import { parseSource } from '../engine/parse.js';
import { ModuleResolver } from '../engine/resolve.js';
import type { SsotManifest } from '../../manifest/types.js';
import { frozenPathOf, gitignoreWrite, isFacadeText, planStrangleTree, templateToMapping, withExclude } from './index.js';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { memberTemplateToFunction } from '../../manifest/templates.js';

const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const update = process.env['UPDATE_FIXTURES'] === '1';
const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { manifest: Partial<SsotManifest>; files?: Record<string, string>; modules: Record<string, string> };
const manifest = withDefaults(spec.manifest);
// a case is TypeScript (`x.input.ts`) or plain JavaScript (`x.input.js`: its facade must carry no type syntax)
const extOf = new Map(readdirSync(dir).flatMap((f) => { const m = /^(.*)\.input\.(ts|js|cjs)$/.exec(f); return m ? [[m[1]!, m[2]!] as const] : []; }));
const cases = [...extOf.keys()].sort();
const ext = (c: string): string => extOf.get(c) ?? 'ts';
const fileOf = (c: string): string => spec.files?.[c] ?? `src/legacy/${c}.${ext(c)}`;
const ROOT = '/repo';

/** The strictest flags a team may build with; generated facades must compile under them. */
const USER_STRICT_FLAGS = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noPropertyAccessFromIndexSignature: true,
  noUncheckedIndexedAccess: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  skipLibCheck: false,
};

/**
 * The libs of the virtual repos the planner reads: ES2022's, without the DOM that target ES2022's default
 * (lib.es2022.full) adds. Every plan builds a program of its own, and parsing and binding lib.dom.d.ts was
 * about half of this file's CPU (~70 programs; the profile's parse of the libs and the garbage it left). No fixture
 * uses a DOM type; the tests that type-check the strangled repo keep the default libs (DEFAULT_LIBS).
 */
const PLAN_LIBS = { lib: ['lib.es2022.d.ts'] };
const DEFAULT_LIBS = { lib: undefined };

/** A virtual repo (files in memory, ts-morph's in-memory file system for the type checker). */
function treeOf(files: Map<string, string>, extraOptions: Record<string, unknown> = PLAN_LIBS) {
  return {
    root: ROOT,
    files: [...files.keys()],
    read: (f: string) => files.get(f),
    resolver: new ModuleResolver({ knownModules: [...files.keys()].map(moduleIdOf), pathsBase: '.', paths: {} }),
    project: () => {
      const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, allowJs: true, noEmit: true, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, ...PLAN_LIBS, ...extraOptions } });
      project.getFileSystem().writeFileSync(`${ROOT}/package.json`, '{ "type": "module" }');
      for (const [f, text] of files) if (/\.[cm]?[tj]s$/.test(f)) project.createSourceFile(`${ROOT}/${f}`, text.replace(/^\uFEFF/, ''));
      return project;
    },
  };
}

function initialFiles(): Map<string, string> {
  const files = new Map<string, string>(Object.entries(spec.modules));
  for (const c of cases) files.set(fileOf(c), readFileSync(join(dir, `${c}.input.${ext(c)}`), 'utf8'));
  files.set('src/legacy/already-facade.legacy.ts', 'export class Manager {}\n');
  files.set('ssot.config.json', '{\n  "exclude": ["reports/**"]\n}\n');
  return files;
}

function apply(files: Map<string, string>, writes: FileWrite[]): Map<string, string> {
  const next = new Map(files);
  for (const w of writes) {
    if (w.content === null) next.delete(w.path);
    else next.set(w.path, String(w.content));
  }
  return next;
}

const first = planStrangleTree(treeOf(initialFiles()), manifest);
const written = new Map(first.writes.map((w) => [w.path, w.content === null ? null : String(w.content)]));
let secondRun: ReturnType<typeof planStrangleTree> | undefined;
/**
 * The second run on the strangled fixture tree, planned once: every case's "plans nothing" check, the whole-run
 * test and the emptied-modules summary read this one plan (the same input each time; ~0.3-0.6 CPU-s a plan).
 */
const second = (): ReturnType<typeof planStrangleTree> => (secondRun ??= planStrangleTree(treeOf(apply(initialFiles(), first.writes)), manifest));

describe('strangle fixtures', () => {
  it('has a case per module shape', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
    expect(first.problems).toEqual([]);
  });

  for (const c of cases) {
    describe(c, () => {
      it('turns the module into the expected facade and freezes its body', () => {
        const file = fileOf(c);
        const input = readFileSync(join(dir, `${c}.input.${ext(c)}`), 'utf8');
        const facade = written.get(file) ?? input;
        const frozen = written.get(frozenPathOf(file));
        const outPath = join(dir, `${c}.output.${ext(c)}`);
        const frozenPath = join(dir, `${c}.frozen.${ext(c)}`);
        if (update) {
          writeFileSync(outPath, facade);
          if (frozen) writeFileSync(frozenPath, frozen);
        }
        expect(facade).toBe(readFileSync(outPath, 'utf8'));
        if (frozen !== undefined && frozen !== null) expect(frozen).toBe(readFileSync(frozenPath, 'utf8'));
        else expect(existsSync(frozenPath)).toBe(false);
        expect(parseSource(file, facade).error).toBeUndefined();
      });

      it('plans nothing for it on a second run', () => {
        expect(second().writes.map((w) => w.path).filter((p) => p === fileOf(c) || p === frozenPathOf(fileOf(c)))).toEqual([]);
      });
    });
  }

  it('a facade keeps the shebang and license of the module it replaces above its marker, and is still known as one (CRLF + BOM too)', () => {
    const facade = written.get(fileOf('licensed-script'))!;
    expect(facade.startsWith('#!/usr/bin/env node\n/*\n * Copyright (c) 2024 Example Corp.')).toBe(true);
    expect(facade).not.toContain('eslint-disable');
    expect(isFacadeText(facade)).toBe(true);
    expect(isFacadeText(toCrlfBom(facade.replace(/^#![^\n]*\n/, '')))).toBe(true);
    // a comment other than a license before the marker: not a generated facade
    expect(isFacadeText(`// notes\n${facade.replace(/^#![^\n]*\n/, '')}`)).toBe(false);
  });

  it("a facade is written in the original's quote and semicolon habit (majority of its import declarations; string literals without any)", () => {
    const code = (c: string) => written.get(fileOf(c))!.split(/\r?\n/).filter((l) => l.trim() !== '' && !/^\s*(\/\/|\/\*|\*)/.test(l));
    // standard style: no statement ends with `;`, no specifier or literal in single quotes
    expect(code('asi-double-quotes').filter((l) => l.endsWith(';'))).toEqual([]);
    expect(code('asi-double-quotes').filter((l) => /^(import|export) .*from '|spec\('/.test(l))).toEqual([]);
    expect(code('mixed-style').filter((l) => l.endsWith(';') || /from '/.test(l))).toEqual([]);
    // no import: the literals' double quotes, the statements' semicolons, the BOM and CRLF kept
    const crlf = written.get(fileOf('crlf-bom'))!;
    expect(crlf.startsWith('\uFEFF/*\r\n * Copyright')).toBe(true);
    expect(crlf.replace(/\r\n/g, '')).not.toContain('\n');
    expect(crlf).toContain('enterLegacyModule(spec("WSM016", "crlf-bom"));\r\n');
    // the existing single-quote fixtures keep theirs
    expect(written.get(fileOf('alias-module'))).toContain("import * as frozen from './alias-module.legacy.js';\n");
  });

  it('a module that exports nothing (emptied by moves/splits; CRLF + BOM too) is left as it is, no frozen body, and the summary says so', () => {
    for (const c of ['emptied-module', 'emptied-cjs']) {
      expect(written.has(fileOf(c))).toBe(false);
      expect(written.has(frozenPathOf(fileOf(c)))).toBe(false);
    }
    expect(first.summary).toContain('; 2 legacy module(s) export nothing (src/legacy/emptied-module.ts, src/legacy/emptied-cjs.js): left as they are, remove-shim deletes them');
    const files = initialFiles();
    for (const c of ['emptied-module', 'emptied-cjs']) files.set(fileOf(c), toCrlfBom(files.get(fileOf(c))!));
    const plan = planStrangleTree(treeOf(files), manifest);
    expect(plan.writes.filter((w) => w.path.includes('emptied'))).toEqual([]);
    // only emptied modules left (the rest strangled): nothing to strangle, said so
    expect(second().summary).toBe('nothing to strangle; 2 legacy module(s) export nothing (src/legacy/emptied-module.ts, src/legacy/emptied-cjs.js): left as they are, remove-shim deletes them');
  });

  it('a global script declaring the legacy class (no import or export) is refused naming the file, left byte-identical, not counted as exporting nothing (LF and CRLF + BOM, twice)', () => {
    const m = withDefaults({ ...spec.manifest, legacy: [...(spec.manifest.legacy ?? []), { id: 'WSM099', module: 'src/legacy/global-script', symbols: {} }] });
    const script = '// other files use LegacyHub by name: a global script\nclass LegacyHub {\n  send(id: string): void {}\n}\n';
    for (const text of [script, toCrlfBom(script)]) {
      const files = initialFiles();
      files.set('src/legacy/global-script.ts', text);
      for (const tree of [files, apply(files, planStrangleTree(treeOf(files), m).writes)]) {
        const plan = planStrangleTree(treeOf(tree), m);
        expect(plan.problems).toEqual([{ file: 'src/legacy/global-script.ts', line: 2, message: expect.stringMatching(/^a global script \(no import or export\) declaring LegacyHub: .*; left untouched$/) }]);
        expect(plan.writes.filter((w) => w.path.includes('global-script'))).toEqual([]);
        expect(plan.summary).not.toContain('global-script');
        expect(tree.get('src/legacy/global-script.ts')).toBe(text);
      }
    }
  });

  it('a JavaScript module (CRLF + BOM) gets the same untyped facade in CRLF with its BOM, beside a .legacy.js frozen body', () => {
    const files = initialFiles();
    const file = fileOf('js-class-module');
    files.set(file, toCrlfBom(files.get(file)!));
    const plan = planStrangleTree(treeOf(files), manifest);
    const facade = String(plan.writes.find((w) => w.path === file)?.content);
    expect(facade).toBe(toCrlfBom(written.get(file)!));
    expect(String(plan.writes.find((w) => w.path === 'src/legacy/js-class-module.legacy.js')?.content)).toBe(files.get(file));
    expect(facade).not.toMatch(/: Record<|: string\b|export type |canonicalTable</);
  });

  it('a CommonJS legacy module gets a CommonJS facade: require() for what it uses, exports.x / module.exports for what it exported, __filename', () => {
    for (const c of ['cjs-class', 'cjs-instance', 'cjs-named', 'cjs-object']) {
      const facade = written.get(fileOf(c))!;
      expect(facade).not.toMatch(/^(import|export) /m);
      expect(facade).toContain('facade: __filename');
      expect(facade).toMatch(/^const frozen = require\('\.\/cjs-[a-z]+\.legacy\.c?js'\);$/m);
    }
    // the whole export: a class (consumers `new` it) is the alias class, as `export class` is
    expect(written.get(fileOf('cjs-class'))).toContain("module.exports = defineLegacyManagerAlias(spec('WSM036', 'cjs-class (module.exports)'), frozen, { canonical: canonicalHub });");
    // the whole export: an instance routed per member read, named by the module in telemetry
    expect(written.get(fileOf('cjs-instance'))).toContain("module.exports = defineLegacyInstance(spec('WSM033', 'cjs-instance (module.exports)'), frozen, { canonical: canonicalWsManager });");
    // named exports: functions routed, a plain value stays a live read of the frozen module's
    expect(written.get(fileOf('cjs-named'))).toContain("exports.sendToUser = defineLegacyFreeFunction(spec('WSM034', 'sendToUser'), frozen.sendToUser, { canonical: (self, a1, a2) => self.hub.sendToUser(a1, a2), detached: true });");
    expect(written.get(fileOf('cjs-named'))).toContain("Object.defineProperty(exports, 'MAX_CLIENTS', { enumerable: true, get: () => frozen.MAX_CLIENTS });");
    // an exported object of names: each routed by what it is (class, manager function, instance, plain value)
    const obj = written.get(fileOf('cjs-object'))!;
    expect(obj).toContain("exports.Hub = defineLegacyManagerAlias(spec('WSM035', 'Hub'), frozen.Hub, { canonical: canonicalHub });");
    expect(obj).toContain("exports.hub = defineLegacyInstance(spec('WSM035', 'hub'), frozen.hub, { canonical: canonicalHub });");
    expect(obj).toContain("Object.defineProperty(exports, 'version', { enumerable: true, get: () => frozen.version });");
  });

  it('a CommonJS object manager (`module.exports = { register() {…} }`, classes[] "class": "default") is routed whole over the frozen object, not split into named exports', () => {
    const facade = written.get(fileOf('cjs-object-manager'))!;
    expect(facade).toContain("module.exports = defineLegacyObject(spec('WSM055', 'cjs-object-manager (module.exports)'), frozen, { canonical: canonicalDefault });");
    expect(facade).toContain("legacy: ['count'],");
    expect(facade).not.toMatch(/^exports\./m);
    // without the entry the same module is a CommonJS module of named exports (plain live reads, nothing routed), as before
    const files = initialFiles();
    const without = withDefaults({ ...spec.manifest, classes: manifest.classes.filter((c) => c.class !== 'default') });
    const plain = String(planStrangleTree(treeOf(files), without).writes.find((w) => w.path === fileOf('cjs-object-manager'))?.content);
    expect(plain).not.toContain('defineLegacyObject');
    expect(plain).toContain("Object.defineProperty(exports, 'register', { enumerable: true, get: () => frozen.register });");
  });

  it('a CommonJS module of free functions: a called function with no template (destructured with a rename from require) is needs review and keeps the id legacy', () => {
    expect(written.get(fileOf('cjs-named'))).toContain("exports.removeClient = defineLegacyFreeFunction(spec('WSM034', 'removeClient'), frozen.removeClient);");
    expect(written.get(fileOf('cjs-named'))).not.toContain('defaultMode');
    const files = initialFiles();
    files.set('src/app/cjs-drop.js', "const { removeClient: drop } = require('../legacy/cjs-named');\n\nmodule.exports = (id) => drop(id);\n");
    const plan = planStrangleTree(treeOf(files), manifest);
    expect(plan.needsReview.filter((r) => r.message.includes('functions['))).toEqual([
      { file: 'src/app/cjs-drop.js', line: 1, message: 'removeClient of src/legacy/cjs-named is used but ssot.config.json functions[2] has no template for it (templates); its facade keeps this id in legacy mode until it is mapped' },
    ]);
    expect(String(plan.writes.find((w) => w.path === fileOf('cjs-named'))?.content)).toContain("detached: true, defaultMode: 'legacy' });");
  });

  it("the summary (the commit subject) names the frozen bodies' extensions as written: *.legacy.js for JavaScript modules, each one when they mix", () => {
    // swiftraccoon/signal-web: a CommonJS repo with no TypeScript got "bodies frozen in *.legacy.ts" beside its connections.legacy.js
    expect(first.summary).toMatch(/ legacy module\(s\) behind shim facades, bodies frozen in \*\.legacy\.cjs, \*\.legacy\.js and \*\.legacy\.ts($|;)/);
    const files = initialFiles();
    for (const text of [files.get(fileOf('cjs-named'))!, toCrlfBom(files.get(fileOf('cjs-named'))!)]) {
      files.set(fileOf('cjs-named'), text);
      const only = (m: string): boolean => m === 'src/legacy/cjs-named';
      const jsOnly = withDefaults({ ...spec.manifest, legacy: manifest.legacy.filter((l) => only(l.module)), classes: manifest.classes.filter((c) => only(c.module)), functions: manifest.functions.filter((f) => only(f.module)), adapters: [], factory: undefined });
      const plan = planStrangleTree(treeOf(files), jsOnly);
      expect(plan.summary).toBe('1 legacy module(s) behind shim facades, bodies frozen in *.legacy.js');
      expect(plan.writes.map((w) => w.path)).toContain('src/legacy/cjs-named.legacy.js');
      expect(planStrangleTree(treeOf(apply(files, plan.writes)), jsOnly).summary).toBe('every legacy module is already a facade');
    }
  });

  it('a CommonJS module (CRLF + BOM) gets the same facade in CRLF with its BOM, its body frozen byte for byte', () => {
    for (const c of ['cjs-instance', 'cjs-object']) {
      const files = initialFiles();
      const file = fileOf(c);
      files.set(file, toCrlfBom(files.get(file)!));
      const plan = planStrangleTree(treeOf(files), manifest);
      expect(String(plan.writes.find((w) => w.path === file)?.content)).toBe(toCrlfBom(written.get(file)!));
      expect(String(plan.writes.find((w) => w.path === frozenPathOf(file))?.content)).toBe(files.get(file));
      const second = planStrangleTree(treeOf(apply(files, plan.writes)), manifest);
      expect(second.writes.filter((w) => w.path === file || w.path === frozenPathOf(file))).toEqual([]);
    }
  });

  describe('a CommonJS module whose exports are decided at run time is refused, named file:line with the reason, and left byte-identical', () => {
    const refused: Array<[string, string, number, RegExp]> = [
      ['re-assigned', "class A {}\nmodule.exports = new A();\nmodule.exports = new A();\n", 3, /module\.exports is assigned twice \(lines 2 and 3\)/],
      ['conditional', "class A {}\nclass B {}\nif (process.env.B) module.exports = new B();\nelse module.exports = new A();\n", 3, /module\.exports is assigned inside a function, block or condition/],
      ['in a function', "function install() {\n  exports.send = () => 1;\n}\ninstall();\n", 2, /exports\.send is assigned inside a function, block or condition/],
      ['Object.assign', "Object.assign(module.exports, { send() {} });\n", 1, /module\.exports is used as a value/],
      ['exports reassigned', "exports = { send() {} };\n", 1, /`exports` itself is reassigned/],
      ['replaced and extended', "class A {}\nmodule.exports = new A();\nmodule.exports.A = A;\n", 3, /module\.exports is replaced \(line 2\) and extended \(line 3\)/],
      ['spread', "const base = require('./base');\nmodule.exports = { ...base, send() {} };\n", 2, /spread member/],
      ['computed name', "const k = 'send';\nexports[k] = () => 1;\n", 2, /computed name/],
      ['local exports', "const exports = {};\nexports.send = () => 1;\nmodule.exports = exports;\n", 1, /declares its own `exports`/],
    ];
    for (const [what, text, line, reason] of refused) {
      it(what, () => {
        const files = initialFiles();
        const file = 'src/legacy/cjs-refused.js';
        for (const variant of [text, toCrlfBom(text)]) {
          files.set(file, variant);
          const withIt = withDefaults({ ...spec.manifest, legacy: [...manifest.legacy, { id: 'WSM040', module: 'src/legacy/cjs-refused', symbols: {} }] });
          const plan = planStrangleTree(treeOf(files), withIt);
          const problem = plan.problems.find((p) => p.file === file);
          expect(problem?.line).toBe(line);
          expect(problem?.message).toMatch(reason);
          expect(problem?.message).toMatch(/^a CommonJS module whose exports cannot be read safely: .*; left untouched$/);
          expect(plan.writes.filter((w) => w.path.startsWith('src/legacy/cjs-refused'))).toEqual([]);
          // the others are strangled as before
          expect(plan.writes.some((w) => w.path === fileOf('cjs-instance'))).toBe(true);
        }
      });
    }
  });

  it('an object manager module (TypeScript and JavaScript) and an `export default new …` module as CRLF + BOM gets the same facade in CRLF with its BOM, its body frozen byte for byte; a second run plans nothing', () => {
    for (const c of ['object-manager', 'js-object-manager', 'instance-default', 'cjs-object-manager']) {
      const files = initialFiles();
      const file = fileOf(c);
      files.set(file, toCrlfBom(files.get(file)!));
      const plan = planStrangleTree(treeOf(files), manifest);
      expect(String(plan.writes.find((w) => w.path === file)?.content)).toBe(toCrlfBom(written.get(file)!));
      expect(String(plan.writes.find((w) => w.path === frozenPathOf(file))?.content)).toBe(files.get(file));
      const second = planStrangleTree(treeOf(apply(files, plan.writes)), manifest);
      expect(second.writes.filter((w) => w.path === file || w.path === frozenPathOf(file))).toEqual([]);
    }
  });

  it('the whole second run plans nothing at all', () => {
    expect(second().writes).toEqual([]);
    expect(second().problems).toEqual([]);
  });

  /** The strangled virtual repo with the shim and canonical packages as stubs of the facade API's shape. */
  function strangledProject(extraOptions: Record<string, unknown> = {}) {
    const files = apply(initialFiles(), first.writes);
    files.set('node_modules/ssot-migrate/package.json', JSON.stringify({ name: 'ssot-migrate', type: 'module', exports: { './shim/facade': './shim/facade.ts', './canonical/core': './canonical/core.ts' } }));
    files.set('node_modules/ssot-migrate/shim/facade.ts', readFileSync(join(dir, 'shim-stub.ts.txt'), 'utf8'));
    files.set('node_modules/ssot-migrate/canonical/core.ts', 'export enum WebSocketManagerMode { UNIFIED = "unified", ISOLATED = "isolated" }\nexport interface ScopedWebSocketManager { emit(type: string, data: Record<string, unknown>): Promise<unknown> }\n');
    files.set('src/types.d.ts', 'declare const process: { emitWarning(m: string, o: object): void };\n');
    return treeOf(files, { ...DEFAULT_LIBS, ...extraOptions }).project();
  }

  it('the strangled virtual repo typechecks (facades, frozen files and their siblings)', () => {
    const project = strangledProject();
    const diags = project.getPreEmitDiagnostics().filter((d) => !d.getSourceFile()?.getFilePath().includes('/already-facade'));
    expect(project.formatDiagnosticsWithColorAndContext(diags)).toBe('');
  });

  it("every generated facade compiles under a team's strictest flags (exactOptionalPropertyTypes, noUnused*, …)", () => {
    const project = strangledProject(USER_STRICT_FLAGS);
    const facades = new Set(first.writes.filter((w) => w.content !== null && /\.ts$/.test(w.path) && !/\.legacy\.ts$/.test(w.path)).map((w) => `${ROOT}/${w.path}`));
    expect(facades.size).toBeGreaterThanOrEqual(8);
    // Frozen bodies are the team's own code under the team's flags; what strangle writes must add no error.
    const diags = project.getPreEmitDiagnostics().filter((d) => facades.has(d.getSourceFile()?.getFilePath() ?? ''));
    expect(project.formatDiagnosticsWithColorAndContext(diags)).toBe('');
  });

  it('reports a used member with no template as needs review (type checker), and the id defaults to legacy', () => {
    expect(first.needsReview).toEqual([
      expect.objectContaining({ file: 'src/app/use.ts', line: 2, message: expect.stringContaining('Hub.stats is used but ssot.config.json classes[0] has no template for it') }),
    ]);
    const facade = written.get(fileOf('class-module')) ?? '';
    expect(facade).toContain("unmapped: ['stats', 'unusedThing'], // no template: used in the repo (stats): this id defaults to legacy mode");
    expect(facade).toContain("export const Hub = defineLegacyManagerAlias(spec('WSM012', 'Hub'), frozen.Hub, { canonical: canonicalHub, defaultMode: 'legacy' });");
    // mapped, nothing used is unmapped: no needs-review entry, canonical by default
    const mapped = withDefaults({ ...spec.manifest, classes: [{ ...manifest.classes[0]!, members: { ...manifest.classes[0]!.members, stats: '$hub.sendToUser($ctx?.userId ?? "", { type: "stats" })' } }, ...manifest.classes.slice(1)] });
    const plan = planStrangleTree(treeOf(initialFiles()), mapped);
    expect(plan.needsReview).toEqual([]);
    expect(String(plan.writes.find((w) => w.path === fileOf('class-module'))?.content)).not.toContain('defaultMode');
  });

  it('templates per member of a field (classes[].members["peers.set"]) are remove-adapters\' only: no problem, nothing in the facade, a used field without a whole template is needs review saying so', () => {
    const files = initialFiles();
    files.set(fileOf('class-module'), files.get(fileOf('class-module'))!.replace('  mode = \'live\';\n', '  mode = \'live\';\n  readonly peers = new Map<string, Sock>();\n'));
    files.set('src/app/peers.ts', "import { getHub, type Sock } from '../legacy/class-module';\nexport const join = (s: Sock) => getHub().peers.set('u', s);\n");
    const m = withDefaults({ ...spec.manifest, classes: [{ ...manifest.classes[0]!, members: { ...manifest.classes[0]!.members, stats: '$hub.listConnectedUsers().length', 'peers.set': '$hub.connect($1, $2)' } }, ...manifest.classes.slice(1)] });
    const plan = planStrangleTree(treeOf(files), m);
    expect(plan.problems ?? []).toEqual([]);
    expect(plan.needsReview).toEqual([expect.objectContaining({ file: 'src/app/peers.ts', line: 2, message: expect.stringContaining('Hub.peers is used and has templates per member of it (classes[0].members["peers.…"]), which remove-adapters writes at each use') })]);
    const facade = String(plan.writes.find((w) => w.path === fileOf('class-module'))?.content);
    expect(facade).not.toContain('peers.set');
    expect(facade).toContain("defaultMode: 'legacy'");
  });

  it('chains on what a method returns (classes[].members["peerOf.send"]) are remove-adapters\' only: nothing in the facade; a used lookup with chains and no plain template is needs review saying the shim serves it only from one', () => {
    const files = initialFiles();
    files.set(fileOf('class-module'), files.get(fileOf('class-module'))!.replace("  mode = 'live';\n", "  mode = 'live';\n  peerOf(id: string): Sock | undefined { void id; return undefined; }\n"));
    files.set('src/app/peers.ts', "import { getHub } from '../legacy/class-module';\nexport const tell = (id: string) => getHub().peerOf(id)?.send('x');\n");
    const m = withDefaults({ ...spec.manifest, classes: [{ ...manifest.classes[0]!, members: { ...manifest.classes[0]!.members, stats: '$hub.listConnectedUsers().length', 'peerOf.send': '$hub.sendToUser($1, JSON.parse($2))' } }, ...manifest.classes.slice(1)] });
    const plan = planStrangleTree(treeOf(files), m);
    expect(plan.problems ?? []).toEqual([]);
    expect(plan.needsReview).toEqual([expect.objectContaining({ file: 'src/app/peers.ts', line: 2, message: expect.stringContaining('Hub.peerOf is used and has chain templates on what it returns (classes[0].members["peerOf.…"]), which remove-adapters writes at each use; a facade cannot see what a caller does with a returned value') })]);
    const facade = String(plan.writes.find((w) => w.path === fileOf('class-module'))?.content);
    expect(facade).not.toContain('peerOf.send');
    expect(facade).toContain("defaultMode: 'legacy'");
  });

  it('a module of free functions (functions[]): a called function with no template is needs review and keeps the id legacy; uncalled ones do not', () => {
    const facade = written.get(fileOf('free-functions')) ?? '';
    expect(facade).not.toContain('defaultMode');
    expect(facade).toContain("export const removeClient = defineLegacyFreeFunction(spec('WSM020', 'removeClient'), frozen.removeClient);");
    const files = initialFiles();
    files.set('src/app/fn-drop.ts', "import { removeClient as drop } from '../legacy/free-functions';\n\nexport const go = (ws: { send(d: string): void }) => drop('u', ws);\n");
    const plan = planStrangleTree(treeOf(files), manifest);
    expect(plan.needsReview.filter((r) => r.message.includes('functions['))).toEqual([
      { file: 'src/app/fn-drop.ts', line: 3, message: 'removeClient of src/legacy/free-functions is used but ssot.config.json functions[0] has no template for it (templates); its facade keeps this id in legacy mode until it is mapped' },
    ]);
    const legacyDefault = String(plan.writes.find((w) => w.path === fileOf('free-functions'))?.content);
    expect(legacyDefault).toContain("export const sendToUser = defineLegacyFreeFunction(spec('WSM020', 'sendToUser'), frozen.sendToUser, { canonical: (self, a1, a2) => self.hub.sendToUser(a1, a2), detached: true, defaultMode: 'legacy' });");
    // a function that nobody outside calls (free-functions-crlf's `unused`) holds nothing back
    expect(String(plan.writes.find((w) => w.path === fileOf('free-functions-crlf'))?.content)).not.toContain('defaultMode');
  });

  it('a function with no template called only through the default-exported object (`Repo.f()`, shorthand or renamed) is needs review and keeps the id legacy', () => {
    // JeLLek1/PIM-chess-app calls deleteConnection only as ConnectionRepository.deleteConnection(…):
    // left without a template, it was served by the frozen Map while saveConnection registered on the
    // hub, with no needs-review item and the id in canonical mode
    const { sendToUser: _s, broadcast: _b, ...rest } = manifest.functions[0]!.templates;
    const fewer = { ...manifest, functions: [{ ...manifest.functions[0]!, templates: rest }, ...manifest.functions.slice(1)] };
    const files = initialFiles();
    files.delete('src/app/fn-use.ts');
    files.set('src/app/fn-default.ts', "import Conns from '../legacy/free-functions';\n\nexport const go = (id: string) => { Conns.sendToUser(id, { type: 'x' }); Conns.send({ type: 'y' }); };\n");
    const plan = planStrangleTree(treeOf(files), fewer);
    expect(plan.needsReview.filter((r) => r.message.includes('functions[0]')).map((r) => `${r.file}:${r.line} ${r.message.split(' ')[0]}`).sort()).toEqual(['src/app/fn-default.ts:3 broadcast', 'src/app/fn-default.ts:3 sendToUser']);
    expect(String(plan.writes.find((w) => w.path === fileOf('free-functions'))?.content)).toContain("defaultMode: 'legacy'");
  });

  it('a class used through its statics (classes[].statics): templated statics routed (default export included); a used static with no template is needs review and keeps the id legacy; a template naming no static is a problem', () => {
    const facade = written.get(fileOf('static-class')) ?? '';
    expect(facade).toContain("const legacyDefault = defineLegacyManagerAlias(spec('WSM040', 'default'), frozen.default, { canonical: canonicalWebSocketClients, statics: canonicalWebSocketClientsStatics });");
    expect(facade).toContain('staticTable<typeof frozen.default>({');
    expect(facade).not.toContain('defaultMode');
    expect(written.get(fileOf('static-class-crlf'))).toContain("export const WebSocketService = defineLegacyManagerAlias(spec('WSM041', 'WebSocketService'), frozen.WebSocketService, { canonical: canonicalWebSocketService, statics: canonicalWebSocketServiceStatics });\r\n");
    const files = initialFiles();
    files.set('src/app/static-count.ts', "import WebSocketClients from '../legacy/static-class';\n\nexport const n = (u: string): number => WebSocketClients.countFor(u);\n");
    const withTypo = withDefaults({ ...spec.manifest, classes: manifest.classes.map((c) => (c.class === 'WebSocketClients' ? { ...c, statics: { ...c.statics, notAStatic: '$hub.connectionCount()' } } : c)) });
    const plan = planStrangleTree(treeOf(files), withTypo);
    expect(plan.needsReview.filter((r) => r.message.includes('statics'))).toEqual([
      { file: 'src/app/static-count.ts', line: 3, message: `WebSocketClients.countFor is a static used in the repo but ssot.config.json classes[${manifest.classes.findIndex((c) => c.class === 'WebSocketClients')}].statics has no template for it; it stays the frozen class\'s and its facades keep this id in legacy mode until it is mapped` },
    ]);
    expect(plan.problems).toEqual([{ file: 'ssot.config.json', line: 1, message: `classes[${manifest.classes.findIndex((c) => c.class === 'WebSocketClients')}]: WebSocketClients has no public static "notAStatic"; its template in statics is ignored` }]);
    const legacyDefault = String(plan.writes.find((w) => w.path === fileOf('static-class'))?.content);
    expect(legacyDefault).toContain("{ canonical: canonicalWebSocketClients, defaultMode: 'legacy', statics: canonicalWebSocketClientsStatics });");
    expect(legacyDefault).not.toContain('notAStatic');
  });

  it("a module with no relative import of its own follows the repo's bare specifiers (CRLF + BOM too); twice plans nothing", () => {
    // JeLLek1/PIM-chess-app: a CommonJS repo whose imports are all bare; its legacy module imports only
    // 'ws', and the facade's `./x.legacy.js` typechecked but failed under ts-node at run time
    for (const crlf of [false, true]) {
      const module = fileOf('free-functions');
      const original = readFileSync(join(dir, 'free-functions.input.ts'), 'utf8');
      const files = new Map<string, string>([
        [module, crlf ? toCrlfBom(original) : original],
        ['src/app/fn-use.ts', spec.modules['src/app/fn-use.ts']!],
        ['src/app/other.ts', "import { go } from './fn-use';\nexport const again = go;\n"],
      ]);
      const plan = planStrangleTree(treeOf(files, { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }), manifest);
      const facade = String(plan.writes.find((w) => w.path === module)?.content);
      expect(facade).toContain(crlf ? "import * as frozen from './free-functions.legacy';\r\n" : "import * as frozen from './free-functions.legacy';\n");
      expect(facade.startsWith('\uFEFF')).toBe(crlf);
      expect(facade).not.toContain('.legacy.js');
      expect(String(plan.writes.find((w) => w.path === frozenPathOf(module))?.content)).toBe(files.get(module));
      expect(planStrangleTree(treeOf(apply(files, plan.writes), { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }), manifest).writes.filter((w) => w.path.startsWith('src/'))).toEqual([]);
    }
    // the fixtures' repo writes `.js` in most files: its facades keep `.js` (the 'free-functions' case above)
    expect(written.get(fileOf('free-functions'))).toContain("from './free-functions.legacy.js'");
  });

  it('a CommonJS repo (tsconfig module commonjs) gets facades naming their file with __filename, never import.meta', () => {
    const plan = planStrangleTree(treeOf(initialFiles(), { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 }), manifest);
    const facades = plan.writes.filter((w) => /\.ts$/.test(w.path) && !/\.legacy\.ts$/.test(w.path)).map((w) => String(w.content));
    expect(facades.length).toBeGreaterThanOrEqual(8);
    expect(facades.filter((f) => f.includes('import.meta'))).toEqual([]);
    expect(facades.filter((f) => f.includes('facade: __filename')).length).toBeGreaterThan(0);
    // the ESM fixtures keep import.meta.url
    expect(written.get(fileOf('free-functions'))).toContain('facade: import.meta.url');
  });

  it('an unmapped member declared again by an interface the class implements and by a sibling class is not "used" there: only its calls are', () => {
    // QuickDapp's shape: SocketManager implements ISocketManager, whose optional members (and a worker-side
    // implementation's own methods) the reference search returns beside the calls
    const files = initialFiles();
    files.set('src/app/hub-api.ts', 'export interface HubApi {\n  stats?(): unknown;\n}\n');
    files.set(fileOf('class-module'), `import type { HubApi } from '../app/hub-api';\n${files.get(fileOf('class-module'))!.replace('export class Hub {', 'export class Hub implements HubApi {')}`);
    files.set('src/app/worker-hub.ts', "import type { HubApi } from './hub-api';\n\nexport class WorkerHub implements HubApi {\n  stats(): unknown {\n    return {};\n  }\n}\nexport const literal: HubApi = { stats: () => 0 };\n");
    files.set('src/app/via-api.ts', "import type { HubApi } from './hub-api';\n\nexport const u = (h: HubApi) => h.stats?.();\n");
    const plan = planStrangleTree(treeOf(files), manifest);
    expect(plan.needsReview.map((r) => `${r.file}:${r.line}`).sort()).toEqual(['src/app/use.ts:2', 'src/app/via-api.ts:3']);
  });

  it('finds uses of an unmapped member with only the files naming it loaded: through re-exports and globals, as a whole-repo project does', () => {
    const files = initialFiles();
    files.set('src/app/hub-source.ts', "export { getHub as hub } from '../legacy/class-module';\n");
    files.set('src/app/indirect.ts', "import { hub } from './hub-source';\n\nexport const s = hub().stats();\n");
    files.set('src/app/shared-hub.ts', "import type { Hub } from '../legacy/class-module';\nexport {};\ndeclare global {\n  var sharedHub: Hub;\n}\n");
    files.set('src/app/via-global.ts', 'export const t = globalThis.sharedHub.stats();\n');
    files.set('src/app/same-word.ts', 'export const stats = { unusedThing: 1 };\n');
    files.set('src/app/bystander.ts', "export const other = 'nothing to see';\n");
    const whole = planStrangleTree(treeOf(files), manifest);
    // the snapshot's way: a project holding only the files asked for, with what they import
    let project: Project | undefined;
    const lazy = {
      ...treeOf(files),
      project: (asked: readonly string[]) => {
        project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, allowJs: true, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, ...PLAN_LIBS } });
        for (const [f, text] of files) project.getFileSystem().writeFileSync(`${ROOT}/${f}`, text.replace(/^\uFEFF/, ''));
        for (const f of asked) project.addSourceFileAtPath(`${ROOT}/${f}`);
        project.resolveSourceFileDependencies();
        return project;
      },
    };
    const plan = planStrangleTree(lazy, manifest);
    expect(plan.needsReview.map((r) => `${r.file}:${r.line}`).sort()).toEqual(['src/app/indirect.ts:3', 'src/app/use.ts:2', 'src/app/via-global.ts:1']);
    expect(plan.needsReview).toEqual(whole.needsReview);
    expect(plan.writes.map((w) => [w.path, String(w.content)])).toEqual(whole.writes.map((w) => [w.path, String(w.content)]));
    // a file naming no unmapped member and declaring nothing global is never parsed
    expect(project!.getSourceFile(`${ROOT}/src/app/bystander.ts`)).toBeUndefined();
    expect(project!.getSourceFile(`${ROOT}/src/app/same-word.ts`)).toBeDefined();
  });

  it('routes an exported instance of a described class through the shim; says when one typed as a union is re-exported as is (no routing, no telemetry)', () => {
    const files = initialFiles();
    const original = files.get(fileOf('class-module'))!;
    const at = original.split('\n').length; // the blank line after the original text
    files.set(fileOf('class-module'), `${original}\nexport const sharedHub = new Hub();\nexport const maybeHub: Hub | undefined = undefined;\nexport const label = 'not a hub';\n`);
    const plan = planStrangleTree(treeOf(files), manifest);
    const facade = String(plan.writes.find((w) => w.path === fileOf('class-module'))?.content);
    expect(facade).toContain("export const sharedHub = defineLegacyInstance(spec('WSM012', 'sharedHub'), frozen.sharedHub, { canonical: canonicalHub, defaultMode: 'legacy' });");
    expect(facade).toContain('export { maybeHub, label } from');
    const raw = plan.needsReview.filter((r) => r.message.includes('re-exports it as is'));
    expect(raw.map((r) => `${r.file}:${r.line}:${r.message.split(' ')[0]}`)).toEqual([`${fileOf('class-module')}:${at + 2}:maybeHub`]);
    expect(raw[0]!.message).toContain('instance of Hub (ssot.config.json classes[0])');
    // a legacy symbol for it changes what rewrite-imports does later, not the facade: still routed
    const mapped = withDefaults({ ...spec.manifest, legacy: manifest.legacy.map((l) => (l.id === 'WSM012' ? { ...l, symbols: { ...l.symbols, sharedHub: 'createWebSocketManager' } } : l)) });
    const again = planStrangleTree(treeOf(files), mapped);
    expect(again.needsReview.filter((r) => r.message.includes('re-exports it as is')).map((r) => r.line)).toEqual([at + 2]);
    expect(String(again.writes.find((w) => w.path === fileOf('class-module'))?.content)).toContain('export const sharedHub = defineLegacyInstance(');
  });

  it('says when an exported instance`s class has no classes[] entry (nothing to route it by): needs review naming the entry to add, instances[] or not', () => {
    const files = initialFiles();
    const original = files.get(fileOf('class-module'))!;
    const at = original.split('\n').length;
    files.set(fileOf('class-module'), `${original}\nexport class SocketHub {\n  send(id: string): void { void id; }\n}\nexport const socketHub = new SocketHub();\n`);
    const unrouted = (p: ReturnType<typeof planStrangleTree>) => p.needsReview.filter((r) => r.message.includes('passes it through unrouted'));
    const plan = planStrangleTree(treeOf(files), manifest);
    // it was silent: re-exported as is, no review item
    expect(String(plan.writes.find((w) => w.path === fileOf('class-module'))?.content)).toMatch(/export \{[^}]*\bsocketHub\b[^}]*\} from/);
    expect(unrouted(plan).map((r) => `${r.file}:${r.line}`)).toEqual([`${fileOf('class-module')}:${at + 4}`]);
    expect(unrouted(plan)[0]!.message).toBe('socketHub is an instance of SocketHub (src/legacy/class-module) exported by a legacy module, and no classes[] entry describes SocketHub: the facade passes it through unrouted, so calls through it reach the legacy object in every shim mode and leave no telemetry; add a classes[] entry for SocketHub (a template per member its users call, legacyMembers for those kept on legacy code)');
    // instances[] naming it says what its reads become, not what its members do
    const listed = withDefaults({ ...spec.manifest, instances: [{ module: 'src/legacy/class-module', name: 'socketHub', replacement: '$hub' }] });
    expect(unrouted(planStrangleTree(treeOf(files), listed))[0]!.message).toMatch(/ — instances\[0\] says what reads of socketHub become, not what its members do$/);
    // described: routed, nothing said
    const described = withDefaults({ ...spec.manifest, classes: [...manifest.classes, { module: 'src/legacy/class-module', class: 'SocketHub', members: {}, legacyMembers: ['send'] }] });
    const routed = planStrangleTree(treeOf(files), described);
    expect(unrouted(routed)).toEqual([]);
    expect(String(routed.writes.find((w) => w.path === fileOf('class-module'))?.content)).toContain('export const socketHub = defineLegacyInstance(');
  });

  it('skips a classes[] entry that describes an interface (no runtime object to proxy), quietly', () => {
    const withInterface = withDefaults({ ...spec.manifest, classes: [...manifest.classes, { module: 'src/legacy/types-only', class: 'Protocol', members: { sendMessage: '$hub.isOnline($1)' } }] });
    const plan = planStrangleTree(treeOf(initialFiles()), withInterface);
    const base = first; // the same tree and manifest: the first run's plan
    expect(plan.problems).toEqual(base.problems);
    expect(plan.needsReview).toEqual(base.needsReview);
    expect(plan.writes.map((w) => [w.path, String(w.content)])).toEqual(base.writes.map((w) => [w.path, String(w.content)]));
    // a name the module declares neither as class nor as interface is still a problem
    const missing = withDefaults({ ...spec.manifest, classes: [...manifest.classes, { module: 'src/legacy/types-only', class: 'Protocl', members: {} }] });
    expect(planStrangleTree(treeOf(initialFiles()), missing).problems.map((p) => p.message)).toContain(`classes[${manifest.classes.length}]: src/legacy/types-only declares no class Protocl`);
  });

  it('a property whose template is $ctx is listed in rebind (assignment rebinds); other properties are not', () => {
    const withCtx = withDefaults({ ...spec.manifest, classes: [{ ...manifest.classes[0]!, members: { ...manifest.classes[0]!.members, mode: '$ctx' }, legacyMembers: [] }] });
    const facade = String(planStrangleTree(treeOf(initialFiles()), withCtx).writes.find((w) => w.path === fileOf('class-module'))?.content);
    expect(facade).toContain("  rebind: ['mode'],");
    // listed in legacyMembers as well: the shim serves it from legacy code (the template is the static rewrite's)
    const both = withDefaults({ ...spec.manifest, classes: [{ ...manifest.classes[0]!, members: { ...manifest.classes[0]!.members, mode: '$ctx' }, legacyMembers: ['mode'] }] });
    const served = String(planStrangleTree(treeOf(initialFiles()), both).writes.find((w) => w.path === fileOf('class-module'))?.content);
    expect(served).toContain("  legacy: ['mode'],");
    expect(served).not.toMatch(/rebind|mode: \(/);
    expect(written.get(fileOf('class-module')) ?? '').not.toContain('rebind');
  });

  it('the compiler refuses a template that does not match the legacy member (facade type and canonical object agree)', () => {
    const wrong = withDefaults({ ...spec.manifest, classes: [{ ...manifest.classes[0]!, members: { ...manifest.classes[0]!.members, publish: "$user($1).sendToUser($1, $2)" } }] });
    const plan = planStrangleTree(treeOf(initialFiles()), wrong);
    const files = apply(initialFiles(), plan.writes);
    files.set('node_modules/ssot-migrate/package.json', JSON.stringify({ name: 'ssot-migrate', type: 'module', exports: { './shim/facade': './shim/facade.ts', './canonical/core': './canonical/core.ts' } }));
    files.set('node_modules/ssot-migrate/shim/facade.ts', readFileSync(join(dir, 'shim-stub.ts.txt'), 'utf8'));
    files.set('node_modules/ssot-migrate/canonical/core.ts', 'export enum WebSocketManagerMode { UNIFIED = "unified", ISOLATED = "isolated" }\nexport interface ScopedWebSocketManager { emit(type: string, data: Record<string, unknown>): Promise<unknown>; sendToUser(userId: string, m: object): Promise<void> }\n');
    files.set('src/types.d.ts', 'declare const process: { emitWarning(m: string, o: object): void };\n');
    const project = treeOf(files, DEFAULT_LIBS).project();
    const messages = project
      .getPreEmitDiagnostics()
      .filter((d) => d.getSourceFile()?.getFilePath() === `${ROOT}/${fileOf('class-module')}`)
      .map((d) => ts.flattenDiagnosticMessageText(d.compilerObject.messageText, '\n'));
    expect(messages.join('\n')).toMatch(/Promise<void>' is not assignable to type 'number'/);
  });

  it('names template parameters the mapping does not use with a leading underscore (noUnusedParameters)', () => {
    expect(templateToMapping("$m.emit('agent_started', { agentName: $1 })")).toBe("(m, a1) => m.emit('agent_started', { agentName: a1 })");
    expect(templateToMapping('$m.close()')).toBe('(m) => m.close()');
    expect(templateToMapping('Promise.resolve($2)')).toBe('(_m, _a1, a2) => Promise.resolve(a2)');
  });

  it('turns member templates into functions of the binding', () => {
    expect(memberTemplateToFunction('$hub.connect($1, $2)', 'method')).toBe('(self, a1, a2) => self.hub.connect(a1, a2)');
    expect(memberTemplateToFunction('$user($2).sendToUser($2, $1)', 'method')).toBe('(self, a1, a2) => self.user(a2).sendToUser(a2, a1)');
    expect(memberTemplateToFunction('{ ...$hub.health(), mode: $legacy.mode }', 'method')).toBe('(self) => ({ ...self.hub.health(), mode: self.legacy.mode })');
    expect(memberTemplateToFunction('$ctx?.userId', 'property')).toBe('(self) => self.context?.userId');
    expect(memberTemplateToFunction('Promise.resolve($2)', 'method')).toBe('(_self, _a1, a2) => Promise.resolve(a2)');
    expect(memberTemplateToFunction('$run({ userId: $1 }).emit($2, $3)', 'method')).toBe('(self, a1, a2, a3) => self.run({ userId: a1 }).emit(a2, a3)');
  });

  it('refuses to overwrite a frozen file that is not its own, and reports unparsable modules untouched', () => {
    const files = initialFiles();
    files.set(frozenPathOf(fileOf('types-only')), 'export {};\n');
    files.set(fileOf('compat-module'), 'export const = ;\n');
    const plan = planStrangleTree(treeOf(files), manifest);
    const paths = plan.writes.map((w) => w.path);
    expect(paths).not.toContain(fileOf('types-only'));
    expect(paths).not.toContain(fileOf('compat-module'));
    expect(plan.problems.map((p) => p.file).sort()).toEqual([fileOf('compat-module'), fileOf('types-only')].sort());
  });

  it('ignores the shim telemetry in .gitignore once, keeping the file line endings', () => {
    expect(gitignoreWrite('node_modules\r\n')).toBe(
      'node_modules\r\n# ssot-migrate shim telemetry (written when the app runs under the shim)\r\n.ssot/telemetry/\r\n' +
        '# ssot-migrate shim toggles (flipped at run time by `ssot-migrate toggle` or the dashboard)\r\n.ssot/shim-toggles.json\r\n' +
        '# ssot-migrate dashboard flip log (who flipped which mode, appended by `ssot-migrate dashboard`)\r\n.ssot/shim-flips.jsonl\r\n',
    );
    // a repo strangled before the toggles and flip-log entries existed gains only those
    expect(gitignoreWrite('.ssot/telemetry/\n')).toBe(
      '.ssot/telemetry/\n# ssot-migrate shim toggles (flipped at run time by `ssot-migrate toggle` or the dashboard)\n.ssot/shim-toggles.json\n' +
        '# ssot-migrate dashboard flip log (who flipped which mode, appended by `ssot-migrate dashboard`)\n.ssot/shim-flips.jsonl\n',
    );
    expect(gitignoreWrite('.ssot/telemetry/\n.ssot/shim-toggles.json\n')).toBe('.ssot/telemetry/\n.ssot/shim-toggles.json\n# ssot-migrate dashboard flip log (who flipped which mode, appended by `ssot-migrate dashboard`)\n.ssot/shim-flips.jsonl\n');
    expect(gitignoreWrite('/.ssot/telemetry/**\n/.ssot/shim-toggles.json\n/.ssot/shim-flips.jsonl\n')).toBeUndefined();
    expect(gitignoreWrite('node_modules')).toContain('node_modules\n#');
    expect(gitignoreWrite(gitignoreWrite(undefined))).toBeUndefined();
    expect(gitignoreWrite('.ssot/\n')).toBeUndefined();
  });

  it('adds frozen files to the manifest exclude list without reformatting it', () => {
    expect(withExclude('{\n  "exclude": ["a/**"],\n  "x": 1\n}\n', ['b.legacy.ts'])).toBe('{\n  "exclude": ["a/**", "b.legacy.ts"],\n  "x": 1\n}\n');
    expect(withExclude('{ "exclude": [] }', ['b.legacy.ts'])).toBe('{ "exclude": ["b.legacy.ts"] }');
    expect(JSON.parse(withExclude('{ "x": 1 }', ['b.legacy.ts']))).toEqual({ x: 1, exclude: ['b.legacy.ts'] });
  });
});

describe('strangle: an object manager (classes[] naming a const that holds an object literal)', () => {
  const OBJECT = "const clients = new Map<string, { send(data: string): void }>();\n\nexport const wsManager = {\n  register(orderId: string, socket: { send(data: string): void }) {\n    clients.set(orderId, socket);\n  },\n  notify: (orderId: string, payload: object) => clients.get(orderId)?.send(JSON.stringify(payload)),\n};\n\nexport const LIMIT = 10;\n";
  const file = 'src/legacy/orders.ts';
  const objectManifest = withDefaults({
    ...spec.manifest,
    legacy: [...(spec.manifest.legacy ?? []), { id: 'WSM050', module: 'src/legacy/orders', symbols: {} }],
    classes: [...(spec.manifest.classes ?? []), { module: 'src/legacy/orders', class: 'wsManager', members: { register: '$hub.connect($1, $2)', notify: '$hub.sendToUser($1, { ...$2 })' } }],
  });
  const plan = (text: string) => {
    const files = initialFiles();
    files.set(file, text);
    files.set('src/app/orders-use.ts', "import { wsManager } from '../legacy/orders.js';\nwsManager.notify('o1', { status: 'routing' });\n");
    return { files, plan: planStrangleTree(treeOf(files), objectManifest) };
  };

  it('is routed member by member (defineLegacyObject over the frozen object, its table typed by it); no problem, no review; a second run plans nothing', () => {
    const { files, plan: p } = plan(OBJECT);
    expect(p.problems).toEqual([]);
    const facade = String(p.writes.find((w) => w.path === file)?.content);
    expect(facade).toContain("const canonicalWsManager = canonicalTable<typeof frozen.wsManager>({");
    expect(facade).toContain("export const wsManager = defineLegacyObject(spec('WSM050', 'wsManager'), frozen.wsManager, { canonical: canonicalWsManager });");
    expect(facade).toContain("export { LIMIT } from './orders.legacy.js';");
    expect(String(p.writes.find((w) => w.path === 'src/legacy/orders.legacy.ts')?.content)).toBe(OBJECT);
    expect(p.needsReview.filter((r) => r.file === file || r.file === 'src/app/orders-use.ts')).toEqual([]);
    const second = planStrangleTree(treeOf(apply(files, p.writes)), objectManifest);
    expect(second.writes.map((w) => w.path).filter((x) => x === file || x === 'src/legacy/orders.legacy.ts')).toEqual([]);
    expect(second.problems).toEqual([]);
  });

  it('a member used with no template is needs review at its use and keeps the id legacy; a template naming no member is a problem', () => {
    const unmappedNotify = withDefaults({ ...objectManifest, classes: objectManifest.classes.map((c) => (c.class === 'wsManager' ? { ...c, members: { register: '$hub.connect($1, $2)', nope: '$hub.listConnectedUsers()' } } : c)) });
    const files = initialFiles();
    files.set(file, OBJECT);
    files.set('src/app/orders-use.ts', "import { wsManager } from '../legacy/orders.js';\nwsManager.notify('o1', { status: 'routing' });\n");
    const p = planStrangleTree(treeOf(files), unmappedNotify);
    const i = unmappedNotify.classes.length - 1;
    expect(p.needsReview.filter((r) => r.file === 'src/app/orders-use.ts')).toEqual([
      { file: 'src/app/orders-use.ts', line: 2, message: `wsManager.notify is used but ssot.config.json classes[${i}] has no template for it (members) and does not leave it to legacy code (legacyMembers); its facades keep this id in legacy mode until it is mapped` },
    ]);
    expect(p.problems.map((x) => x.message)).toContain(`classes[${i}]: wsManager has no member "nope"; its template is ignored`);
    const facade = String(p.writes.find((w) => w.path === file)?.content);
    expect(facade).toContain("  unmapped: ['notify'], // no template: used in the repo (notify): this id defaults to legacy mode");
    expect(facade).toContain("frozen.wsManager, { canonical: canonicalWsManager, defaultMode: 'legacy' });");
  });

  it('CRLF + BOM: the facade keeps both, the frozen body is the file byte for byte', () => {
    const lf = String(plan(OBJECT).plan.writes.find((w) => w.path === file)?.content);
    const { plan: p } = plan(toCrlfBom(OBJECT));
    expect(String(p.writes.find((w) => w.path === file)?.content)).toBe(toCrlfBom(lf));
    expect(String(p.writes.find((w) => w.path === 'src/legacy/orders.legacy.ts')?.content)).toBe(toCrlfBom(OBJECT));
  });
});

describe('strangle: an object manager that is an ES module default export (classes[] "class": "default")', () => {
  const LITERAL = "const clients = new Map<string, { send(data: string): void }>();\n\nexport default {\n  register(orderId: string, socket: { send(data: string): void }) {\n    clients.set(orderId, socket);\n  },\n  notify: (orderId: string, payload: object) => clients.get(orderId)?.send(JSON.stringify(payload)),\n};\n\nexport const LIMIT = 10;\n";
  const CONST = "const clients = new Map<string, { send(data: string): void }>();\n\nconst hub = {\n  register(orderId: string, socket: { send(data: string): void }) {\n    clients.set(orderId, socket);\n  },\n  notify: (orderId: string, payload: object) => clients.get(orderId)?.send(JSON.stringify(payload)),\n};\n\nexport default hub;\n";
  const file = 'src/legacy/orders.ts';
  const manifestWith = (cls: string) =>
    withDefaults({
      ...spec.manifest,
      legacy: [...(spec.manifest.legacy ?? []), { id: 'WSM060', module: 'src/legacy/orders', symbols: {} }],
      classes: [...(spec.manifest.classes ?? []), { module: 'src/legacy/orders', class: cls, members: { register: '$hub.connect($1, $2)', notify: '$hub.sendToUser($1, { ...$2 })' } }],
    });
  const plan = (text: string, cls = 'default') => {
    const files = initialFiles();
    files.set(file, text);
    files.set('src/app/orders-use.ts', "import orders from '../legacy/orders.js';\norders.notify('o1', { status: 'routing' });\n");
    return { files, plan: planStrangleTree(treeOf(files), manifestWith(cls)) };
  };

  for (const [shape, text] of [['export default { … }', LITERAL], ['const hub = { … }; export default hub', CONST]] as const) {
    it(`${shape}: the default export is routed member by member over the frozen default; no problem, no review; CRLF + BOM kept; a second run plans nothing`, () => {
      const { files, plan: p } = plan(text);
      expect(p.problems).toEqual([]);
      const facade = String(p.writes.find((w) => w.path === file)?.content);
      expect(facade).toContain('const canonicalDefault = canonicalTable<typeof frozen.default>({');
      expect(facade).toContain("const legacyDefault = defineLegacyObject(spec('WSM060', 'default'), frozen.default, { canonical: canonicalDefault });");
      expect(facade).toContain('export default legacyDefault;');
      expect(String(p.writes.find((w) => w.path === 'src/legacy/orders.legacy.ts')?.content)).toBe(text);
      expect(p.needsReview.filter((r) => r.file === file || r.file === 'src/app/orders-use.ts')).toEqual([]);
      const second = planStrangleTree(treeOf(apply(files, p.writes)), manifestWith('default'));
      expect(second.writes.map((w) => w.path).filter((x) => x === file || x === 'src/legacy/orders.legacy.ts')).toEqual([]);
      const { plan: crlf } = plan(toCrlfBom(text));
      expect(String(crlf.writes.find((w) => w.path === file)?.content)).toBe(toCrlfBom(facade));
    });
  }

  it('the const exported only as the default may be named by the const too (the same literal)', () => {
    const facade = String(plan(CONST, 'hub').plan.writes.find((w) => w.path === file)?.content);
    expect(facade).toContain('defineLegacyObject(');
  });
});
