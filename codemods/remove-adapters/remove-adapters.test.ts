import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { FIXTURE_ROOT, removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';
import { fillTemplate } from '../../manifest/templates.js';
import { floatingPromises } from '../engine/floating.js';

const dir = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const { spec, manifest, cases, fileOf, projectOf, run, inputs, outputOf, outputs, review, expectOutput, expectIdempotent } = removeAdaptersFixtures(dir);
const ROOT = FIXTURE_ROOT;

describe('remove-adapters fixtures', () => {
  it('has the cases the issue lists', () => {
    for (const c of ['adapter-field', 'adapter-param', 'adapter-returned', 'wrapped-twice', 'closure', 'ctx-param', 'ctx-local', 'ctx-this', 'no-ctx', 'named-like-adapter', 'adapter-static-factory', 'adapter-namespace', 'adapter-optional']) expect(cases).toContain(c);
    // member templates (classes[].members): the nasty cases of #16
    for (const c of ['member-call', 'member-optional', 'member-value', 'member-destructured', 'member-sync-callback', 'member-property', 'member-chained', 'member-no-template', 'member-interface', 'member-no-ctx', 'member-own-interface', 'member-own-interface-no-template']) expect(cases).toContain(c);
    // an argument with side effects a member or adapter-method template drops still runs, before the template
    for (const c of ['member-dropped-arg', 'adapter-dropped-arg', 'adapter-repeated-arg']) expect(cases).toContain(c);
    // parts a template repeats, drops or reorders are evaluated once, in call order, ahead of it (arguments.ts): await/yield in an
    // argument, `this`, nested calls, string templates, `?.`, values an argument may change; an optional impure receiver is marked
    for (const c of ['member-bound-args', 'adapter-optional-impure', 'member-receiver-twice']) expect(cases).toContain(c);
    // `m.opt?.(x)` tests the member, `m?.opt(x)` the receiver
    expect(cases).toContain('member-optional-call');
    // an async legacy member whose promise the code dropped: its rewrite is not awaited now
    expect(cases).toContain('member-async-dropped');
    // untyped loads (require() is `any`): member chains and factory calls through the legacy module's declarations
    for (const c of ['member-untyped-require', 'member-untyped-no-template', 'factory-untyped-require', 'factory-canonical-require', 'member-static-side', 'member-import-equals']) expect(cases).toContain(c);
    // a new import goes below a shebang, 'use strict', directives and the header comments (engine/import-place.ts)
    for (const c of ['header-shebang', 'header-license', 'header-directive-require', 'header-attached-doc']) expect(cases).toContain(c);
    // what is written into the file (the import, the templates' own literals) in its quote and semicolon habit
    for (const c of ['style-asi-double', 'style-mixed']) expect(cases).toContain(c);
    // a binding the new code still names stays imported, `$`-names too (i18n's `$t`)
    expect(cases).toContain('dollar-names');
    // a subclass of a legacy class reaching its members through `super` (`super` alone does not parse)
    expect(cases).toContain('member-super');
  });

  for (const c of cases) {
    describe(c, () => {
      it('produces the expected output and review items', () => {
        const actual = expectOutput(c);
        // every review item is marked in the code, on the line above the call
        for (const r of review(c)) expect(actual.split('\n')[r.line - 2]).toMatch(/\/\/ TODO\(ssot\)(?:\[[^\]\s]+\])?:/);
      });

      it('changes nothing on a second run (and keeps reporting what it could not do)', () => expectIdempotent(c));
    });
  }

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const files = new Map<string, string>([...Object.entries(spec.modules), ...outputs]);
    const project = projectOf(files);
    const diags = project.getPreEmitDiagnostics();
    expect(project.formatDiagnosticsWithColorAndContext(diags)).toBe('');
  });

  for (const c of ['adapter-field', 'adapter-optional', 'factory-module-load', 'member-call', 'member-sync-callback', 'member-no-template', 'adapter-static-factory', 'adapter-namespace', 'member-untyped-require', 'member-untyped-no-template', 'factory-untyped-require', 'factory-canonical-require', 'member-import-equals', 'member-own-interface', 'member-own-interface-no-template', 'header-license', 'header-directive-require', 'header-attached-doc', 'style-asi-double', 'style-mixed', 'member-dropped-arg', 'adapter-dropped-arg', 'member-optional-call', 'adapter-repeated-arg', 'member-async-dropped', 'member-bound-args', 'adapter-optional-impure', 'member-receiver-twice', 'dollar-names', 'member-chained', 'member-super']) {
    it(`keeps CRLF line endings and a BOM (${c})`, () => {
      const r = run(new Map([[fileOf(c), toCrlfBom(inputs.get(fileOf(c))!)]]));
      expect(r.changes[0]?.after).toBe(toCrlfBom(outputOf(c)));
    });
  }

  it('keeps CRLF line endings in a shebang file, and leaves one with a BOM before `#!` (which does not parse) byte-identical', () => {
    const c = 'header-shebang';
    const crlf = (t: string) => t.replace(/\r?\n/g, '\r\n');
    expect(run(new Map([[fileOf(c), crlf(inputs.get(fileOf(c))!)]])).changes[0]?.after).toBe(crlf(outputOf(c)));
    const bom = toCrlfBom(inputs.get(fileOf(c))!);
    const r = run(new Map([[fileOf(c), bom]]));
    expect(r.changes.find((x) => x.file === fileOf(c) && x.after !== bom)).toBeUndefined();
  });

  it('a member reached through `super`: its template`s `$m` is `this`, a template without it drops `super` (neither writes `super` alone)', () => {
    const out = outputOf('member-super');
    expect(out).toContain('return hubOperations().sendToUser(userId, { ...event, loud: true });');
    expect(out).toContain('return `hub ${typeof this}`;');
    // (the code, not its comments)
    expect(out.split('\n').filter((l) => !l.trim().startsWith('//')).join('\n')).not.toMatch(/\bsuper(?![.\[(])/);
  });

  it('leaves no floating promise in any output (the compiler, engine/floating.ts)', () => {
    const files = new Map<string, string>([...Object.entries(spec.modules), ...outputs]);
    const project = projectOf(files);
    const checker = project.getTypeChecker().compilerObject;
    const floating = cases.flatMap((c) => {
      const sf = project.getSourceFileOrThrow(`${ROOT}/${fileOf(c)}`).compilerNode;
      return floatingPromises(sf, checker).map((e) => `${c}: ${e.getText(sf)}`);
    });
    expect(floating).toEqual([]);
    // and the check itself sees one: the input of the callback case drops a promise once rewritten naively
    const naive = projectOf(new Map([...files, [fileOf('naive'), "import { createWebSocketManager, type UserExecutionContext } from 'ssot-migrate/canonical';\nexport function f(ctx: UserExecutionContext): void {\n  createWebSocketManager(ctx).sendToUser(ctx.userId, { type: 'x' });\n  [1].forEach(() => createWebSocketManager(ctx).emit('x', {}));\n}\n"]]));
    expect(floatingPromises(naive.getSourceFileOrThrow(`${ROOT}/${fileOf('naive')}`).compilerNode, naive.getTypeChecker().compilerObject)).toHaveLength(2);
  });

  it('renders factory.replacement as a template: the file\'s quote, and the aliased factory renamed only where it is a binding', () => {
    // the file declares the canonical factory's name, so the import is aliased; the replacement's
    // string and property key that spell the name stay as they are, its shorthand keeps the key
    const m = { ...manifest, factory: { ...manifest.factory!, replacement: "createWebSocketManager($ctx, { label: 'createWebSocketManager', createWebSocketManager })" } };
    const input = 'import type { UserExecutionContext } from "../services/user_execution_context.js"\nimport { Factory } from "../legacy/manager.js"\n\nconst createWebSocketManager = "mine"\nexport function f(ctx: UserExecutionContext) {\n  return Factory.getInstance(ctx)\n}\n';
    const after = run(new Map([['src/app/replacement.ts', input]]), m).changes.find((c) => c.file === 'src/app/replacement.ts')?.after;
    expect(after).toContain('import { createWebSocketManager as canonicalCreateWebSocketManager } from "ssot-migrate/canonical"');
    expect(after).toContain('return canonicalCreateWebSocketManager(ctx, { label: "createWebSocketManager", createWebSocketManager: canonicalCreateWebSocketManager })');
  });

  it('reports a file that does not parse and leaves it alone', () => {
    const r = run(new Map([['src/app/broken.ts', "import { getWebSocketManager } from '../legacy/manager.js';\nexport const = getWebSocketManager(;\n"]]));
    expect(r.changes).toEqual([]);
    expect(r.problems.map((p) => p.file)).toEqual(['src/app/broken.ts']);
  });

  it('fills templates: $m, arguments, a missing argument takes the ?? default, a literal keeps its value', () => {
    const t = "$m.emit('agent_completed', { status: $2 ?? 'completed', finalResponse: $1 })";
    expect(fillTemplate(t, 'm', ['r'])).toBe("m.emit('agent_completed', { status: 'completed', finalResponse: r })");
    expect(fillTemplate(t, 'm', ['r', "'failed'"])).toBe("m.emit('agent_completed', { status: 'failed', finalResponse: r })");
    expect(fillTemplate(t, 'this.m', ['r', 's'])).toBe("this.m.emit('agent_completed', { status: s ?? 'completed', finalResponse: r })");
  });
});
