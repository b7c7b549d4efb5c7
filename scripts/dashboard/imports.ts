/**
 * "No import of it left": per deprecation id, the files in the repo that still import one of
 * the id's modules (from ssot.config.json: legacy modules, adapter modules, factory modules).
 * A textual scan of import/export-from/require/import() specifiers, resolved relative to the
 * importing file (or taken as repo-relative); tsconfig path aliases are not followed.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { posix } from 'node:path';
import { promisify } from 'node:util';
import type { SsotManifest } from '../../manifest/types.js';

const run = promisify(execFile);

export interface ImportHit {
  file: string;
  line: number;
  specifier: string;
}

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const SPECIFIER = /\b(?:import|export)\s[^'";]*?\bfrom\s*(['"])([^'"]+)\1|\bimport\s*(['"])([^'"]+)\3|\b(?:require|import)\s*\(\s*(['"])([^'"]+)\5\s*\)/g;

/** Module paths per id, repo-relative without extension. */
export function modulesById(m: SsotManifest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, mod: string) => out.set(id, [...(out.get(id) ?? []), mod]);
  for (const l of m.legacy) add(l.id, l.module);
  for (const a of m.adapters) add(a.id, a.module);
  if (m.factory) for (const e of m.factory.entries) add(m.factory.id, e.module);
  return out;
}

function normalise(modulePath: string): string {
  return modulePath.replace(/\.(d\.ts|ts|tsx|mts|cts|js|jsx|mjs|cjs)$/, '').replace(/\/index$/, '');
}

function resolveSpecifier(fromFile: string, spec: string): string {
  const target = spec.startsWith('.') ? posix.join(posix.dirname(fromFile), spec) : posix.normalize(spec);
  return normalise(target);
}

async function sourceFiles(repo: string): Promise<string[]> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, maxBuffer: 256 * 1024 * 1024 });
  return stdout.split('\0').filter((f) => f && SOURCE.test(f) && !f.includes('node_modules/'));
}

export async function legacyImports(repo: string, manifest: SsotManifest): Promise<Map<string, ImportHit[]>> {
  const byId = modulesById(manifest);
  const wanted = new Map<string, string>();
  for (const [id, mods] of byId) for (const mod of mods) wanted.set(normalise(mod), id);
  const result = new Map<string, ImportHit[]>([...byId.keys()].map((id) => [id, []]));
  for (const file of await sourceFiles(repo)) {
    // A legacy module importing itself or its siblings is what remove-shim deletes, not a user.
    if (wanted.has(normalise(file))) continue;
    let text: string;
    try {
      text = await readFile(posix.join(repo, file), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[2] ?? m[4] ?? m[6];
      if (!spec) continue;
      const id = wanted.get(resolveSpecifier(file, spec));
      if (!id) continue;
      const line = text.slice(0, m.index).split('\n').length + (m[0].slice(0, m[0].indexOf(spec)).split('\n').length - 1);
      result.get(id)!.push({ file, line, specifier: spec });
    }
  }
  return result;
}
