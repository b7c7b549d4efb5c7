/**
 * The group type guard on a real repo: a pair of rewrites that only typechecks together is
 * kept together; a change that breaks its neighbour is withdrawn with it, as one group with
 * its first error.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeGitRepo, writeFiles } from '../../test/helpers/git-repo.js';
import { RepoSnapshot } from '../snapshot/snapshot.js';
import { guardTypes, type GuardedChange } from './type-guard.js';

const manifest = {
  canonical: { module: 'src/canonical', exports: ['ScopedManager'] },
  legacy: [{ id: 'LEG001', module: 'src/legacy', symbols: { LegacyManager: 'ScopedManager' } }],
  verify: { typecheck: 'npx tsc --noEmit', test: 'true' },
};
const legacy = "export class LegacyManager {\n  mode = 'shared';\n  send(m: string): void { void m; }\n}\n";
const canonical = 'export class ScopedManager {\n  send(m: string): void { void m; }\n}\n';
// a.ts and b.ts only typecheck together: a alone returns a ScopedManager where b expects a LegacyManager
const a = (t: string) => `import { ${t} } from './${t === 'LegacyManager' ? 'legacy' : 'canonical'}';\nexport function make(): ${t} { return new ${t}(); }\n`;
const b = (t: string) => `import { ${t} } from './${t === 'LegacyManager' ? 'legacy' : 'canonical'}';\nimport { make } from './a';\nexport const m: ${t} = make();\n`;
// c's rewrite breaks d's use of a legacy-only member, whichever way d goes
const c = (t: string) => `import { ${t} } from './${t === 'LegacyManager' ? 'legacy' : 'canonical'}';\nexport function makeC(): ${t} { return new ${t}(); }\n`;
const d = (t: string) => `import type { ${t} } from './${t === 'LegacyManager' ? 'legacy' : 'canonical'}';\nimport { makeC } from './c';\nexport const mode: string = makeC().mode;\nexport type T = ${t};\n`;
const files: Record<string, (t: string) => string> = { 'src/a.ts': a, 'src/b.ts': b, 'src/c.ts': c, 'src/d.ts': d };

const repos: string[] = [];
afterAll(() => repos.forEach((r) => rmSync(r, { recursive: true, force: true })));

async function open(extra: Record<string, string> = {}): Promise<RepoSnapshot> {
  const repo = makeGitRepo('ssot-guard-', {
    ...extra,
    'ssot.config.json': JSON.stringify(manifest),
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['src'] }),
    'src/legacy.ts': legacy,
    'src/canonical.ts': canonical,
    ...Object.fromEntries(Object.entries(files).map(([f, make]) => [f, make('LegacyManager')])),
  });
  repos.push(repo);
  return RepoSnapshot.open(repo);
}
const change = (file: string): GuardedChange => ({ file, before: files[file]!('LegacyManager'), after: files[file]!('ScopedManager') });

describe('group type guard', () => {
  it('keeps a pair that only typechecks together and withdraws a broken pair as one group with its first error', async () => {
    const snapshot = await open();
    const r = guardTypes(snapshot, Object.keys(files).map(change));
    expect(r.kept.map((k) => k.file).sort()).toEqual(['src/a.ts', 'src/b.ts']);
    expect(r.groups).toHaveLength(1);
    expect(r.groups[0]!.files).toEqual(['src/c.ts', 'src/d.ts']);
    expect(r.groups[0]!.error).toMatch(/^src\/d\.ts:3 TS2339: Property 'mode' does not exist on type 'ScopedManager'/);
    expect(r.reverted.map((x) => x.change.file).sort()).toEqual(['src/c.ts', 'src/d.ts']);
    expect(r.reverted.find((x) => x.change.file === 'src/c.ts')!.error).toContain('withdrawn with 1 other file(s) of its group: src/d.ts');
  });

  it('withdraws half of a pair that only typechecks together, charged to the change its error comes from', async () => {
    const snapshot = await open();
    // a's change alone: b (unchanged) now gets a ScopedManager for a LegacyManager
    const r = guardTypes(snapshot, [change('src/a.ts')]);
    expect(r.kept).toEqual([]);
    expect(r.groups).toEqual([{ files: ['src/a.ts'], error: expect.stringMatching(/^src\/b\.ts:3 TS2741/) }]);
    // with its partner it is kept
    expect(guardTypes(snapshot, [change('src/a.ts'), change('src/b.ts')]).kept).toHaveLength(2);
  });

  it('sees a module augmentation in a file no changed file imports (the guard checks only what can reach the changed files)', async () => {
    // augment.ts gives ScopedManager the legacy member d reads: c's and d's rewrites typecheck then
    const snapshot = await open({ 'src/augment.ts': "export {};\ndeclare module './canonical' {\n  interface ScopedManager {\n    mode: string;\n  }\n}\n" });
    const r = guardTypes(snapshot, Object.keys(files).map(change));
    expect(r.reverted).toEqual([]);
    expect(r.kept.map((k) => k.file).sort()).toEqual(['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/d.ts']);
  });

  it('re-checks, in a later round, a kept change whose import was withdrawn', async () => {
    const snapshot = await open();
    // a's change adds an error of its own (withdrawn alone); b's change only typechecks with a's
    const brokenA = { file: 'src/a.ts', before: a('LegacyManager'), after: `${a('ScopedManager')}export const broken: number = 'x';\n` };
    const onlyScoped = { file: 'src/b.ts', before: b('LegacyManager'), after: "import { make } from './a';\nexport const m: { send(m: string): void; mode?: undefined } = make();\n" };
    const r = guardTypes(snapshot, [brokenA, onlyScoped]);
    expect(r.kept).toEqual([]);
    expect(r.groups.map((g) => g.files)).toEqual([['src/a.ts'], ['src/b.ts']]);
    expect(r.groups[0]!.error).toMatch(/^src\/a\.ts:3 TS2322/);
    expect(r.groups[1]!.error).toMatch(/^src\/b\.ts:2 TS2322/);
  });
});

describe('group type guard: an error that was there names the new type', () => {
  // e.ts has an error already; its rewrite changes only the type the message quotes
  const e = (t: string, twice = false) => `import { ${t} } from './${t === 'LegacyManager' ? 'legacy' : 'canonical'}';\ninterface Wide { send(m: string): void; extra: number }\nexport const w: Wide = new ${t}();\n${twice ? `export const w2: Wide = new ${t}();\n` : ''}`;
  it('keeps a change whose only "new" error is one the unchanged file had, quoting another type; withdraws one that adds a second of that shape', async () => {
    const snapshot = await open({ 'src/e.ts': e('LegacyManager') });
    const same = guardTypes(snapshot, [{ file: 'src/e.ts', before: e('LegacyManager'), after: e('ScopedManager') }]);
    expect(same.kept.map((k) => k.file)).toEqual(['src/e.ts']);
    const more = guardTypes(snapshot, [{ file: 'src/e.ts', before: e('LegacyManager'), after: e('ScopedManager', true) }]);
    expect(more.kept).toEqual([]);
    expect(more.groups[0]!.error).toMatch(/^src\/e\.ts:\d TS2741: Property 'extra' is missing in type 'ScopedManager'/);
  });
});

describe('group type guard: an untyped package linked into node_modules (a workspace monorepo)', () => {
  // The layout of an npm-workspaces trial (you112ef/Claudable): `ws` installed without types and
  // linked into node_modules from a store outside the repo, a workspace package imported by name
  // through its node_modules link, and the canonical package linked from a sibling install that
  // carries `@types/ws`. A file's TS7016 for `ws` was there before the rewrite; once the rewrite
  // imports the canonical package, `@types/ws` is in the program and TypeScript's hint under the
  // error changes ("Try `npm i --save-dev @types/ws`…" becomes "If the 'ws' package actually
  // exposes this module…"): the same error, which must not read as new.
  const route = (to: 'legacy' | 'canonical', extra = '') =>
    `import { WebSocketServer } from 'ws';\n${to === 'legacy' ? "import { publish } from '@repo/ws';" : "import { publish } from 'canon';"}\n${extra}export const server: unknown = WebSocketServer;\npublish('p1', { kind: 'ping' });\n`;
  async function openLinked(): Promise<RepoSnapshot> {
    const outside = mkdtempSync(path.join(os.tmpdir(), 'ssot-guard-store-'));
    repos.push(outside);
    writeFiles(outside, {
      'store/ws/package.json': JSON.stringify({ name: 'ws', version: '8.0.0', main: 'index.js' }),
      'store/ws/index.js': 'exports.WebSocketServer = class {};\n',
      'store/untyped-extra/package.json': JSON.stringify({ name: 'untyped-extra', version: '1.0.0', main: 'index.js' }),
      'store/untyped-extra/index.js': 'module.exports = 1;\n',
      'pack/node_modules/canon/package.json': JSON.stringify({ name: 'canon', version: '1.0.0', types: 'index.d.ts' }),
      'pack/node_modules/canon/index.d.ts': "import type { WebSocket } from 'ws';\nexport declare function publish(id: string, event: object): void;\nexport type Socket = WebSocket;\n",
      'pack/node_modules/@types/ws/package.json': JSON.stringify({ name: '@types/ws', version: '8.0.0', types: 'index.d.ts' }),
      'pack/node_modules/@types/ws/index.d.ts': 'export declare class WebSocket {\n  send(data: string): void;\n}\n',
    });
    const repo = makeGitRepo('ssot-guard-linked-', {
      '.gitignore': 'node_modules\n',
      'ssot.config.json': JSON.stringify(manifest),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['apps', 'packages'] }),
      'packages/ws/package.json': JSON.stringify({ name: '@repo/ws', version: '1.0.0' }),
      'packages/ws/index.ts': 'export function publish(id: string, event: object): void {\n  void id;\n  void event;\n}\n',
      'apps/web/route.ts': route('legacy'),
    });
    repos.push(repo);
    writeFiles(repo, { 'node_modules/.keep': '' });
    symlinkSync(path.join(outside, 'store/ws'), path.join(repo, 'node_modules/ws'), 'dir');
    symlinkSync(path.join(outside, 'store/untyped-extra'), path.join(repo, 'node_modules/untyped-extra'), 'dir');
    symlinkSync(path.join(outside, 'pack/node_modules/canon'), path.join(repo, 'node_modules/canon'), 'dir');
    writeFiles(repo, { 'node_modules/@repo/.keep': '' });
    symlinkSync('../../packages/ws', path.join(repo, 'node_modules/@repo/ws'), 'dir');
    return RepoSnapshot.open(repo);
  }

  it('keeps a rewrite whose file had the TS7016 already, though the hint under it changed', async () => {
    const snapshot = await openLinked();
    const r = guardTypes(snapshot, [{ file: 'apps/web/route.ts', before: route('legacy'), after: route('canonical') }]);
    expect(r.reverted).toEqual([]);
    expect(r.kept.map((k) => k.file)).toEqual(['apps/web/route.ts']);
  });

  it('withdraws a rewrite that adds a TS7016 for another untyped package, beside the one that was there', async () => {
    const snapshot = await openLinked();
    const r = guardTypes(snapshot, [{ file: 'apps/web/route.ts', before: route('legacy'), after: route('canonical', "import extra from 'untyped-extra';\nvoid extra;\n") }]);
    expect(r.kept).toEqual([]);
    expect(r.groups).toEqual([{ files: ['apps/web/route.ts'], error: expect.stringMatching(/^apps\/web\/route\.ts:3 TS7016: Could not find a declaration file for module 'untyped-extra'/) }]);
  });
});

describe('files reaching a file (what the guard and remove-adapters look at)', () => {
  it('is the file, its importers transitively and every global declaration; nothing else', async () => {
    const repo = makeGitRepo('ssot-reach-', {
      'ssot.config.json': JSON.stringify(manifest),
      'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['src'] }),
      'src/a.ts': 'export const a = 1;\n',
      'src/b.ts': "import { a } from './a';\nexport const b = a;\n",
      'src/c.ts': "export type { b } from './b';\n",
      'src/d.ts': "import { c } from './unrelated';\nexport const d = c;\n",
      'src/unrelated.ts': 'export const c = 2;\n',
      'src/env.d.ts': 'declare const APP_MODE: string;\n',
      'src/augment.ts': "export {};\ndeclare global {\n  interface Window { x: number }\n}\n",
    });
    repos.push(repo);
    const snapshot = await RepoSnapshot.open(repo);
    expect([...snapshot.filesReaching(['src/a.ts'])!].sort()).toEqual(['src/a.ts', 'src/augment.ts', 'src/b.ts', 'src/c.ts', 'src/env.d.ts']);
  });
});
