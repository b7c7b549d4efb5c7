/**
 * rewrite-imports on a committed copy of relay-backend (a real git repo, the example stays
 * read-only) with a diagnostics sidecar added: it builds its own `RealtimeHub` at start-up and
 * parks it on `globalThis`; a reader casts the global back and only checks it is there. The cast
 * keeps `RealtimeHub` (and the reader its legacy type import): retyped to canonical it would
 * claim a value the global does not hold, and nothing the type guard checks would notice. A cast
 * of a global nothing stores a hub in is retyped as usual.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RepoSnapshot } from '../../codemods/index.js';
import { rewriteImportsPhase } from '../../codemods/rewrite-imports/phase.js';
import { initAndCommit, writeLinkedBackend } from '../helpers/git-repo.js';
import { RELAY_APP as APP } from './analyze-app.js';

const BOOT = 'src/diagnostics/boot.ts';
const READER = 'src/diagnostics/report.ts';
const OTHER = 'src/diagnostics/other.ts';
const sidecar: Record<string, string> = {
  [BOOT]: "import RealtimeHub from '../realtime/hub.js';\n\n/** Starts the diagnostics sidecar with a hub of its own. */\nexport function startDiagnostics(): void {\n  const hub = new RealtimeHub();\n  (globalThis as any).diagnosticsHub = hub;\n}\n",
  [READER]: "import type { RealtimeHub } from '../realtime/hub.js';\n\nexport function diagnosticsUp(): boolean {\n  const hub = (globalThis as any).diagnosticsHub as RealtimeHub;\n  return hub !== undefined;\n}\n",
  [OTHER]: "import type { RealtimeHub } from '../realtime/hub.js';\n\nexport function otherUp(): boolean {\n  const hub = (globalThis as any).somethingElse as RealtimeHub;\n  return hub !== undefined;\n}\n",
};
let repo = '';
afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

describe('rewrite-imports on relay-backend: a hub built at boot and parked on globalThis', () => {
  it('the reader keeps RealtimeHub (the global holds the legacy hub); a cast of another global is retyped', async () => {
    repo = mkdtempSync(path.join(tmpdir(), 'relay-held-'));
    const files = execFileSync('git', ['ls-files', '-z', '--', '.'], { cwd: APP, encoding: 'utf8' }).split('\0').filter(Boolean);
    writeLinkedBackend(repo, { ...Object.fromEntries(files.map((f) => [f, readFileSync(path.join(APP, f), 'utf8')])), ...sidecar });
    initAndCommit(repo);
    const p = await rewriteImportsPhase.plan(await RepoSnapshot.open(repo), {});
    const out = (f: string): string => String(p.writes.find((w) => w.path === f)?.content ?? sidecar[f]);
    expect(out(READER)).toBe(sidecar[READER]);
    expect(p.files!.find((f) => f.file === READER)?.problems.map((x) => x.message)).toEqual([expect.stringContaining(`\`(globalThis as any).diagnosticsHub\` holds the legacy RealtimeHub constructed at ${BOOT}:5, which stays legacy in this phase`)]);
    expect(out(BOOT)).toContain('new RealtimeHub()');
    expect(out(OTHER)).toContain('(globalThis as any).somethingElse as ScopedWebSocketManager;');
    expect(out(OTHER)).not.toContain('realtime/hub');
  }, 300_000);
});
