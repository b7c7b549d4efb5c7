/**
 * move-declarations fixtures: `__testfixtures__/<case>/input/` is a repo, `moves.json` its
 * manifest `moves`, `output/` the repo after the move (files the move leaves alone are not
 * repeated), `review.json` the needs-review files. Each case also runs a second time on its
 * output (nothing changes) and with every file CRLF + BOM.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import type { MoveSpec } from '../../manifest/types.js';
import { moduleIdOf } from '../engine/module-id.js';
import { parseSource } from '../engine/parse.js';
import { ModuleResolver } from '../engine/resolve.js';
import { readResolverData } from '../engine/tsconfig.js';
import { planMoves, type MoveResult } from './move.js';

const root = fileURLToPath(new URL('./__testfixtures__', import.meta.url));
const update = process.env['UPDATE_FIXTURES'] === '1';
const cases = readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory());
const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)).map((f) => `${n}/${f}`) : [n]));
}

function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(walk(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

/** `tree` written to a scratch folder: its files and the resolver of its tsconfig. */
function onDisk(tree: Record<string, string>): { files: string[]; resolver: ModuleResolver } {
  const dir = mkdtempSync(join(tmpdir(), 'ssot-move-'));
  scratch.push(dir);
  for (const [f, t] of Object.entries(tree)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), t);
  }
  const files = Object.keys(tree);
  const resolver = new ModuleResolver(readResolverData(dir, 'tsconfig.json', [...new Set(files.filter((f) => /\.[cm]?tsx?$/.test(f)).map(moduleIdOf))]));
  return { files, resolver };
}

function run(tree: Record<string, string>, moves: MoveSpec[]): MoveResult {
  const { files, resolver } = onDisk(tree);
  return planMoves({ files, read: (f) => tree[f], resolver, moves });
}

const crlfBom = (tree: Record<string, string>) => Object.fromEntries(Object.entries(tree).map(([f, t]) => [f, f.endsWith('.json') ? t : toCrlfBom(t)]));

describe('move-declarations fixtures', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const name of cases) {
    const dir = join(root, name);
    const input = readTree(join(dir, 'input'));
    const moves = JSON.parse(readFileSync(join(dir, 'moves.json'), 'utf8')) as MoveSpec[];
    const reviewPath = join(dir, 'review.json');
    describe(name, () => {
      it('moves the declaration and every import of it', () => {
        const r = run(input, moves);
        const after = Object.fromEntries([...r.texts]);
        if (update) {
          rmSync(join(dir, 'output'), { recursive: true, force: true });
          for (const [f, t] of Object.entries(after)) {
            mkdirSync(dirname(join(dir, 'output', f)), { recursive: true });
            writeFileSync(join(dir, 'output', f), t);
          }
          writeFileSync(reviewPath, `${JSON.stringify(r.needsReview.map((n) => n.file).sort())}\n`);
        }
        expect(after).toEqual(readTree(join(dir, 'output')));
        expect(r.problems).toEqual([]);
        expect(r.needsReview.map((n) => n.file).sort()).toEqual(JSON.parse(readFileSync(reviewPath, 'utf8')));
        for (const [f, t] of Object.entries(after)) expect(parseSource(f, t).error, f).toBeUndefined();
      });
      it('changes nothing on a second run', () => {
        const once = { ...input, ...Object.fromEntries(run(input, moves).texts) };
        const twice = run(once, moves);
        expect([...twice.texts.keys()]).toEqual([]);
        expect(twice.problems).toEqual([]);
      });
      it('keeps CRLF line endings and the BOM', () => {
        const r = run(crlfBom(input), moves);
        expect(Object.fromEntries(r.texts)).toEqual(crlfBom(readTree(join(dir, 'output'))));
      });
    });
  }
  it('the summary counts declarations and pass-through re-exports apart, and names the re-exports kept', async () => {
    // PrintWeave's commit said "moved 6 declaration(s)" for 4 declarations and 2 names re-exported from ws
    const { moveSummary } = await import('./move.js');
    const dir = join(root, 'reexport-pass-through');
    const input = readTree(join(dir, 'input'));
    const all = JSON.parse(readFileSync(join(dir, 'moves.json'), 'utf8')) as MoveSpec[];
    const r = run(input, all);
    expect(r.counts).toEqual({ declarations: 1, reexports: 2 });
    expect(moveSummary(r, r.texts.size)).toBe(`moved 1 declaration(s) and 2 re-export(s) the module only passed through; ${r.texts.size} file(s) changed`);
    // the class alone: the ws pass-through stays in the legacy module, and the summary says so
    const one = run(input, all.filter((m) => m.name === 'SubscriptionManager'));
    expect(one.counts).toEqual({ declarations: 1, reexports: 0 });
    expect(moveSummary(one, one.texts.size)).toBe(`moved 1 declaration(s); ${one.texts.size} file(s) changed; re-export(s) kept where they were: src/models/websockets.model.ts: WebSocket, RawData`);
    // only re-exports
    const two = run(input, all.filter((m) => m.name !== 'SubscriptionManager'));
    expect(moveSummary(two, two.texts.size)).toMatch(/^moved 2 re-export\(s\) the module only passed through; \d+ file\(s\) changed$/);
  });
  it('reports a move of a name the module does not declare', () => {
    const r = run({ 'src/legacy.ts': 'export const a = 1;\n' }, [{ from: 'src/legacy', name: 'Nope', to: 'src/x' }]);
    expect(r.problems.map((p) => p.message)).toEqual(['move Nope: src/legacy declares no top-level Nope']);
    expect(r.texts.size).toBe(0);
  });
});

