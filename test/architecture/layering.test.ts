import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

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

/** Module specifiers a file imports, re-exports or loads dynamically. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const re = /(?:from\s*|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;
  return [...text.matchAll(re)].map((m) => m[1]!);
}

function reaches(file: string, spec: string, folder: string): boolean {
  if (spec === `ssot-migrate/${folder}` || spec.startsWith(`ssot-migrate/${folder}/`)) return true;
  if (!spec.startsWith('.')) return false;
  const target = path.resolve(path.dirname(file), spec);
  return target === path.join(root, folder) || target.startsWith(path.join(root, folder) + path.sep);
}

test('canonical/ imports nothing from shim/ or codemods/', () => {
  const offenders = sources(path.join(root, 'canonical')).flatMap((f) =>
    specifiers(f).filter((s) => reaches(f, s, 'shim') || reaches(f, s, 'codemods')).map((s) => `${path.relative(root, f)} -> ${s}`),
  );
  expect(offenders).toEqual([]);
});

test('codemods/ import neither canonical/ nor shim/ at run time', () => {
  const offenders = sources(path.join(root, 'codemods')).flatMap((f) =>
    specifiers(f).filter((s) => reaches(f, s, 'shim') || reaches(f, s, 'canonical')).map((s) => `${path.relative(root, f)} -> ${s}`),
  );
  expect(offenders).toEqual([]);
});
