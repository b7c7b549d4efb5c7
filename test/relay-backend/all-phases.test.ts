/**
 * `run --all` on a committed copy of examples/relay-backend (a real git repo), with only its
 * manifest as human input: every phase up to remove-adapters is one verified commit (the app's
 * own typecheck and its 19 tests), compliance rises phase by phase, and no legacy import is left:
 * remove-shim's gate then asks only for telemetry. The example is a fixture no process runs, so
 * remove-shim is given `--without-telemetry "<reason>"` (the reason lands in the commit) and ends
 * the migration at 100% compliance, verified (issue #16/#17: "ends at 100% with every remaining
 * TODO a named boundary"). One run of the phases: the slowest relay test, so everything is
 * asserted on that one run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_PHASES, legacyComments, repoVocabulary, RepoSnapshot } from '../../codemods/index.js';
import { runAll, runPhase, type PhaseOutcome } from '../../scripts/runner/index.js';
import { git, initAndCommit, writeLinkedBackend } from '../helpers/git-repo.js';

const TOOLKIT = path.resolve(import.meta.dirname, '../..');
const APP = path.join(TOOLKIT, 'examples/relay-backend');

let repo = '';
let outcomes: PhaseOutcome[] = [];
/** remove-shim once more, after run --all stopped at its telemetry gate: without telemetry, on a stated reason. */
let shim: PhaseOutcome | undefined;
const NO_TELEMETRY = 'examples/relay-backend is a test fixture: never deployed, no process to observe';
const byPhase = (name: string): PhaseOutcome => outcomes.find((o) => o.phase === name) ?? { phase: name, status: 'skipped' as PhaseOutcome['status'] };

beforeAll(async () => {
  repo = mkdtempSync(path.join(tmpdir(), 'relay-all-'));
  // the example's tracked files only (no node_modules, reports or .ssot of a local run)
  const files = execFileSync('git', ['ls-files', '-z', '--', '.'], { cwd: APP, encoding: 'utf8' }).split('\0').filter(Boolean);
  writeLinkedBackend(repo, Object.fromEntries(files.map((f) => [f, readFileSync(path.join(APP, f), 'utf8')])));
  initAndCommit(repo);
  outcomes = await runAll(repo);
  if (byPhaseOf(outcomes, 'remove-shim').step === 'gate') shim = await runPhase(repo, 'remove-shim', { options: { withoutTelemetry: NO_TELEMETRY } });
}, 1_500_000);

function byPhaseOf(list: PhaseOutcome[], name: string): PhaseOutcome {
  return list.find((o) => o.phase === name) ?? { phase: name, status: 'skipped' as PhaseOutcome['status'] };
}

afterAll(() => {
  if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
});