describe('discover proposes moves', () => {
  it('on examples/legacy-app: the declarations of legacy modules that are not legacy and that other files import', async () => {
    const { RepoSnapshot } = await import('../snapshot/snapshot.js');
    const { proposeMoves } = await import('./propose.js');
    const app = fileURLToPath(new URL('../../examples/legacy-app', import.meta.url));
    const s = await RepoSnapshot.open(app);
    const all = proposeMoves({ files: s.candidates, read: (f) => s.read(f), resolver: s.resolver, prefilterTokens: s.context.prefilterTokens, manifest: { ...s.manifest, moves: [] } });
    // WebSocketEventTypes is legacy (its symbol map sends it to CRITICAL_EVENT_TYPES): not a move
    expect(all.map((p) => `${p.from}#${p.name}`)).toEqual(['src/agents/supervisor/agent_registry#AgentRegistry']);
    expect(all[0]!.usedBy).toEqual(['src/agents/supervisor/agent_instance_factory.ts', 'src/services/user_session.ts']);
    // a confirmed move is no longer proposed
    const left = proposeMoves({ files: s.candidates, read: (f) => s.read(f), resolver: s.resolver, prefilterTokens: s.context.prefilterTokens, manifest: s.manifest });
    expect(left.map((p) => p.name)).toEqual([]);
  }, 60_000);
});

describe('discover proposes moves: a legacy instance exported as a value', () => {
  it('does not propose the manager instance a legacy class makes (singleton const), only the bystander', async () => {
    const { proposeMoves } = await import('./propose.js');
    const { parseManifest } = await import('../../manifest/index.js');
    const tree: Record<string, string> = {
      'tsconfig.json': '{ "compilerOptions": { "module": "NodeNext", "moduleResolution": "NodeNext" } }',
      'src/rt/hub.ts': `class Pipe {
  static shared(): Pipe { return new Pipe(); }
  say(room: string): number { return room.length; }
}
export const pipe = Pipe.shared();
export const spare = (new Pipe());
export const RETRIES = 3;
`,
      'src/jobs/a.ts': `import { pipe, spare, RETRIES } from '../rt/hub.js';\nexport const n = pipe.say('r') + spare.say('s') + RETRIES;\n`,
    };
    const { files, resolver } = onDisk(tree);
    const manifest = parseManifest(
      JSON.stringify({
        canonical: { module: 'ssot-migrate/canonical', exports: ['createWebSocketManager'] },
        legacy: [{ id: 'RT001', module: 'src/rt/hub', symbols: {}, replacement: 'x' }],
        classes: [{ module: 'src/rt/hub', class: 'Pipe', members: {} }],
        verify: { typecheck: 'true', test: 'true' },
      }),
      'ssot.config.json',
    );
    const got = proposeMoves({ files, read: (f) => tree[f], resolver, manifest, prefilterTokens: ['hub'] });
    expect(got).toEqual([{ from: 'src/rt/hub', name: 'RETRIES', usedBy: ['src/jobs/a.ts'] }]);
  });
});

describe('discover proposes moves: a module of free functions', () => {
  it('does not propose the functions functions[] templates (named or through the default object), only the bystander', async () => {
    // JeLLek1/PIM-chess-app: discover proposed moving saveConnection, getConnectionById and
    // getAllConnections, the very functions the manifest's functions[] entry rewrites
    const { proposeMoves } = await import('./propose.js');
    const { parseManifest } = await import('../../manifest/index.js');
    const tree: Record<string, string> = {
      'tsconfig.json': '{ "compilerOptions": { "module": "commonjs" } }',
      'src/repo/conns.ts': `const conns = new Map<string, { send(d: string): void }>();
export function save(id: string, ws: { send(d: string): void }) { conns.set(id, ws); }
export function drop(id: string): void { conns.delete(id); }
export const LIMIT = 10;
export default { save, drop };
`,
      'src/app/a.ts': `import Conns, { save, LIMIT } from '../repo/conns';\nexport const go = (ws: { send(d: string): void }) => { save('u', ws); Conns.drop('u'); return LIMIT; };\n`,
    };
    const { files, resolver } = onDisk(tree);
    const manifest = parseManifest(
      JSON.stringify({
        canonical: { module: 'ssot-migrate/canonical', exports: ['hubOperations'] },
        legacy: [{ id: 'CN001', module: 'src/repo/conns', symbols: {}, replacement: 'x' }],
        functions: [{ module: 'src/repo/conns', templates: { save: '$hub.connect($1, $2)', drop: '$hub.disconnect($1)' } }],
        verify: { typecheck: 'true', test: 'true' },
      }),
      'ssot.config.json',
    );
    const got = proposeMoves({ files, read: (f) => tree[f], resolver, manifest, prefilterTokens: ['conns'] });
    expect(got).toEqual([{ from: 'src/repo/conns', name: 'LIMIT', usedBy: ['src/app/a.ts'] }]);
  });
});
