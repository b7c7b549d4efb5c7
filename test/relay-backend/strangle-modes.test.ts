/**
 * examples/relay-backend after `strangle` (issue #16): the canonical-mode objects are generated
 * from the manifest's member templates, so the app's own suite passes in canonical, legacy and
 * shadow modes and fails with DeprecatedApiError in strict mode; every public member of the
 * legacy hub class is callable on the canonical-mode object with the facade's declared type
 * (compiled by tsc, run under the shim), and sockets attached through the legacy API are the
 * ones canonical managers send to. Real processes (the CLI, tsc, vitest, tsx) in a git copy.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Project } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const TOOLKIT = fileURLToPath(new URL('../../', import.meta.url));
const APP = join(TOOLKIT, 'examples/relay-backend');
const BIN = join(TOOLKIT, 'bin/ssot-migrate.js');
const childEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'SSOT_SHIM'));

async function sh(cwd: string, cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env: { ...childEnv, ...env }, timeout: 240_000, maxBuffer: 16 << 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

let copy: string;
let strangleOutput = '';

beforeAll(async () => {
  copy = join(await mkdtemp(join(tmpdir(), 'relay-strangle-')), 'app');
  await cp(APP, copy, { recursive: true, filter: (src) => !/[\\/](node_modules|reports|\.ssot)([\\/]|$)/.test(src.slice(APP.length)) });
  await run(join(copy, 'link-toolkit.sh'), [TOOLKIT], { timeout: 30_000 });
  const git = (...args: string[]) => run('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: copy });
  await git('init', '-q');
  await git('add', '-A');
  await git('commit', '-qm', 'relay backend');
  for (const phase of ['discover', 'move-declarations', 'strangle']) {
    const r = await sh(copy, process.execPath, [BIN, 'run', phase, '--repo', copy]);
    expect(r.code, r.output).toBe(0);
    if (phase === 'strangle') strangleOutput = r.output;
  }
}, 600_000);

afterAll(async () => {
  if (copy) await rm(join(copy, '..'), { recursive: true, force: true });
});

const vitest = (mode: string) => sh(copy, 'npx', ['vitest', 'run', '--reporter=json', '--outputFile=reports/modes.json'], { SSOT_SHIM: `*=${mode}`, SSOT_SHIM_TELEMETRY: 'off' });
async function results(): Promise<{ passed: number; failed: number; messages: string[] }> {
  const json = JSON.parse(await readFile(join(copy, 'reports/modes.json'), 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { assertionResults: { failureMessages: string[] }[] }[];
  };
  return { passed: json.numPassedTests, failed: json.numFailedTests, messages: json.testResults.flatMap((f) => f.assertionResults.flatMap((a) => a.failureMessages)) };
}

describe('relay-backend after strangle', () => {
  it('committed facades whose canonical side is generated from classes[] (no hand-written proxy)', async () => {
    expect(strangleOutput).toMatch(/tests 19\/19 passed -> 19\/19 passed/);
    const hub = await readFile(join(copy, 'src/realtime/hub.ts'), 'utf8');
    expect(hub).toContain('const canonicalRealtimeHub = canonicalTable<frozen.RealtimeHub>({');
    expect(hub).toContain("attach: (self, a1, a2) => self.hub.connect(a1, a2, { greeting: (connectionId) => ({ type: 'hello', connectionId }) }),");
    expect(hub).toContain("legacy: ['bindScope', 'currentScope'],");
    // the run-time mode has no canonical counterpart: the manifest retires it (setMode ignored, always live)
    expect(hub).toContain('setMode: (_self, a1) => void a1,');
    const registry = await readFile(join(copy, 'src/realtime/registry.ts'), 'utf8');
    expect(registry).toMatch(/defineLegacyFactoryClass\([^\n]*frozenManager: frozenHub\.RealtimeHub, canonical: canonicalRealtimeHub/);
    const pusher = await readFile(join(copy, 'src/realtime/pusher.ts'), 'utf8');
    expect(pusher).toContain("detached: ['pushStarted', 'pushThinking', 'pushToolStart', 'pushToolDone', 'pushFinished'],");
    expect(pusher).toContain("statics: ['forCurrentRequest'],");
  });

  for (const mode of ['canonical', 'legacy', 'shadow']) {
    it(`passes its own suite in ${mode} mode`, async () => {
      await vitest(mode);
      const r = await results();
      expect(r, r.messages.join('\n')).toMatchObject({ passed: 19, failed: 0 });
    }, 300_000);
  }

  it('throws DeprecatedApiError in strict mode', async () => {
    await vitest('strict');
    const r = await results();
    expect(r.passed).toBe(0);
    expect(r.failed).toBe(19);
    for (const m of r.messages) expect(m).toMatch(/DeprecatedApiError: RLY\d{3}: .* is deprecated and this id is in strict mode/);
  }, 300_000);

  it('every public member of RealtimeHub compiles against the facade type and runs on the canonical-mode object', async () => {
    // the members, from the type checker (so a member added to the class is not missed here)
    const project = new Project({ tsConfigFilePath: join(copy, 'tsconfig.json'), skipAddingFilesFromTsConfig: true });
    const cls = project.addSourceFileAtPath(join(copy, 'src/realtime/hub.legacy.ts')).getClassOrThrow('RealtimeHub');
    const members = [...cls.getInstanceMethods(), ...cls.getInstanceProperties()].filter((m) => !m.getText().trimStart().startsWith('private')).map((m) => m.getName()).sort();
    const calls: Record<string, string> = {
      attach: "hub.attach('alice', socket)",
      detach: 'hub.detach(id)',
      publishToUser: "hub.publishToUser('alice', { type: 'notice', text: 'hi' })",
      broadcastAll: "hub.broadcastAll({ type: 'announcement' })",
      listConnectedUsers: 'hub.listConnectedUsers()',
      connectionCount: "[hub.connectionCount(), hub.connectionCount('alice')]",
      isOnline: "hub.isOnline('alice')",
      health: 'hub.health()',
      setMode: 'hub.setMode(HubMode.Degraded)',
      mode: 'hub.mode',
      bindScope: "hub.bindScope({ userId: 'alice', threadId: 't1', runId: 'r1' })",
      currentScope: 'hub.currentScope().runId',
    };
    expect(Object.keys(calls).sort()).toEqual(members);
    const order = ['attach', 'publishToUser', 'broadcastAll', 'listConnectedUsers', 'connectionCount', 'isOnline', 'setMode', 'mode', 'health', 'bindScope', 'currentScope', 'detach'];
    const script = [
      "import { HubRegistry } from './src/realtime/registry.js';",
      "import { RealtimeHub } from './src/realtime/hub.js';",
      // HubMode left the hub module (the manifest's moves)
      "import { HubMode } from './src/services/hub-mode.js';",
      "import { createWebSocketManager } from 'ssot-migrate/canonical';",
      'const frames: string[] = [];',
      'const socket = { send: (d: string) => { frames.push(d); } };',
      'const hub: RealtimeHub = HubRegistry.shared();',
      "const id = hub.attach('alice', socket);",
      'const out: Record<string, unknown> = {};',
      ...order.filter((m) => m !== 'attach' && m !== 'detach').map((m) => `out[${JSON.stringify(m)}] = ${calls[m]};`),
      "await createWebSocketManager({ userId: 'alice', threadId: 't1', runId: 'r1' }).emit('agent_started', { agentName: 'a' });",
      `out['detach'] = ${calls['detach']};`,
      "out['frames'] = frames.map((f) => JSON.parse(f).type);",
      "out['instanceOf'] = hub instanceof RealtimeHub;",
      "(await import('node:fs')).writeFileSync('members.out.json', JSON.stringify(out));",
      '',
    ].join('\n');
    await writeFile(join(copy, 'members.ts'), script);
    await writeFile(join(copy, 'tsconfig.members.json'), JSON.stringify({ extends: './tsconfig.json', include: ['members.ts'], compilerOptions: { noEmit: true } }));
    const tsc = await sh(copy, process.execPath, [join(TOOLKIT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.members.json']);
    expect(tsc, tsc.output).toMatchObject({ code: 0 });
    const r = await sh(copy, 'npx', ['tsx', 'members.ts'], { SSOT_SHIM: '*=canonical', SSOT_SHIM_TELEMETRY: 'off' });
    expect(r.code, r.output).toBe(0);
    const out = JSON.parse(await readFile(join(copy, 'members.out.json'), 'utf8')) as Record<string, unknown>;
    expect(out).toMatchObject({
      publishToUser: 1,
      broadcastAll: 1,
      listConnectedUsers: ['alice'],
      connectionCount: [1, 1],
      isOnline: true,
      mode: 'live',
      health: { status: 'ok', mode: 'live', users: 1, connections: 1 },
      currentScope: 'r1',
      detach: true,
      instanceOf: true,
    });
    // hello (greeting), the notice, the announcement, then the canonical manager's event on the socket attached through the legacy API
    expect(out['frames']).toEqual(['hello', 'notice', 'announcement', 'agent_started']);
  }, 300_000);
});
