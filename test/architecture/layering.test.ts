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

/** Module specifiers a file imports, re-exports or loads dynamically (type-only imports marked). */
function specifiers(file: string): Ref[] {
  const text = readFileSync(file, 'utf8');
  const out: Ref[] = [];
  for (const m of text.matchAll(/(?:^|[^\w.])(import|export)(\s+type\b)?[^'";]*?from\s*['"]([^'"]+)['"]/g)) out.push({ spec: m[3]!, typeOnly: m[2] !== undefined });
  for (const m of text.matchAll(/(?:import\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) out.push({ spec: m[1]!, typeOnly: false });
  // `import('x').T` in a type position is type-only
  for (const m of text.matchAll(/import\s*\(\s*['"]([^'"]+)['"]\s*\)\s*\.\s*[A-Z]/g)) {
    const i = out.findIndex((r) => r.spec === m[1] && !r.typeOnly);
    if (i >= 0) out[i] = { spec: m[1]!, typeOnly: true };
  }
  return out;
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

/** A run-time load of the `typescript` package: `require('typescript')`, `createRequire(…)('typescript')`, `import('typescript')`. */
const TS_CALL = /(?:\brequire|\)|\bimport)\s*\(\s*['"]typescript['"]\s*\)/;

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
      .filter((f) => specifiers(f).some((r) => r.spec === 'typescript' && !r.typeOnly) || TS_CALL.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f)),
  );
  expect(direct).toEqual([]);
});
