/**
 * Templates per member of a field (`classes[].members["peers.set"]`, a chain `"peers.get.send"`):
 * a legacy class's field that is a Map of sockets, used through its own members, is rewritten use
 * by use into the one hub call its template names. A use no per-member template covers takes the
 * field's template as a whole when there is one; otherwise it is marked and no use of that field is
 * rewritten (one state, not two stores). Non-split cases in __testfixtures__/field-members (outputs
 * typechecked); a split class in __testfixtures__/field-members-split.
 */
import { readdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Project, ts } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import type { SsotManifest } from '../../manifest/types.js';
import { withDefaults } from '../../test/helpers/fixture-manifest.js';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';
import { parseSource } from '../engine/parse.js';
import { analyzeRemoveAdapters } from './index.js';
import { planWithSplits } from './split.js';

describe('remove-adapters: templates per member of a field', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/field-members', import.meta.url)));

  it('has the cases', () => {
    expect(fx.cases).toEqual(['fm-covered', 'fm-fallback', 'fm-uncovered', 'fm-uncovered-elsewhere']);
  });

  fx.describeCases();

  it('covered: one hub call per use, the chain`s arguments in order, the legacy import gone', () => {
    const out = fx.outputOf('fm-covered');
    expect(out).toContain('hubOperations().sendToUser(id, JSON.parse(JSON.stringify(frame)));');
    expect(out).toContain('return hubOperations().listConnectedUsers().length;');
    expect(out).not.toContain('registry.');
  });

  it('uncovered: the iteration is marked, the covered uses stay as written, listed with the use that holds them', () => {
    const out = fx.outputOf('fm-uncovered');
    expect(out).toContain('registry.guests.set(id, socket);');
    expect(out).toContain("registry.guests.get(id)!.send(JSON.stringify({ type: 'hello' }));");
    expect(out).not.toContain('hubOperations');
    const messages = fx.review('fm-uncovered').map((r) => r.message);
    expect(messages[0]).toMatch(/^Registry\.guests used as a value \(not through a member of it\) has no template in classes\[\]\.members \(guests has "guests\.set", "guests\.get\.send"\)/);
    expect(messages[1]).toMatch(/^Registry\.guests: no use of it is rewritten through its templates per member/);
  });

  it('uncovered elsewhere: a field held by a use in another file keeps its covered uses here as written', () => {
    expect(fx.outputOf('fm-uncovered-elsewhere')).toBe(fx.inputs.get(fx.fileOf('fm-uncovered-elsewhere')));
    // without the uncovered file, the same use is rewritten
    const alone = fx.run(new Map([[fx.fileOf('fm-uncovered-elsewhere'), fx.inputs.get(fx.fileOf('fm-uncovered-elsewhere'))!]]));
    expect(alone.changes[0]?.after).toContain('hubOperations().connect(id, socket, { connectionId: id });');
  });

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});

describe('remove-adapters: templates per member of a split class`s field', () => {
  const DIR = fileURLToPath(new URL('./__testfixtures__/field-members-split', import.meta.url));
  const ROOT = '/repo';
  const spec = JSON.parse(readFileSync(join(DIR, 'manifest.json'), 'utf8')) as { manifest: Partial<SsotManifest>; modules: Record<string, string>; expect?: Record<string, { review?: number }> };
  const cases = readdirSync(DIR).filter((f) => f.endsWith('.input.ts')).map((f) => f.slice(0, -'.input.ts'.length)).sort();
  const fileOf = (c: string) => `src/app/${c}.ts`;

  function run(c: string, text: string) {
    const base = withDefaults(spec.manifest);
    const m: SsotManifest = { ...base, splits: base.splits.map((s) => ({ ...s, to: s.to.replace('CASE', c) })) };
    const files = new Map<string, string>([...Object.entries(spec.modules), [fileOf(c), text]]);
    const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true, module: ts.ModuleKind.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, noEmit: true, lib: ['lib.es2022.d.ts'] } });
    for (const [f, t] of files) {
      if (f.endsWith('.json')) project.getFileSystem().writeFileSync(`${ROOT}/${f}`, t);
      else project.createSourceFile(`${ROOT}/${f}`, t.replace(/^\uFEFF/, ''));
    }
    const { result: r, split } = planWithSplits(m, (widened) => analyzeRemoveAdapters(ROOT, widened, [fileOf(c)], (f) => files.get(f), () => project), { files: [fileOf(c)], read: (f) => files.get(f) });
    const after = split!.changes.find((x) => x.file === fileOf(c))?.after ?? r.changes.find((x) => x.file === fileOf(c))?.after ?? text;
    return { after, review: [...r.needsReview, ...split!.needsReview].filter((x) => x.file === fileOf(c)), dropped: split!.dropped, project, files };
  }

  it('has the cases', () => expect(cases).toEqual(['covered', 'uncovered']));

  for (const c of cases) {
    describe(c, () => {
      const input = readFileSync(join(DIR, `${c}.input.ts`), 'utf8');
      const first = run(c, input);
      it('produces the expected output and review items', () => {
        const outPath = join(DIR, `${c}.output.ts`);
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
        expect(run(c, toCrlfBom(input)).after).toBe(toCrlfBom(first.after));
      });
      it('its output typechecks', () => {
        const { project } = run(c, first.after);
        expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
      });
    });
  }

  it('covered: the field and the member that go are deleted, the kept members call the hub', () => {
    const r = run('covered', readFileSync(join(DIR, 'covered.input.ts'), 'utf8'));
    expect(r.dropped.sort()).toEqual(['Gateway.push', 'Gateway.sockets']);
  });

  it('uncovered: a kept member iterates the field: it stays whole, its uses in the kept members as written (one state, not two)', () => {
    const r = run('uncovered', readFileSync(join(DIR, 'uncovered.input.ts'), 'utf8'));
    expect(r.dropped).toEqual(['Gateway.push']);
    expect(r.after).toContain('this.sockets.set(id, socket);');
    expect(r.review.map((x) => x.message).join('\n')).toMatch(/splits: Gateway\.sockets is not kept and still used/);
  });
});
