/**
 * Dependencies point one way: manifest ← canonical ← shim ← codemods ← scripts. manifest imports
 * nothing else of ours; canonical nothing of shim/ or codemods/; shim never codemods/ or scripts/;
 * codemods never scripts/, and of shim/ only the telemetry format modules (the JSONL reader, the
 * duration parser, and the evidence readers and verdict built on the reader, shim/evidence/ —
 * remove-shim's gate judges with them), none of which loads the shim runtime; type-only imports
 * are erased and allowed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { moduleReferences, type ModuleReference } from '../../codemods/engine/import-forms.js';
import { parseSource } from '../../codemods/engine/parse.js';
import ts from '../../codemods/engine/ts-api.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FOLDERS = ['manifest', 'canonical', 'shim', 'codemods', 'scripts', 'bench', 'examples', 'test', 'bin'];

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (name === 'node_modules' || name === '__testfixtures__' || name === '__fixtures__') continue;
    if (statSync(abs).isDirectory()) out.push(...sources(abs));
    else if (/\.(ts|mts|cts|js|mjs)$/.test(name) && !/\.test\.ts$/.test(name) && !abs.includes(`${path.sep}test${path.sep}`)) out.push(abs);
  }
  return out;
}

interface Ref {
  spec: string;
  typeOnly: boolean;
}

/**
 * Module specifiers a text imports, re-exports or loads dynamically (type-only ones marked), read
 * from its syntax tree by codemods' one answer to "which import forms exist"
 * (engine/import-forms.ts): a comment or a string that reads like an import is not one.
 * `import type`, `export type … from`, `import type x = require()` and `import('m').T` are erased;
 * under verbatimModuleSyntax `import { type A }` is not (it leaves `import {} from`).
 */
function specifiersOf(file: string, text: string): Ref[] {
  return moduleReferences(parseSource(file, text).sf).map((r) => ({ spec: r.specifier, typeOnly: typeOnlyReference(r) }));
}

function typeOnlyReference(r: ModuleReference): boolean {
  const n = r.node;
  if (r.kind === 'import-type') return true;
  if (ts.isImportDeclaration(n)) return n.importClause?.isTypeOnly === true;
  if (ts.isExportDeclaration(n) || ts.isImportEqualsDeclaration(n)) return n.isTypeOnly;
  return false;
}

const parsed = new Map<string, Ref[]>();
function specifiers(file: string): Ref[] {
  let refs = parsed.get(file);
  if (!refs) parsed.set(file, (refs = specifiersOf(file, readFileSync(file, 'utf8'))));
  return refs;
}

/** The project file a specifier reaches (repo-relative), or undefined for a package. */
function target(file: string, spec: string): string | undefined {
  if (spec.startsWith('ssot-migrate/')) return spec.slice('ssot-migrate/'.length);
  if (!spec.startsWith('.')) return undefined;
  return path.relative(root, path.resolve(path.dirname(file), spec)).split(path.sep).join('/');
}

const folderOf = (rel: string) => rel.split('/')[0]!;

function offenders(from: string, allowed: (to: string, ref: Ref) => boolean): string[] {
  return sources(path.join(root, from)).flatMap((f) =>
    specifiers(f)
      .map((ref) => ({ ref, to: target(f, ref.spec) }))
      .filter(({ ref, to }) => to !== undefined && FOLDERS.includes(folderOf(to)) && folderOf(to) !== from && !allowed(to, ref))
      .map(({ ref }) => `${path.relative(root, f)} -> ${ref.spec}`),
  );
}

/** The shim modules codemods/ may load at run time: the telemetry format and its evidence/verdict family, the toggles file's name and format; no runtime. */
const SHIM_FORMAT_FILES = ['shim/duration.ts', 'shim/telemetry-report.ts', 'shim/toggles-file.ts', ...readdirSync(path.join(root, 'shim/evidence')).filter((n) => n.endsWith('.ts')).map((n) => `shim/evidence/${n}`)];
const SHIM_FORMAT = new Set(SHIM_FORMAT_FILES.flatMap((f) => [f, f.replace(/\.ts$/, '.js')]));

test('manifest/ imports nothing else of ours', () => {
  expect(offenders('manifest', () => false)).toEqual([]);
});

test('canonical/ imports nothing from shim/, codemods/ or scripts/', () => {
  expect(offenders('canonical', (to) => folderOf(to) === 'manifest')).toEqual([]);
});

test('shim/ imports neither codemods/ nor scripts/', () => {
  expect(offenders('shim', (to) => ['manifest', 'canonical'].includes(folderOf(to)))).toEqual([]);
});

test('codemods/ never import scripts/ or canonical/; of shim/ only the telemetry format modules', () => {
  expect(offenders('codemods', (to, ref) => folderOf(to) === 'manifest' || (folderOf(to) === 'shim' && (ref.typeOnly || SHIM_FORMAT.has(to))))).toEqual([]);
});

