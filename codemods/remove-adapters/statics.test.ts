/**
 * remove-adapters on a class used through its statics (manifest classes[].statics): each static
 * call and read, through every way of reaching the class (default, named and namespace imports,
 * `C?.x`, an alias, a `typeof C` parameter, the app's own subclass and `this.x` in its statics),
 * becomes its template; what cannot be rewritten (the class read as a value or named as a type, a
 * function static read as a value, a write, a static with no template, a receiver with side
 * effects) is marked TODO(ssot) and keeps the import. A same-named instance member follows
 * classes[].members; an unrelated class's static of the same name is left alone.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters static fixtures (classes[].statics)', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/statics', import.meta.url)));

  it('has the nasty cases', () => {
    for (const c of ['st-default-import', 'st-named-namespace', 'st-optional', 'st-alias', 'st-typeof-param', 'st-subclass', 'st-not-rewritable', 'st-same-name', 'st-side-effects']) expect(fx.cases).toContain(c);
  });

  fx.describeCases();

  it('a fully rewritten file loses its legacy import; marked files keep it', () => {
    for (const c of ['st-default-import', 'st-named-namespace', 'st-optional']) expect(fx.outputOf(c), c).not.toMatch(/from '\.\.\/legacy\//);
    for (const c of ['st-alias', 'st-typeof-param', 'st-subclass', 'st-not-rewritable', 'st-side-effects']) expect(fx.outputOf(c), c).toMatch(/from '\.\.\/legacy\//);
    // the instance type `c: WebSocketClients` is rewrite-imports' (legacy[].symbols), not a static's
    expect(fx.outputOf('st-same-name')).toContain("Unrelated.emitDataToUser(userId, 'unrelated', 2);");
    expect(fx.outputOf('st-same-name')).toContain('return hubOperations().connectionCount(userId);');
  });

  it('the legacy module itself is not edited (its statics calling each other are the frozen code)', () => {
    const r = fx.run(new Map([['src/legacy/clients.ts', fx.spec.modules['src/legacy/clients.ts']!]]));
    expect(r.changes).toEqual([]);
  });

  it('a class whose entry has no statics table keeps its statics untouched', () => {
    const manifest = { ...fx.manifest, classes: fx.manifest.classes.map(({ statics: _s, ...c }) => c) };
    const r = fx.run(new Map([['src/app/st-default-import.ts', fx.inputs.get('src/app/st-default-import.ts')!]]), manifest);
    expect(r.changes).toEqual([]);
    expect(r.needsReview).toEqual([]);
  });

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});
