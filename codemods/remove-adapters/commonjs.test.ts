/**
 * remove-adapters on CommonJS JavaScript callers of CommonJS legacy modules: member calls on an
 * instance a module exports as `module.exports = new M()` follow classes[], calls of a function
 * exported as `exports.f = …` (destructured with a rename, or as a member of the loaded module)
 * follow functions[]; the canonical names are loaded with `require()` (an `import` would make the
 * file an ES module), after the file's own requires; the legacy `require` goes with its last use.
 * A `require` that is a local binding (a parameter) loads nothing legacy: left alone. Each case
 * twice and as CRLF + BOM, the outputs checked as checkJs checks them.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { removeAdaptersFixtures } from '../../test/helpers/remove-adapters-fixtures.js';

describe('remove-adapters CommonJS fixtures', () => {
  const fx = removeAdaptersFixtures(fileURLToPath(new URL('./__testfixtures__/commonjs', import.meta.url)), 'js');

  it('has the nasty cases', () => {
    for (const c of ['cjs-instance-require', 'cjs-fn-rename', 'cjs-require-shadowed', 'cjs-conditional-require', 'cjs-both', 'cjs-instance-shapes']) expect(fx.cases).toContain(c);
  });

  fx.describeCases();

  it('a rewritten CommonJS file loads the canonical module with require() and no import statement; its legacy requires are gone', () => {
    for (const c of ['cjs-instance-require', 'cjs-fn-rename', 'cjs-both']) {
      const out = fx.outputOf(c);
      expect(out, c).toContain("const { hubOperations } = require('ssot-migrate/canonical');");
      expect(out, c).not.toMatch(/^import /m);
      expect(out, c).not.toContain("require('../legacy/");
    }
    // after the file's own requires, below 'use strict' and the header comment
    expect(fx.outputOf('cjs-instance-require').split('\n').slice(0, 4)).toEqual(["'use strict';", '// A route handler on the exported singleton.', "const { stamp } = require('../lib/format');", "const { hubOperations } = require('ssot-migrate/canonical');"]);
  });

  it('members destructured from a `module.exports = new M()` singleton (instances[] "default") become their templates; the require goes', () => {
    const out = fx.outputOf('cjs-instance-destructured');
    expect(out).toContain('return hubOperations().isOnline(String(userId));');
    expect(out).not.toContain("require('../legacy/single')");
  });

  it('members destructured from one export of a load (`require(L).named`, an instances[] singleton) become their templates; the require goes', () => {
    const out = fx.outputOf('cjs-instance-require-member');
    expect(out).toContain('return hubOperations().isOnline(String(userId));');
    expect(out).not.toContain("require('../legacy/named')");
  });

  it('members destructured from `await import()` of a `module.exports = new M()` singleton stay, marked: its namespace names none of them (Node 20 gives only `default`), so the legacy call throws where the rewrite would work', () => {
    expect(fx.outputOf('cjs-instance-await-import')).toContain("  // TODO(ssot): members of Single are destructured from `await import('../legacy/single')`, the namespace of a module whose export is an instance");
    expect(fx.outputOf('cjs-instance-await-import')).toContain('  return isOnline(userId);');
  });

  it('instances[] in the CommonJS shapes (`module.exports = new M()`, `const x = new M(); module.exports = x`, `exports.m = new M()`): every read becomes the replacement and the loads go, a non-instance export stays', () => {
    const out = fx.outputOf('cjs-instance-shapes');
    for (const gone of ["require('../legacy/single')", "require('../legacy/held')", 'namedToo', 'named,']) expect(out, gone).not.toContain(gone);
    expect(out).toContain("const { LIMIT } = require('../legacy/named');");
    expect(out).toContain('takes([hubOperations(), hubOperations()]);');
  });

  it('a shadowed require is not a module load: the file is left byte-identical, named file:line with the reason', () => {
    expect(fx.outputOf('cjs-require-shadowed')).toBe(fx.inputs.get(fx.fileOf('cjs-require-shadowed')));
    expect(fx.review('cjs-require-shadowed')).toEqual([
      { file: 'src/app/cjs-require-shadowed.js', line: 4, message: "require here is a local binding, not Node's: require('../legacy/manager') may not load the legacy module the type checker takes it for; the file is left untouched" },
    ]);
  });

  it('a conditional require: the calls are rewritten, the load stays (remove-shim then names it, refusing)', () => {
    expect(fx.outputOf('cjs-conditional-require')).toContain("const wsManager = process.env.REALTIME ? require('../legacy/manager') : undefined;");
  });

  it('every output typechecks (checkJs) against the stub legacy and canonical modules; the marked `await import()` destructuring of an instance is TS2339 before and after, as checkJs types that namespace `{ default: Single }` too', () => {
    const project = fx.projectOf(new Map<string, string>([...Object.entries(fx.spec.modules), ...fx.outputs]));
    const diagnostics = project.getPreEmitDiagnostics();
    const awaited = fx.fileOf('cjs-instance-await-import');
    expect(diagnostics.filter((d) => d.getSourceFile()?.getFilePath().endsWith(awaited)).map((d) => `${d.getCode()} ${d.getLineNumber()}`)).toEqual(['2339 7']);
    expect(project.formatDiagnosticsWithColorAndContext(diagnostics.filter((d) => !d.getSourceFile()?.getFilePath().endsWith(awaited)))).toBe('');
  });
});