test("the shim's telemetry format modules load no shim runtime (what codemods/ may import stays light)", () => {
  expect(SHIM_FORMAT_FILES).toContain('shim/evidence/verdict.ts');
  const runtime = SHIM_FORMAT_FILES.flatMap((rel) =>
    specifiers(path.join(root, rel))
      .filter((r) => !r.typeOnly && r.spec.startsWith('.'))
      .map((r) => target(path.join(root, rel), r.spec)!)
      .filter((to) => !['shim/modes.js', 'shim/errors.js'].includes(to) && !SHIM_FORMAT.has(to))
      .map((to) => `${rel} -> ${to}`),
  );
  expect(runtime).toEqual([]);
});

/**
 * A run-time load of the `typescript` package: `import ts from 'typescript'`, `require('typescript')`,
 * `import('typescript')` (the import forms), or a require made on the spot,
 * `createRequire(import.meta.url)('typescript')` — calls, never a comment or string that names one.
 */
function loadsTypeScript(file: string, text: string): boolean {
  if (specifiersOf(file, text).some((r) => r.spec === 'typescript' && !r.typeOnly)) return true;
  if (!text.includes('typescript')) return false;
  const { sf } = parseSource(file, text);
  const visit = (n: ts.Node): boolean =>
    (ts.isCallExpression(n) && ts.isCallExpression(n.expression) && n.arguments.length === 1 && ts.isStringLiteralLike(n.arguments[0]!) && n.arguments[0].text === 'typescript') || (ts.forEachChild(n, visit) ?? false);
  return visit(sf);
}

test("codemods/, scripts/ and manifest/ load TypeScript only through manifest/ts-load.js (one copy, from its V8 code cache)", () => {
  // an ESM `import ts from 'typescript'` (or a plain require) evaluated before the loader loads a
  // second, uncached copy of typescript.js (or the first, which the loader then reuses without its
  // cache): remove-shim's constructions hint did, +50 MiB and +0.35 s per run at 5,000 files;
  // manifest/'s template parser did with a plain require() whenever a manifest with templates
  // loaded before any codemod
  const direct = ['codemods', 'scripts', 'manifest'].flatMap((dir) =>
    sources(path.join(root, dir))
      // the loader, its re-export, and the build script (a dev step in a process of its own, before dist/ exists)
      .filter((f) => !/(engine\/ts-api|manifest\/ts-load)\.(d\.ts|js)$|scripts\/build\.mjs$/.test(f.split(path.sep).join('/')))
      .filter((f) => loadsTypeScript(f, readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f)),
  );
  expect(direct).toEqual([]);
});

test('the import scanner reads syntax: a comment or a string that reads like an import is none', () => {
  const text = [
    "// export { x } from '../scripts/cli.js' — a comment saying so",
    "/* import('typescript') and require('typescript') in a block comment */",
    "const s = \"import { y } from '../scripts/a.js'\";",
    "const t = `export * from '../scripts/b.js'`;",
    "import type { T } from '../shim/types.js';",
    "import { type U } from '../shim/u.js';",
    "export type { V } from '../shim/v.js';",
    "export { w } from '../scripts/w.js';",
    "type X = import('../shim/x.js').X;",
    "const z = await import('../scripts/z.js');",
    "const r = require('../scripts/r.js');",
    '',
  ].join('\n');
  expect(specifiersOf('codemods/a.ts', text)).toEqual([
    { spec: '../shim/types.js', typeOnly: true },
    { spec: '../shim/u.js', typeOnly: false },
    { spec: '../shim/v.js', typeOnly: true },
    { spec: '../scripts/w.js', typeOnly: false },
    { spec: '../shim/x.js', typeOnly: true },
    { spec: '../scripts/z.js', typeOnly: false },
    { spec: '../scripts/r.js', typeOnly: false },
  ]);
  // and the real files' imports are read (the layering checks above are not vacuous)
  expect(specifiers(path.join(root, 'codemods/remove-shim/index.ts'))).toContainEqual({ spec: '../../shim/duration.js', typeOnly: false });
  expect(loadsTypeScript('codemods/a.ts', "// import('typescript') or require('typescript') would load a second copy\nconst s = \"require('typescript')\";\n")).toBe(false);
  expect(loadsTypeScript('codemods/a.ts', "import type ts from 'typescript';\ntype N = import('typescript').Node;\n")).toBe(false);
  for (const load of ["import ts from 'typescript';", "const ts = require('typescript');", "const ts = await import('typescript');", "const ts = createRequire(import.meta.url)('typescript');"])
    expect(loadsTypeScript('codemods/a.ts', `${load}\n`), load).toBe(true);
});
