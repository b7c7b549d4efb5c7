/**
 * strangle/refusal.ts: whether strangle can write a facade for a legacy module file, from its text
 * alone — the decision strangle acts on and discover and init warn with. The refused CommonJS
 * shapes themselves are strangle.test.ts's cases (planStrangleTree goes through this function).
 */
import { describe, expect, it } from 'vitest';
import { FACADE_MARKER } from './layout.js';
import { describeRefusal, strangleReadiness, strangleRefusals } from './refusal.js';

const toCrlfBom = (s: string): string => `\uFEFF${s.replace(/\n/g, '\r\n')}`;

describe('strangleReadiness', () => {
  it('a facade is strangled already; a taken frozen path and a parse error are refused', () => {
    expect(strangleReadiness('src/m.ts', `${FACADE_MARKER}\nexport {};\n`, false)).toEqual({ kind: 'facade' });
    expect(strangleReadiness('src/m.ts', 'export class M {}\n', true)).toEqual({ kind: 'refused', line: 1, reason: 'src/m.legacy.ts already exists but src/m.ts is not a generated facade' });
    expect(strangleReadiness('src/m.ts', 'export class M {\n', false)).toMatchObject({ kind: 'refused', line: 2, reason: expect.stringMatching(/^does not parse \(/) });
  });

  it('an ES module and a readable CommonJS module are ready (the latter gets a CommonJS facade); an unreadable one is refused with its line, LF or CRLF + BOM', () => {
    expect(strangleReadiness('src/m.js', 'export class M {}\n', false)).toMatchObject({ kind: 'ready', commonJs: false });
    expect(strangleReadiness('src/m.js', 'class M {}\nmodule.exports = new M();\n', false)).toMatchObject({ kind: 'ready', commonJs: true });
    const conditional = 'class M {}\nif (process.env.X) {\n  module.exports = new M();\n}\n';
    for (const text of [conditional, toCrlfBom(conditional)])
      expect(strangleReadiness('src/m.js', text, false)).toEqual({ kind: 'refused', line: 3, reason: 'a CommonJS module whose exports cannot be read safely: module.exports is assigned inside a function, block or condition: the exports are decided at run time' });
    // a TypeScript file is never read as CommonJS (its `module` is whatever it declares)
    expect(strangleReadiness('src/m.ts', 'declare const module: any;\nif (module) module.exports = 1;\nexport const x = 1;\n', false)).toMatchObject({ kind: 'ready', commonJs: false });
  });
});

describe('a global script (a .ts file with no import or export)', () => {
  const script = '// loaded as a global script: other files use UserSockets by name\nclass UserSockets {}\nconst sockets = new UserSockets(), { size } = { size: 0 };\nfunction count() { return size; }\ninterface Peer { id: string }\n';

  it('declaring something is refused, naming its globals at the first declaration (LF and CRLF + BOM): it is not an emptied module', () => {
    for (const text of [script, toCrlfBom(script)]) {
      const r = strangleReadiness('src/ws/user-sockets.ts', text, false);
      expect(r).toEqual({ kind: 'refused', line: 2, globals: ['UserSockets', 'sockets', 'size', 'count', 'Peer'], reason: expect.stringMatching(/^a global script \(no import or export\) declaring UserSockets, sockets, size, count, Peer: other files use its globals by name without any import/) });
    }
    expect(describeRefusal({ module: 'src/ws/user-sockets', file: 'src/ws/user-sockets.ts', ...(strangleReadiness('src/ws/user-sockets.ts', script, false) as { line: number; reason: string }) })).toMatch(/^strangle will refuse src\/ws\/user-sockets: a global script .* or take it out of legacy\[\], src\/ws\/user-sockets\.ts:2$/);
  });

  it('declaring nothing (what a split leaves: comments) is still empty; a module exporting nothing is empty; JavaScript is CommonJS, not a global script', () => {
    expect(strangleReadiness('src/m.ts', '// the class moved to src/app/m (splits)\n', false)).toEqual({ kind: 'empty' });
    expect(strangleReadiness('src/m.ts', "import './side-effect.js';\nclass Local {}\n", false)).toEqual({ kind: 'empty' });
    expect(strangleReadiness('src/m.ts', 'class Local {}\nconsole.log(import.meta.url, Local);\n', false)).toEqual({ kind: 'empty' });
    expect(strangleReadiness('src/m.js', 'class Local {}\n', false)).toEqual({ kind: 'empty' });
  });
});

describe('strangleRefusals', () => {
  it('every legacy module file strangle will refuse, in module order, with file:line and the reason; the ready, the strangled and the missing are not listed', () => {
    const files = new Map([
      ['src/z.js', 'exports = { a: 1 };\n'],
      ['src/a.cjs', "const base = require('./base');\nmodule.exports = { ...base };\n"],
      ['src/ok.js', 'exports.a = 1;\n'],
      ['src/done.js', `${FACADE_MARKER}\nmodule.exports = require('./done.legacy.js');\n`],
      ['src/done.legacy.js', 'exports.a = 1;\nexports.a = 2;\n'],
    ]);
    const modules = new Map([['src/z', 'src/z.js'], ['src/a', 'src/a.cjs'], ['src/ok', 'src/ok.js'], ['src/done', 'src/done.js'], ['src/gone', 'src/gone.js']]);
    const out = strangleRefusals(modules, (f) => files.get(f));
    expect(out.map((r) => [r.module, r.file, r.line])).toEqual([
      ['src/a', 'src/a.cjs', 2],
      ['src/z', 'src/z.js', 1],
    ]);
    expect(describeRefusal(out[1]!)).toBe('strangle will refuse src/z: a CommonJS module whose exports cannot be read safely: `exports` itself is reassigned: the name no longer reaches module.exports, src/z.js:1');
    expect(out[0]!.reason).toMatch(/the exported object has a spread member \(\.\.\.base\)/);
  });
});