describe('run --all on examples/relay-backend', () => {
  const phases = BUILTIN_PHASES.map((p) => p.name);
  const upToAdapters = phases.slice(0, phases.indexOf('remove-adapters') + 1);

  it('commits every phase up to remove-adapters, each verified by the app own typecheck and its 19 tests', () => {
    expect(outcomes.map((o) => o.phase)).toEqual(phases);
    for (const phase of upToAdapters) {
      const o = byPhase(phase);
      expect(o.status, `${phase}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
      expect(o.verification?.ok).toBe(true);
      expect(o.verification?.summary).toMatch(/typecheck 0->0 errors; tests 19\/19 passed -> 19\/19 passed/);
    }
    const subjects = git(repo, 'log', '--format=%s').trim().split('\n').reverse().slice(1);
    // and remove-shim's, run once more after run --all stopped at its telemetry gate (below)
    expect(subjects.map((s) => /^ssot\(([\w-]+)\)/.exec(s)?.[1])).toEqual([...upToAdapters, 'remove-shim']);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('raises compliance: rewrite-imports and remove-adapters each add compliant sites', () => {
    const ri = byPhase('rewrite-imports').compliance!;
    const ra = byPhase('remove-adapters').compliance!;
    expect(ri.after).toBeGreaterThan(ri.before);
    expect(ra.before).toBe(ri.after);
    // 100%: every legacy import site is gone after remove-adapters (65.5% when issue-16 was merged,
    // before dead manager values, parameter defaults and fields, went)
    expect(ra.after).toBe(100);
  });

  it('the manifest decided the hub mode: no setMode/health call is left to the frozen hub', () => {
    const review = byPhase('remove-adapters').needsReview ?? [];
    expect(review.filter((r) => /RealtimeHub\.(setMode|health|mode)\b|uses \$legacy/.test(r.message))).toEqual([]);
    const app = readFileSync(path.join(repo, 'src/http/app.ts'), 'utf8');
    expect(app).not.toContain('HubRegistry');
    expect(app).not.toContain('TODO(ssot)');
    // the synchronous digest job: its adapter (built through the barrel's namespace) is unwrapped, its context built from the payload
    const digest = readFileSync(path.join(repo, 'src/jobs/digest.ts'), 'utf8');
    expect(digest).not.toMatch(/RunEventPusher|HubRegistry|TODO\(ssot\)/);
    expect(digest).toContain('createWebSocketManager(scopeForJob(payload))');
  });

  it('leaves no TODO(ssot) but at a named boundary: the dead legacy values went instead of being marked', () => {
    // git grep exits 1 when nothing matches
    const grep = (...args: string[]): string => {
      try {
        return git(repo, 'grep', ...args);
      } catch {
        return '';
      }
    };
    const markers = grep('-n', 'TODO(ssot)', '--', 'src').trim().split('\n').filter(Boolean);
    for (const m of markers) expect(m).toContain('→ boundary: ');
    // 3 when issue-16 was merged (the public API's hub parameters, the framework-built
    // PresenceHandler's field): those values were unused once their members were rewritten, so they went
    expect(markers).toEqual([]);
    // the public API keeps its signatures: the unused hub parameter stays in its place, typed without a legacy name
    const gateway = readFileSync(path.join(repo, 'src/http/gateway.ts'), 'utf8');
    expect(gateway).toMatch(/export function acceptSocket\(req: [^)]*, socket: SocketLike, hub\?: unknown\): string/);
    expect(gateway).toMatch(/export function dropSocket\(connectionId: string, hub\?: unknown\): boolean/);
    const admin = readFileSync(path.join(repo, 'src/http/handlers/admin-handler.ts'), 'utf8');
    expect(admin).not.toMatch(/HubRegistry|HubStats|@ts-ignore|private readonly hub/);
    // the chains that reached a context are threaded: the rename (a userId three levels down), the typing indicator's timer, the jobs, the run handler
    expect(readFileSync(path.join(repo, 'src/services/notifications/thread-notices.ts'), 'utf8')).toContain('createWebSocketManager(ctx)');
    const run = readFileSync(path.join(repo, 'src/http/handlers/run-handler.ts'), 'utf8');
    expect(run).toContain('const hub = createWebSocketManager(scopeFromRequest(req));');
    expect(run).toContain('this.services.threads.history(hub.context.threadId)');
    expect(run).not.toMatch(/HubRegistry|RunEventPusher/);
  });

  it("remove-shim's gate finds no legacy import left, and asks only for telemetry", () => {
    const o = byPhase('remove-shim');
    expect(o.status).toBe('refused');
    expect(o.step).toBe('gate');
    // 9 imports of legacy modules when issue-16 was merged (20 before), 0 now
    expect(o.reason).toMatch(/^no telemetry given/);
  });

  it('remove-shim, without telemetry on a stated reason, ends the migration at 100%, verified', () => {
    expect(shim?.status, `${shim?.step ?? ''} ${shim?.reason ?? ''}`).toBe('committed');
    expect(shim?.verification?.ok).toBe(true);
    expect(shim?.verification?.summary).toMatch(/typecheck 0->0 errors; tests 19\/19 passed -> 19\/19 passed/);
    expect(shim?.compliance?.after).toBe(100);
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=SSOT-Without-Telemetry,valueonly)').trim()).toBe(NO_TELEMETRY);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    // every legacy module of the manifest is gone (facade and frozen copy), and the app's own typecheck and tests pass on what is committed
    const manifest = JSON.parse(readFileSync(path.join(APP, 'ssot.config.json'), 'utf8')) as { legacy: Array<{ module: string }> };
    for (const { module } of manifest.legacy) {
      expect(existsSync(path.join(repo, `${module}.ts`)), module).toBe(false);
      expect(existsSync(path.join(repo, `${module}.legacy.ts`)), module).toBe(false);
    }
    execFileSync('npm', ['run', '--silent', 'typecheck'], { cwd: repo, stdio: 'pipe' });
    execFileSync('npm', ['test', '--silent'], { cwd: repo, stdio: 'pipe' });
  });

  it('comments (the default policy, report): remove-shim edits none, and lists for review and in its commit every legacy mention the tree still has', async () => {
    const snapshot = await RepoSnapshot.open(repo);
    const files = git(repo, 'ls-files').split('\n').filter((f) => /\.[cm]?tsx?$/.test(f));
    const mentions = legacyComments(files, (f) => snapshot.read(f), repoVocabulary(snapshot), false).mentions;
    const trailer = git(repo, 'log', '-1', '--format=%(trailers:key=SSOT-Legacy-Mentions,valueonly)').trim();
    expect(trailer).toEqual(mentions.length ? expect.stringMatching(new RegExp(`^${mentions.length} in comments \\(policy report\\): `)) : '');
    expect((shim?.needsReview ?? []).filter((r) => r.message.startsWith('comment names ')).map((r) => `${r.file}:${r.line}`)).toEqual(mentions.map((m) => `${m.file}:${m.line}`));
    // report edits no doc: the commit modifies only the manifest's and tsconfig's exclude lists
    const modified = git(repo, 'show', '--name-status', '--format=', 'HEAD').split('\n').filter((l) => l.startsWith('M'));
    for (const l of modified) expect(l).toMatch(/\t(ssot\.config\.json|tsconfig\.json)$/);
  });
});
