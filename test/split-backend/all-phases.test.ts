/**
 * A NestJS-shaped backend (app.ts: `@Injectable()` providers built by constructor parameter type
 * from `design:paramtypes`, `baseUrl` imports) whose one legacy provider is both the socket maps
 * and app state. The manifest splits it (`splits[]`): the class moves whole to an app module and
 * stays the DI token (providers and constructor types unchanged), its socket members are rewritten
 * through classes[].members and then leave it. Every phase commits verified by tsc and a loopback
 * run of the compiled app (real sockets through the canonical hub), and remove-shim ends at 100%.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PHASES } from '../../codemods/index.js';
import { runAll, runPhase, type PhaseOutcome } from '../../scripts/runner/index.js';
import { repoStatus } from '../../scripts/runner/status.js';
import { git, initAndCommit, writeFiles } from '../helpers/git-repo.js';
import { TSC, linkToolkitModules } from '../helpers/js-backend.js';
import { FILES, TSCONFIG } from './app.js';
import { unhoisted } from '../helpers/hub-hoist.js';

const LEGACY = 'src/realtime/realtime.service';
const NOTIFIER = 'src/realtime/notifier.service';

const MANIFEST = {
  canonical: { module: 'ssot-migrate/canonical', exports: ['hubOperations', 'UserExecutionContext', 'createWebSocketManager'], contextType: 'UserExecutionContext', factory: 'createWebSocketManager' },
  legacy: [
    { id: 'RTS001', module: LEGACY, symbols: {}, replacement: 'the canonical hub (hubOperations) for sockets; RealtimeService in src/realtime/presence.service for presence and the audit log' },
    { id: 'NTF001', module: NOTIFIER, symbols: {}, replacement: 'the canonical hub (hubOperations)' },
  ],
  classes: [
    {
      module: LEGACY,
      class: 'RealtimeService',
      members: {
        // one socket per user, a second replacing the first as the map's set did (the hub refuses a connection id it holds)
        register: '($hub.disconnect(String($1)), $hub.connect(String($1), $2, { connectionId: String($1) }))',
        unregister: '$hub.disconnect(String($1))',
        push: '$hub.sendToUser(String($2), { ...$1 })',
        pushAll: '$hub.broadcastAll({ ...$1 })',
        isConnected: '$hub.isOnline(String($1))',
        size: '$hub.listConnectedUsers().length',
      },
    },
    { module: NOTIFIER, class: 'NotifierService', members: { notify: "$hub.sendToUser(String($1), { type: 'ANNOUNCE', text: $2 })" } },
  ],
  // the type the app imports from the legacy module goes with the class (discover proposes it)
  moves: [{ from: LEGACY, name: 'AuditEntry', to: 'src/realtime/presence.service' }],
  splits: [{ module: LEGACY, class: 'RealtimeService', to: 'src/realtime/presence.service', keep: ['audit', 'connect', 'disconnect', 'record', 'history'] }],
  // TypeScript 5.9 (TypeScript 7 has no baseUrl). One compile per verification: the typecheck also emits the app into build/
  // (ignored), which the test command then runs (the runner runs the typecheck first, every time); a second tsc only to
  // emit cost ~2.8 CPU-s a verification, nearly all of it loading the compiler and parsing the libraries, not checking.
  verify: {
    typecheck: `node ${JSON.stringify(TSC)} -p tsconfig.json`,
    test: 'NODE_PATH=build node --experimental-require-module --no-warnings build/test/smoke.js',
  },
};

let repo = '';
let outcomes: PhaseOutcome[] = [];
let shim: PhaseOutcome | undefined;

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), 'split-backend-'));
  writeFiles(repo, { ...FILES, 'tsconfig.json': TSCONFIG, 'ssot.config.json': `${JSON.stringify(MANIFEST, null, 2)}\n` });
  linkToolkitModules(repo);
  initAndCommit(repo);
  outcomes = await runAll(repo);
  if (outcomes.find((o) => o.phase === 'remove-shim')?.step === 'gate') shim = await runPhase(repo, 'remove-shim', { options: { withoutTelemetry: 'a generated NestJS-shaped test backend' } });
}, 900_000);

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

const show = (rev: string, file: string): string => git(repo, 'show', `${rev}:${file}`);
const commitOf = (phase: string): string => git(repo, 'log', '--format=%H', '--grep', `^ssot(${phase})`).trim();

describe('a NestJS-shaped backend whose legacy provider is split (splits[])', () => {
  it('commits every phase, each verified by tsc and the loopback run, and ends at 100% with the legacy module deleted', () => {
    for (const p of BUILTIN_PHASES.map((x) => x.name)) {
      const o = p === 'remove-shim' ? (shim ?? outcomes.find((x) => x.phase === p)!) : outcomes.find((x) => x.phase === p)!;
      expect(o.status, `${p}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
      if (o.verification?.summary !== 'no files changed; nothing to verify') expect(o.verification?.summary, p).toMatch(/typecheck 0->0 errors; tests pass -> pass/);
    }
    expect((shim ?? outcomes.find((x) => x.phase === 'remove-shim'))?.compliance?.after).toBe(100);
    expect(existsSync(path.join(repo, `${LEGACY}.ts`))).toBe(false);
    expect(existsSync(path.join(repo, `${LEGACY}.legacy.ts`))).toBe(false);
    expect(existsSync(path.join(repo, `${NOTIFIER}.legacy.ts`))).toBe(false);
    for (const f of ['src/realtime/presence.service.ts', 'src/http/controller.ts', 'src/realtime/gateway.ts', 'src/app.module.ts']) expect(readFileSync(path.join(repo, f), 'utf8'), f).not.toContain('TODO(ssot)');
  });

  it('strangle leaves the module the split emptied as it is (it exports nothing: no facade of nothing, no frozen body); remove-shim deletes it; status reads 100% with no marker', async () => {
    const strangled = commitOf('strangle');
    expect(show(strangled, `${LEGACY}.ts`)).toBe(show(commitOf('move-declarations'), `${LEGACY}.ts`));
    expect(() => show(strangled, `${LEGACY}.legacy.ts`)).toThrow();
    expect(git(repo, 'log', '-1', '--format=%s', strangled)).toContain(`legacy module(s) export nothing (${LEGACY}.ts): left as they are, remove-shim deletes them`);
    // and remove-shim's subject does not call that module a facade with a frozen body
    expect(git(repo, 'log', '-1', '--format=%s', commitOf('remove-shim'))).toContain(`deleted 1 facade(s) and their frozen legacy code and 1 legacy module(s) with no facade or frozen body (${LEGACY}.ts)`);
    // the other legacy module still gets its facade
    expect(show(strangled, `${NOTIFIER}.legacy.ts`)).toContain('export class NotifierService');
    const s = await repoStatus(repo);
    expect(s).toMatchObject({ compliance: 100, legacyImportSites: 0, todoMarkers: [] });
    expect(s.phases.filter((p) => p.state !== 'done')).toEqual([]);
  });

  it('move-declarations moves the class whole, decorator and constructor with it; every import follows and the provider list is untouched', () => {
    const rev = commitOf('move-declarations');
    const moved = show(rev, 'src/realtime/presence.service.ts');
    expect(moved).toContain('@Injectable()\nexport class RealtimeService {');
    expect(moved).toContain('constructor(private readonly store: StoreService) {}');
    expect(moved).toContain('register(userId: number, socket: WebSocket): void {');
    expect(moved).not.toMatch(/from '\.\/presence\.service'/); // no import of itself (the moved AuditEntry is local)
    expect(show(rev, 'src/app.module.ts')).toContain("import { RealtimeService } from 'src/realtime/presence.service';");
    expect(show(rev, 'src/app.module.ts')).toContain('providers: [StoreService, RealtimeService, Gateway, Controller]');
    expect(show(rev, 'src/realtime/gateway.ts')).toContain("import { RealtimeService } from './presence.service';");
  });

  it('remove-adapters rewrites the socket members through their templates, in the kept members too, then deletes them with the imports only they used', () => {
    const app = unhoisted(readFileSync(path.join(repo, 'src/realtime/presence.service.ts'), 'utf8'));
    expect(app).toContain("import { hubOperations } from 'ssot-migrate/canonical';");
    expect(app).toContain('(hubOperations().disconnect(String(userId)), hubOperations().connect(String(userId), socket, { connectionId: String(userId) }));');
    expect(app).toContain("if (hubOperations().isOnline(String(friend))) hubOperations().sendToUser(String(friend), { ...{ type: 'STATUS', id: userId, status: 'ONLINE' } });");
    expect(app).toContain('hubOperations().disconnect(String(userId));');
    for (const gone of ['sockets', 'register(', 'unregister(', 'push(message', 'pushAll(', 'isConnected(', 'get size()', "from './messages'"]) expect(app, gone).not.toContain(gone);
    // what stays: the kept members, the constructor (DI), the audit state; `this.audit.push` is an array's, not the deleted member
    for (const kept of ['private audit: AuditEntry[] = [];', 'constructor(private readonly store: StoreService) {}', 'this.audit.push({ event, at: Date.now() });', 'history(): AuditEntry[] {', "import type { WebSocket } from 'ws';"]) expect(app, kept).toContain(kept);
    const controller = unhoisted(readFileSync(path.join(repo, 'src/http/controller.ts'), 'utf8'));
    expect(controller).toContain("this.realtime.record('dm');");
    expect(controller).toContain('return hubOperations().listConnectedUsers().length;');
    expect(controller).toContain('constructor(private readonly store: StoreService, private readonly realtime: RealtimeService) {}');
  });

  it('the injected legacy wrapper: its unread parameter leaves the handler at remove-adapters; the split member its frozen body calls stays declared until remove-shim deletes both', () => {
    const rev = commitOf('remove-adapters');
    const handler = unhoisted(show(rev, 'src/jobs/job.handler.ts'));
    expect(handler).toContain('constructor(private readonly store: StoreService) {}');
    expect(handler).toContain("hubOperations().sendToUser(String(userId), { type: 'ANNOUNCE', text: 'job done' });");
    expect(handler).not.toContain('NotifierService');
    // push stays (the frozen wrapper calls it), with the socket map it reads
    expect(show(rev, 'src/realtime/presence.service.ts')).toContain('push(message: Outbound, userId: number): void {');
    const shimRev = commitOf('remove-shim');
    expect(git(repo, 'show', '--format=%B', '--no-patch', shimRev)).toContain('SSOT-Split-Members: RealtimeService.sockets, RealtimeService.push');
    expect(readFileSync(path.join(repo, 'build/src/jobs/job.handler.js'), 'utf8')).toMatch(/__metadata\("design:paramtypes", \[store_service_1\.StoreService\]\)/);
  });

  it('experimentalDecorators / emitDecoratorMetadata survive: the compiled app still names the app class as the injected type, and runs', () => {
    const out = execFileSync('sh', ['-c', MANIFEST.verify.test], { cwd: repo, encoding: 'utf8' });
    expect(out).toContain('ok [');
    expect(out).toContain('connect,connect,dm,disconnect,disconnect');
    expect(readFileSync(path.join(repo, 'build/src/http/controller.js'), 'utf8')).toMatch(/__metadata\("design:paramtypes", \[store_service_1\.StoreService, presence_service_1\.RealtimeService\]\)/);
  });
});
