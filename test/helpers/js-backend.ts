/**
 * What the generated end-to-end backends share: the toolkit's own modules linked into a scratch
 * repo (the app resolves `ssot-migrate`, `ws` and their types as an installed package would), the
 * checkJs verify command for plain-JavaScript apps, a commit checked out beside the repo, and the
 * app's loopback test run in one shim mode. One place, so a change to how an app is wired or
 * smoked reaches every backend.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { draftManifest } from '../../codemods/init/index.js';
import { readRepoFiles } from '../../scripts/commands/init.js';
import { git, initAndCommit, writeFiles } from './git-repo.js';
import { NATIVE_TSC } from './fixture-manifest.js';
import { migrateEveryPhase, type PhasedMigration } from './phased-migration.js';

export const TOOLKIT = path.resolve(import.meta.dirname, '../..');
export const TSC = path.join(TOOLKIT, 'node_modules/typescript/bin/tsc');
/** TypeScript 7's tsc, the native compiler (NATIVE_TSC in fixture-manifest.ts), absolute. */
export const NATIVE_TSC_PATH = path.join(TOOLKIT, NATIVE_TSC);

/** node_modules/{ssot-migrate,ws,@types/node,@types/ws} in `dir`, linked to this checkout's. */
export function linkToolkitModules(dir: string): void {
  mkdirSync(path.join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(TOOLKIT, path.join(dir, 'node_modules/ssot-migrate'));
  symlinkSync(path.join(TOOLKIT, 'node_modules/ws'), path.join(dir, 'node_modules/ws'));
  for (const t of ['node', 'ws']) symlinkSync(path.join(TOOLKIT, 'node_modules/@types', t), path.join(dir, 'node_modules/@types', t));
}

export interface DraftedBackend {
  readonly repo: string;
  /** strangle's commit checked out beside the repo ('' unless asked for). */
  readonly atStrangle: string;
  readonly draft: ReturnType<typeof draftManifest>;
  readonly m: PhasedMigration;
}

/**
 * A generated backend the way a person migrates one: its files in a scratch repo with the toolkit
 * linked, init's draft from `legacy` with the person's `decide` applied, committed, then every phase
 * (migrateEveryPhase); strangle's commit checked out beside it when `atStrangle` is asked for.
 */
export async function migrateDraftedBackend(o: {
  name: string;
  files: Record<string, string>;
  legacy: string[];
  decide: (draft: Record<string, unknown>) => Record<string, unknown>;
  facadeFile: string;
  withoutTelemetry: string;
  atStrangle?: boolean;
}): Promise<DraftedBackend> {
  const repo = mkdtempSync(path.join(tmpdir(), `${o.name}-`));
  writeFiles(repo, o.files);
  linkToolkitModules(repo);
  const draft = draftManifest({ repoDir: repo, files: readRepoFiles(repo), canonicalEntry: path.join(TOOLKIT, 'canonical/index.ts'), legacy: o.legacy });
  writeFiles(repo, { 'ssot.config.json': `${JSON.stringify(o.decide(draft.manifest as unknown as Record<string, unknown>), null, 2)}\n` });
  initAndCommit(repo);
  const m = await migrateEveryPhase(repo, { withoutTelemetry: o.withoutTelemetry, facadeFile: o.facadeFile });
  const atStrangle = o.atStrangle ? checkoutPhaseCommit(repo, 'strangle', `${o.name}-strangled-`) : '';
  return { repo, atStrangle, draft, m };
}

/** The scratch folders of a DraftedBackend, kept when SSOT_KEEP_E2E=1 (to look at after a failure). */
export function removeDraftedBackend(...dirs: string[]): void {
  if (process.env['SSOT_KEEP_E2E'] === '1') return;
  for (const d of dirs) if (d) rmSync(d, { recursive: true, force: true });
}

/**
 * A plain-JavaScript app's verify: `tsc --allowJs --checkJs` over `globs`, then its loopback test.
 * TypeScript 7's tsc (~0.8 CPU-s a typecheck instead of ~3.5 with 5.9's), told `--strict false`: 7
 * is strict by default, 5.9 was not, and these apps' JavaScript has no JSDoc on every parameter. So
 * told, 7 reports what 5.9 did: the same errors (none) at every commit of a migrated cjs-object-backend.
 */
export function checkJsVerify(globs: string): { typecheck: string; test: string } {
  return { typecheck: `node ${JSON.stringify(NATIVE_TSC_PATH)} --strict false --allowJs --checkJs --noEmit --skipLibCheck --module nodenext --target es2022 --types node ${globs}`, test: 'node test/smoke.js' };
}

/** A clone of `repo` beside it at the commit of `phase` (its `ssot(<phase>)` subject), modules linked. */
export function checkoutPhaseCommit(repo: string, phase: string, prefix: string): string {
  const sha = git(repo, 'log', '--format=%H', '--grep', `^ssot(${phase})`).trim();
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  execFileSync('git', ['clone', '-q', repo, dir]);
  execFileSync('git', ['checkout', '-q', sha], { cwd: dir });
  linkToolkitModules(dir);
  return dir;
}

/** The app's `test/smoke.js` with every id in shim `mode`, its telemetry written to `.ssot/telemetry/<telemetry>.jsonl`. */
export function smokeInMode(dir: string, mode: string, telemetry: string = mode): { status: number | null; out: string } {
  const r = spawnSync('node', ['test/smoke.js'], { cwd: dir, encoding: 'utf8', timeout: 30_000, env: { ...process.env, SSOT_SHIM: `*=${mode}`, SSOT_SHIM_TELEMETRY: path.join(dir, `.ssot/telemetry/${telemetry}.jsonl`) } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/**
 * The chat app both CommonJS backends put around their manager (`src/ws/manager.js`): a server
 * registering each loopback socket under its `?user=`, and a test in which alice's message reaches
 * exactly bob and alice gets the receipt. Only the manager and the route differ between them.
 */
export const CJS_CHAT_SERVER = `'use strict';
const { WebSocketServer } = require('ws');
const wsManager = require('./ws/manager');

function start(port) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port });
  wss.on('connection', (socket, req) => {
    const userId = new URL(req.url, 'http://x').searchParams.get('user');
    wsManager.register(userId, socket);
    socket.on('close', () => wsManager.unregister(userId, socket));
  });
  return wss;
}

module.exports = { start };
`;

export const CJS_CHAT_SMOKE = `'use strict';
// Two users on real loopback sockets: a chat message reaches exactly its recipient, the sender gets the receipt.
const { WebSocket } = require('ws');
const { start } = require('../src/server');
const { postMessage } = require('../src/routes/chat');

const wss = start(0);
wss.on('listening', async () => {
  const { port } = /** @type {import('node:net').AddressInfo} */ (wss.address());
  const open = (user) => new Promise((resolve) => {
    const ws = new WebSocket(\`ws://127.0.0.1:\${port}/?user=\${user}\`);
    const frames = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d))));
    ws.on('open', () => resolve({ ws, frames }));
  });
  const alice = await open('alice');
  const bob = await open('bob');
  await new Promise((r) => setTimeout(r, 50));
  const sent = postMessage('alice', 'bob', 'hi');
  const offline = postMessage('alice', 'carol', 'hello?');
  await new Promise((r) => setTimeout(r, 100));
  alice.ws.close(); bob.ws.close(); wss.close();
  const ok = sent === true && offline === false
    && JSON.stringify(bob.frames) === JSON.stringify([{ event: 'chat', data: { from: 'alice', text: 'hi' } }])
    && JSON.stringify(alice.frames) === JSON.stringify([{ event: 'notification', data: { message: 'delivered' } }]);
  if (!ok) { console.error('unexpected', JSON.stringify({ sent, offline, alice: alice.frames, bob: bob.frames })); process.exit(1); }
  console.log('ok');
  process.exit(0);
});
`;

/** The four hub templates both CommonJS chat backends' managers take (legacy wire format `{ event, data }`). */
export const CJS_CHAT_MEMBERS: Readonly<Record<string, string>> = {
  register: '$hub.connect(String($1), $2)',
  unregister: "$hub.disconnect($hub.hub.getConnectionIdBySocket($2) ?? '')",
  isOnline: '$hub.isOnline(String($1))',
  sendToUser: '$hub.sendToUser(String($1), { event: $2, data: $3 })',
};
