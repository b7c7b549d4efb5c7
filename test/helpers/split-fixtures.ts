import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../codemods/engine/parse.js';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import { legacyCalls, planWithSplits } from '../../codemods/remove-adapters/split.js';
import type { SsotManifest } from '../../manifest/types.js';
import { toCrlfBom } from './codemod-fixtures.js';
import { withDefaults } from './fixture-manifest.js';

const ROOT = '/repo';

/**
 * A folder of remove-adapters fixtures for a split class (`<case>.input.ts` is the app module
 * `src/app/<case>`, the split's `to` with CASE replaced; `.output.ts` what the phase writes; a
 * manifest.json with the manifest, stub modules and expected review counts), each case planned as
 * the phase plans it: remove-adapters' analysis, then the split's deletion.
 */
export function splitFixtures(dir: string, compilerOptions: Record<string, unknown> = {}) {
  const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { manifest: Partial<SsotManifest>; modules: Record<string, string>; expect?: Record<string, { review?: number }> };
  const cases = readdirSync(dir).filter((f) => f.endsWith('.input.ts')).map((f) => f.slice(0, -'.input.ts'.length)).sort();
  const fileOf = (c: string): string => `src/app/${c}.ts`;
  const input = (c: string): string => readFileSync(join(dir, `${c}.input.ts`), 'utf8');

  function manifestFor(c: string): SsotManifest {
    const m = withDefaults(spec.manifest);
    return { ...m, splits: m.splits.map((s) => ({ ...s, to: s.to.replace('CASE', c) })) };
  }

  /** `legacyCode`: frozen legacy files that may still call split members (they stay until remove-shim). */
  function run(c: string, text: string, legacyCode: ReadonlyMap<string, string> = new Map()) {
    const files = new Map<string, string>([...Object.entries(spec.modules), [fileOf(c), text]]);
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: { strict: true, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true, lib: ['lib.es2022.d.ts'], ...compilerOptions },
    });
    for (const [f, t] of files) {
      if (f.endsWith('.json')) project.getFileSystem().writeFileSync(`${ROOT}/${f}`, t);
      else project.createSourceFile(`${ROOT}/${f}`, t.replace(/^\uFEFF/, ''));
    }
    const m = manifestFor(c);
    const { result: r, split } = planWithSplits(m, (widened) => analyzeRemoveAdapters(ROOT, widened, [fileOf(c)], (f) => files.get(f), () => project), {
      files: [fileOf(c)],
      read: (f) => files.get(f),
      legacyCalls: legacyCalls(m.splits, [...legacyCode.keys()], (f) => legacyCode.get(f)),
    });
    const after = split!.changes.find((x) => x.file === fileOf(c))?.after ?? r.changes.find((x) => x.file === fileOf(c))?.after ?? text;
    return { after, review: [...r.needsReview, ...split!.needsReview].filter((x) => x.file === fileOf(c)), dropped: split!.dropped, project };
  }

  /** Every case: its expected output and review count, a second run changing nothing, CRLF + BOM; `typecheck`: its output checks too. */
  function describeCases(opts: { typecheck?: boolean } = {}): void {
    for (const c of cases) {
      describe(c, () => {
        const first = run(c, input(c));
        it('produces the expected output and review items', () => {
          const outPath = join(dir, `${c}.output.ts`);
          if (process.env['UPDATE_FIXTURES'] === '1') writeFileSync(outPath, first.after);
          expect(existsSync(outPath), `missing ${c}.output.ts`).toBe(true);
          expect(first.after).toBe(readFileSync(outPath, 'utf8'));
          expect(parseSource(fileOf(c), first.after).error).toBeUndefined();
          expect(first.review.map((r) => r.message), JSON.stringify(first.review)).toHaveLength(spec.expect?.[c]?.review ?? 0);
        });
        it('changes nothing on a second run', () => {
          const second = run(c, first.after);
          expect(second.after).toBe(first.after);
          expect(second.dropped).toEqual([]);
        });
        it('keeps CRLF line endings and a BOM', () => {
          expect(run(c, toCrlfBom(input(c))).after).toBe(toCrlfBom(first.after));
        });
        if (opts.typecheck)
          it('its output typechecks', () => {
            const { project } = run(c, first.after);
            expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
          });
      });
    }
  }

  return { spec, cases, fileOf, input, manifestFor, run, describeCases };
}
