/**
 * The second backend with a module of free functions (functions[]): a copy of
 * examples/relay-backend gains `src/realtime/fanout.ts` (functions over a module-level Map of
 * sockets, no class), a service calling them through an aliased and a namespace import, and a
 * test of its own; its manifest gains the module (legacy) and one template per function. `run
 * --all` then commits every phase up to remove-adapters verified by the app's typecheck and its
 * 20 tests (the example's 19 and the fan-out's), the facade routing each function through the
 * shim, and remove-adapters leaving no call and no import of the module. The example itself is
 * not changed: the additions live in the copy only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAll, type PhaseOutcome } from '../../scripts/runner/index.js';
import { git, initAndCommit, useNativeTsc, writeFiles, writeLinkedBackend } from '../helpers/git-repo.js';
import { unhoisted } from '../helpers/hub-hoist.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');
const APP = path.join(TOOLKIT, 'examples/relay-backend');

const ADDED: Record<string, string> = {
  'src/realtime/fanout.ts': `// Fan-out to raw sockets by user: a module of functions over a Map (no class).
export interface RawSocket {
  send(data: string): void;
}

const sockets = new Map<string, RawSocket[]>();

export function addSocket(userId: string, socket: RawSocket): void {
  sockets.set(userId, [...(sockets.get(userId) ?? []), socket]);
}

export function pushTo(userId: string, frame: Record<string, unknown>): void {
  for (const s of sockets.get(userId) ?? []) s.send(JSON.stringify(frame));
}

export const pushAll = (frame: Record<string, unknown>): void => {
  for (const userId of sockets.keys()) pushTo(userId, frame);
};
`,
  'src/services/fanout-service.ts': `import * as fanout from '../realtime/fanout.js';
import { addSocket as attach, pushTo } from '../realtime/fanout.js';
import type { RawSocket } from '../realtime/fanout.js';

export function join(userId: string, socket: RawSocket): void {
  attach(userId, socket);
  pushTo(userId, { type: 'joined', userId });
}

export function shout(text: string): void {
  fanout.pushAll({ type: 'shout', text });
}
`,
  'test/fanout.test.ts': `import { expect, it } from 'vitest';
import { join, shout } from '../src/services/fanout-service.js';

it('[wire] a joined socket gets its greeting and every shout', async () => {
  const frames: Array<Record<string, unknown>> = [];
  join('usr_fanout_1', { send: (d) => frames.push(JSON.parse(d) as Record<string, unknown>) });
  shout('hello all');
  for (let i = 0; i < 50 && frames.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
  expect(frames.map((f) => f['type'])).toEqual(['joined', 'shout']);
  expect(frames[1]).toMatchObject({ text: 'hello all' });
});
`,
};

let repo = '';
let outcomes: PhaseOutcome[] = [];
let facade = '';
const byPhase = (name: string): PhaseOutcome => outcomes.find((o) => o.phase === name) ?? { phase: name, status: 'skipped' as PhaseOutcome['status'] };

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), 'relay-fn-'));
  const files = execFileSync('git', ['ls-files', '-z', '--', '.'], { cwd: APP, encoding: 'utf8' }).split('\0').filter(Boolean);
  writeFiles(repo, Object.fromEntries(files.map((f) => [f, readFileSync(path.join(APP, f), 'utf8')])));
  const manifest = JSON.parse(readFileSync(path.join(APP, 'ssot.config.json'), 'utf8')) as { legacy: unknown[]; functions?: unknown[] };
  manifest.legacy.push({ id: 'RLY020', module: 'src/realtime/fanout', symbols: { RawSocket: 'SocketLike' }, replacement: "hubOperations() from 'ssot-migrate/canonical'" });
  manifest.functions = [{ module: 'src/realtime/fanout', templates: { addSocket: '$hub.connect($1, $2)', pushTo: '$hub.sendToUser($1, $2)', pushAll: '$hub.broadcastAll($1)' } }];
  writeLinkedBackend(repo, { ...ADDED, 'ssot.config.json': `${JSON.stringify(manifest, null, 2)}\n` });
  useNativeTsc(repo); // its `npm run typecheck` on TypeScript 7, as a team's install would have it (test/package/pack.test.ts)
  initAndCommit(repo);
  outcomes = await runAll(repo);
  const strangle = git(repo, 'log', '--format=%H', '--grep', '^ssot(strangle)').trim();
  if (strangle) facade = git(repo, 'show', `${strangle}:src/realtime/fanout.ts`);
}, 1_500_000);

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

describe('relay-backend with a module of free functions', () => {
  it('commits every phase up to remove-adapters, each verified by the typecheck and its 20 tests', () => {
    const phases = ['discover', 'move-declarations', 'strangle', 'consolidate-types', 'rewrite-imports', 'remove-adapters'];
    for (const p of phases) {
      const o = byPhase(p);
      expect(o.status, `${p}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
      expect(o.verification?.ok, p).toBe(true);
      if (o.verification?.summary !== 'no files changed; nothing to verify') expect(o.verification?.summary, p).toMatch(/typecheck 0->0 errors; tests 20\/20 passed -> 20\/20 passed/);
    }
  });

  it('strangle routes each function through the shim under the module id', () => {
    expect(facade).toContain("export const pushTo = defineLegacyFreeFunction(spec('RLY020', 'pushTo'), frozen.pushTo, { canonical: (self, a1, a2) => self.hub.sendToUser(a1, a2), detached: true });");
    expect(facade).toContain("export const addSocket = defineLegacyFreeFunction(spec('RLY020', 'addSocket')");
  });

  it('remove-adapters rewrites the aliased and namespace calls; no import of the module is left', () => {
    const service = unhoisted(readFileSync(path.join(repo, 'src/services/fanout-service.ts'), 'utf8'));
    expect(service).toContain('hubOperations().connect(userId, socket);');
    expect(service).toContain("hubOperations().sendToUser(userId, { type: 'joined', userId });");
    expect(service).toContain("hubOperations().broadcastAll({ type: 'shout', text });");
    expect(service).not.toMatch(/fanout\.js'|attach\(|pushTo\(/);
    // the module's socket type was mapped to the canonical one (symbols): rewrite-imports renamed it
    expect(service).toContain('SocketLike');
    expect(byPhase('remove-adapters').compliance?.after).toBe(100);
    expect((byPhase('remove-adapters').needsReview ?? []).filter((r) => r.file.includes('fanout'))).toEqual([]);
  });
});
