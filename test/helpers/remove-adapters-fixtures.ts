import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../codemods/engine/parse.js';
import type { SsotManifest } from '../../manifest/types.js';
import { analyzeRemoveAdapters } from '../../codemods/remove-adapters/index.js';
import { withDefaults } from './fixture-manifest.js';
import { toCrlfBom } from './codemod-fixtures.js';
import { TODO_MARKER } from '../../codemods/legacy-use/markers.js';

export const FIXTURE_ROOT = '/repo';

/** `// TODO(ssot):` or, naming what it is about, `// TODO(ssot)[Class.member]:` (legacy-use/markers.ts). */
const MARKER_LINE = new RegExp(`// ${TODO_MARKER.replace(/[()]/g, '\\$&')}(?:\\[[^\\]\\s]+\\])?:`);

/**
 * A folder of remove-adapters fixtures (`<case>.input.ts` / `.output.ts` plus a manifest.json
 * holding the manifest, stub modules and expected review counts), each case a file of one
 * in-memory project, run once on the inputs and once more on the outputs (idempotence).
 */
export function removeAdaptersFixtures(dir: string, ext: 'ts' | 'js' = 'ts') {
  const spec = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    manifest: Partial<SsotManifest>;
    modules: Record<string, string>;
    /**
     * Review items per case; `secondReview`: those a second run still reports, when a marker's
     * subject was rewritten by the first (a stored lookup's direct send: the marker stays in the
     * code, status counts it, but the lookup it names is the plain template now).
     */
    expect?: Record<string, { review?: number; secondReview?: number }>;
    /** Compiler options the cases need besides the defaults (decorators, their metadata). */
    compilerOptions?: Record<string, unknown>;
  };
  const manifest = withDefaults(spec.manifest);
  // JavaScript cases (`.input.js`) are checked as checkJs checks them
  const cases = readdirSync(dir).filter((f) => f.endsWith(`.input.${ext}`)).map((f) => f.slice(0, -`.input.${ext}`.length)).sort();
  const fileOf = (c: string): string => `src/app/${c}.${ext}`;

  /** The stub modules and case files in one project: the type checker sees them all. */
  function projectOf(files: ReadonlyMap<string, string>): Project {
    const project = new Project({
      useInMemoryFileSystem: true,
      compilerOptions: { strict: true, ...(ext === 'js' ? { allowJs: true, checkJs: true, noImplicitAny: false } : {}), module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true, lib: ['lib.es2022.d.ts'], ...spec.compilerOptions },
    });
    for (const [f, text] of files) {
      if (f.endsWith('.json')) project.getFileSystem().writeFileSync(`${FIXTURE_ROOT}/${f}`, text);
      else project.createSourceFile(`${FIXTURE_ROOT}/${f}`, text.replace(/^\uFEFF/, ''));
    }
    return project;
  }

  function run(caseFiles: ReadonlyMap<string, string>, m: SsotManifest = manifest) {
    const files = new Map<string, string>([...Object.entries(spec.modules), ...caseFiles]);
    return analyzeRemoveAdapters(FIXTURE_ROOT, m, [...caseFiles.keys()], (f) => files.get(f), () => projectOf(files));
  }

  const inputs = new Map(cases.map((c) => [fileOf(c), readFileSync(join(dir, `${c}.input.${ext}`), 'utf8')]));
  const first = run(inputs);
  const outputOf = (c: string): string => first.changes.find((x) => x.file === fileOf(c))?.after ?? inputs.get(fileOf(c))!;
  const outputs = new Map(cases.map((c) => [fileOf(c), outputOf(c)]));
  const second = run(outputs);
  const review = (c: string) => first.needsReview.filter((r) => r.file === fileOf(c));
  const expectedReviews = (c: string): number => spec.expect?.[c]?.review ?? 0;

  /** The case's output equals its `.output.ts` (written first with UPDATE_FIXTURES=1), parses, and has the expected review count; returns it. */
  function expectOutput(c: string): string {
    const actual = outputOf(c);
    const outPath = join(dir, `${c}.output.${ext}`);
    if (process.env['UPDATE_FIXTURES'] === '1') writeFileSync(outPath, actual);
    expect(existsSync(outPath), `missing ${c}.output.${ext}`).toBe(true);
    expect(actual).toBe(readFileSync(outPath, 'utf8'));
    expect(parseSource(fileOf(c), actual).error).toBeUndefined();
    expect(review(c).length).toBe(expectedReviews(c));
    return actual;
  }

  /** A second run on the outputs changes nothing and still reports what the first could not do. */
  function expectIdempotent(c: string): void {
    expect(second.changes.find((x) => x.file === fileOf(c))).toBeUndefined();
    expect(second.needsReview.filter((r) => r.file === fileOf(c)).length).toBe(spec.expect?.[c]?.secondReview ?? expectedReviews(c));
  }

  /** expectOutput, and every review item marked by a `TODO(ssot)` comment on the line before it. */
  function expectMarkedOutput(c: string): string {
    const actual = expectOutput(c);
    // a file the phase leaves byte-identical (refused whole) carries no marker: its review item says why
    if (actual === inputs.get(fileOf(c))) return actual;
    for (const r of review(c)) expect(actual.split('\n')[r.line - 2]).toMatch(MARKER_LINE);
    return actual;
  }

  /** The case's input as CRLF with a BOM gives its output as CRLF with a BOM (or stays as it was). */
  function expectCrlfBom(c: string): void {
    const r = run(new Map([...inputs].map(([f, t]) => [f, f === fileOf(c) ? toCrlfBom(t) : t])));
    expect(r.changes.find((x) => x.file === fileOf(c))?.after ?? toCrlfBom(inputs.get(fileOf(c))!)).toBe(toCrlfBom(outputOf(c)));
  }

  /** The three checks every case gets: its output (marked), a second run changing nothing, CRLF + BOM. */
  function describeCases(): void {
    for (const c of cases) {
      describe(c, () => {
        it('produces the expected output and review items, marked in the code', () => void expectMarkedOutput(c));
        it('changes nothing on a second run', () => expectIdempotent(c));
        it('keeps CRLF line endings and a BOM', () => expectCrlfBom(c));
      });
    }
  }

  return { spec, manifest, cases, fileOf, projectOf, run, inputs, first, outputOf, outputs, second, review, expectOutput, expectMarkedOutput, expectIdempotent, expectCrlfBom, describeCases };
}
