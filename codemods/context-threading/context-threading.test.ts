import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';
import { TODO_MARKER } from '../legacy-use/markers.js';

/**
 * Context threading through remove-adapters' no-context factory calls: each case is a file of
 * one in-memory project (cases call each other across files), run twice, and as CRLF + BOM.
 */
const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const { spec, manifest, cases, fileOf, projectOf, run, inputs, first, outputOf, outputs, second, review, expectOutput, expectIdempotent } = removeAdaptersFixtures(dir);
describe('context-threading fixtures', () => {
  it('has the cases the issue lists', () => {
    for (const c of ['direct-caller', 'two-level', 'userid-param', 'default-param', 'recursion', 'class-method', 'arrow-const', 'external-callback', 'external-method', 'public-api', 'context-source', 'already-threaded', 'cross-file', 'barrel-source', 'job-source', 'member-template', 'dead-manager-const', 'dead-manager-values', 'legacy-contract', 'optional-this-context', 'job-source-subtype', 'unused-parameter', 'untyped-require', 'header-type-import']) expect(cases).toContain(c);
  });

  for (const c of cases) {
    describe(c, () => {
      it('produces the expected output and review items', () => {
        const actual = expectOutput(c);
        // each boundary is marked in the code with its chain
        for (const r of review(c)) expect(actual.split('\n').some((l) => l.includes(`// ${TODO_MARKER}`) && l.endsWith(`: ${r.message}`))).toBe(true);
      });

      it('changes nothing on a second run (and keeps reporting its boundaries)', () => expectIdempotent(c));
    });
  }

  it('every output typechecks', () => {
    const project = projectOf(new Map([...Object.entries(spec.modules), ...outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });

  it('keeps CRLF line endings and a BOM in every file it changes', () => {
    const r = run(new Map([...inputs].map(([f, t]) => [f, toCrlfBom(t)])));
    for (const c of cases) expect(r.changes.find((x) => x.file === fileOf(c))?.after ?? toCrlfBom(inputs.get(fileOf(c))!), `${c}: ${JSON.stringify(r.needsReview)}`).toBe(toCrlfBom(outputOf(c)));
  });

  it('counts the threaded call chains (sites that reached a context)', () => {
    // every no-context factory call and $ctx / $user member call outside the boundary cases
    expect(first.threaded).toBe(23);
    expect(second.threaded ?? 0).toBe(0);
  });

  it('names the chain from the site through its callers to the boundary', () => {
    const [helper] = review('public-api').filter((r) => r.message.includes('helper ('));
    expect(helper?.message).toMatch(/getWebSocketManager\(\) at src\/app\/public-api\.ts:\d+ → helper \(src\/app\/public-api\.ts:\d+\) → publicEntry \(src\/app\/public-api\.ts:\d+\) → boundary: publicEntry is public API \(manifest publicApi: src\/app\/public-api publicEntry\)/);
    expect(review('external-callback').map((r) => r.message).join('\n')).toMatch(/callback passed to on \(outside the repo\)/);
    expect(review('external-method')[0]?.message).toMatch(/TickHandler\.handle: its signature is fixed by Handler \(outside the repo\)/);
    expect(review('top-level')[0]?.message).toMatch(/module top level/);
    expect(review('barrel-source')[0]?.message).toMatch(/reexported is public API as notice of src\/app\/public-barrel \(manifest publicApi\)/);
  });

  it('keeps a marker-only fallback per file for when the type guard withdraws the threading', () => {
    const m = first.markers?.get(fileOf('two-level'));
    const input = inputs.get(fileOf('two-level'))!;
    expect(m?.threaded).toBe(1);
    // the input with one marker line above the call, and nothing else
    const lines = m!.after.split('\n');
    const at = lines.findIndex((l) => l.includes(TODO_MARKER));
    expect(lines[at + 1]).toContain('getWebSocketManager().emit');
    expect(lines[at]).toContain('inner (src/app/two-level.ts:4) → middle (src/app/two-level.ts:8) → context: ctx in scope at two-level.ts:13; ctx in scope at two-level.ts:14');
    expect([...lines.slice(0, at), ...lines.slice(at + 1)].join('\n')).toBe(input);
    expect(m!.items[0]!.line).toBe(at + 2);
  });

  it('without the manifest decisions, the entry points are where threading stops short', () => {
    const r = run(inputs, { ...manifest, contextSources: [], publicApi: [] });
    const out = r.changes.find((x) => x.file === fileOf('context-source'))?.after ?? '';
    // no rule: the route itself takes a context, and nothing in the repo calls it
    expect(out).toContain('export const route = (req: Request, ctx: UserExecutionContext)');
    expect(r.changes.find((x) => x.file === fileOf('public-api'))?.after).toContain('export function publicEntry(text: string, ctx: UserExecutionContext)');
  });
});
