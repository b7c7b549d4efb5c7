import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type ts from 'typescript';
import type { SsotManifest } from '../../manifest/types.js';
import { contextFrom, type PhaseContext } from '../../codemods/engine/context.js';
import { moduleIdOf } from '../../codemods/engine/module-id.js';
import { parseSource } from '../../codemods/engine/parse.js';
import { makeRuntime, type PhaseRuntime } from '../../codemods/engine/transform.js';
import { withDefaults } from './fixture-manifest.js';

/**
 * Snapshot-fixture support (jscodeshift's `__testfixtures__` convention): a folder of
 * `<case>.input.ts` / `<case>.output.ts` pairs plus one `manifest.json` describing the
 * virtual repo the cases live in (manifest, tsconfig paths, module sources, expectations).
 */
export interface FixtureSpec {
  manifest: Partial<SsotManifest>;
  tsconfig?: { pathsBase?: string; baseUrl?: string; paths?: Record<string, string[]> };
  /** Module id -> source, for modules the cases import (their exports give type/value kinds). */
  modules?: Record<string, string>;
  /** Case -> repo path of the case file (default src/app/<case>.ts). */
  files?: Record<string, string>;
  expect?: Record<string, { status?: string; problems?: string[] }>;
}

export interface FixtureCase {
  name: string;
  file: string;
  input: string;
  output: string | undefined;
  outputPath: string;
  expect: { status?: string; problems?: string[] };
}

export function loadFixtures(dir: string): { spec: FixtureSpec; cases: FixtureCase[]; ctx: PhaseContext; rt: PhaseRuntime } {
  const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as FixtureSpec;
  const cases: FixtureCase[] = readdirSync(dir)
    .filter((f) => f.endsWith('.input.ts'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.input.ts'.length);
      const outputPath = join(dir, `${name}.output.ts`);
      return {
        name,
        file: spec.files?.[name] ?? `src/app/${name}.ts`,
        input: readFileSync(join(dir, f), 'utf8'),
        output: existsSync(outputPath) ? readFileSync(outputPath, 'utf8') : undefined,
        outputPath,
        expect: spec.expect?.[name] ?? {},
      };
    });
  const modules = spec.modules ?? {};
  const known = new Set([...Object.keys(modules), ...cases.map((c) => moduleIdOf(c.file))]);
  const parsed = new Map<string, ts.SourceFile>();
  const load = (id: string): ts.SourceFile | undefined => {
    const src = modules[id];
    if (src === undefined) return undefined;
    if (!parsed.has(id)) parsed.set(id, parseSource(`${id}.ts`, src).sf);
    return parsed.get(id);
  };
  const tc = spec.tsconfig ?? {};
  const ctx = contextFrom(
    withDefaults(spec.manifest),
    { knownModules: [...known], pathsBase: tc.pathsBase ?? '.', paths: tc.paths ?? {}, ...(tc.baseUrl !== undefined ? { baseUrl: tc.baseUrl } : {}) },
    load,
  );
  return { spec, cases, ctx, rt: makeRuntime(ctx) };
}

/** The same text with CRLF line endings and a UTF-8 BOM (every case is also run this way). */
export function toCrlfBom(text: string): string {
  return '\uFEFF' + text.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n');
}
