/**
 * remove-adapters on calls of legacy free functions (manifest functions[]): each call, through
 * every import form (named, aliased, namespace member, default-exported object, require()
 * destructure, a re-export under another name), becomes its template with the canonical names
 * it needs imported, and the legacy import goes when nothing else uses it. A function read as a
 * value, one with no template, or one whose template needs a context that is not in scope is
 * marked for a person and keeps its import (never silently broken). Calls inside the legacy
 * module stay.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters free-function fixtures (functions[])', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/free-functions', import.meta.url)));

  it('has the nasty cases', () => {
    for (const c of ['fn-named', 'fn-aliased', 'fn-namespace', 'fn-default-object', 'fn-require', 'fn-reexported', 'fn-value', 'fn-unmapped', 'fn-context', 'fn-no-context', 'fn-side-effects', 'fn-shadowed', 'fn-bound-args']) expect(fx.cases).toContain(c);
  });

  fx.describeCases();

  it('every import form of a fully rewritten file loses its legacy import; marked files keep it', () => {
    for (const c of ['fn-named', 'fn-aliased', 'fn-default-object', 'fn-require', 'fn-reexported', 'fn-context', 'fn-side-effects', 'fn-shadowed']) expect(fx.outputOf(c), c).not.toMatch(/(from |require\()'\.\.\/legacy\//);
    // the namespace still reads a constant of the module (ws.MAX): it stays
    expect(fx.outputOf('fn-namespace')).toContain("import * as ws from '../legacy/ws';");
    for (const c of ['fn-value', 'fn-unmapped', 'fn-no-context']) expect(fx.outputOf(c), c).toContain("from '../legacy/ws'");
  });

  it('the legacy module itself is not edited (its own calls are the frozen code)', () => {
    const r = fx.run(new Map([['src/legacy/ws.ts', fx.spec.modules['src/legacy/ws.ts']!]]));
    expect(r.changes).toEqual([]);
  });

  it('every output typechecks against the stub legacy and canonical modules', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    expect(project.formatDiagnosticsWithColorAndContext(project.getPreEmitDiagnostics())).toBe('');
  });
});
