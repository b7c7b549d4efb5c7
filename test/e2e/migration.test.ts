/**
 * The whole migration on a real copy of examples/legacy-app: discover → strangle →
 * consolidate-types → rewrite-imports → remove-adapters → remove-shim, each one verified
 * commit (the app's own typecheck and tests), then: no legacy path or name left, compliance
 * 100%, tsc clean, the five-event suite green, and the concurrency test that fails on the
 * legacy code passing at 100%.
 * The phases are the ones the app's manifest selects, in the registry's order. remove-shim's gate
 * reads real telemetry: a process with every facade loaded under the shim covers the window
 * (as the demo does); the ids no process can install are accepted on a stated reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { legacyComments, repoVocabulary, RepoSnapshot } from '../../codemods/index.js';
import { makeScratchRepo, observedGateOptions, startObservedService, WINDOW_PHASE } from '../../scripts/demo.js';
import { repoStatus, runPhase, type PhaseOutcome } from '../../scripts/runner/index.js';
import { legacyModuleIds } from '../../codemods/strangle/index.js';
import { threadedChainsIn } from '../../codemods/remove-adapters/index.js';
import { expectCommittedTreeVerified } from '../helpers/phased-migration.js';

describe('the full migration of examples/legacy-app', () => {
  let repo = '';
  const outcomes: PhaseOutcome[] = [];
  /** Where the app's suite, run right after strangle, records its calls through the facades (outside the repo, as on a host). */
  const telemetryDir = mkdtempSync(path.join(os.tmpdir(), 'ssot-e2e-telemetry-'));
  afterAll(() => {
    if (repo && process.env['SSOT_KEEP_E2E'] !== '1') rmSync(repo, { recursive: true, force: true });
    rmSync(telemetryDir, { recursive: true, force: true });
  });

  it('runs every phase as one verified commit', async () => {
    repo = await makeScratchRepo();
    const isolation = spawnSync('npm', ['run', '--silent', 'test:isolation'], { cwd: repo, encoding: 'utf8' });
    expect(isolation.status, 'the concurrency test fails on the legacy code by design').not.toBe(0);
    const phases = (await RepoSnapshot.open(repo)).phases.selected.map((e) => e.phase.name);
    for (const phase of phases) {
      if (phase === WINDOW_PHASE) {
        // the tool alone, with the manifest as the only human input, left no legacy import and no marker
        expect(spawnSync('git', ['grep', '-n', 'TODO(ssot)', '--', 'src', 'test'], { cwd: repo, encoding: 'utf8' }).stdout).toBe('');
        // the calls the app's own suite made through the facades after strangle: in use, and in use always refuses
        const inUse = await runPhase(repo, phase, { dryRun: true, options: { telemetry: [telemetryDir] } });
        expect(inUse).toMatchObject({ status: 'refused', step: 'gate' });
        expect(inUse.reason).toMatch(/\b[1-9]\d* in use\b/);
        // no import left, but no telemetry either: still shut
        const blind = await runPhase(repo, phase, { dryRun: true });
        expect(blind.reason).toMatch(/^no telemetry given/);
        const service = await startObservedService(repo);
        try {
          const gate = await observedGateOptions(repo, service);
          expect(service.ids.length).toBeGreaterThan(gate.blind.length);
          const o = await runPhase(repo, phase, { options: gate.options });
          outcomes.push(o);
          expect(o.status, `${phase}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
          const trailers = (key: string) => execFileSync('git', ['log', '-1', `--format=%(trailers:key=${key},valueonly)`], { cwd: repo, encoding: 'utf8' }).trim();
          expect(trailers('SSOT-Telemetry')).toMatch(new RegExp(`^${service.ids.length} id\\(s\\) unused`));
          for (const id of service.ids) expect(trailers('SSOT-Telemetry-Verdicts')).toContain(`${id} unused 100.0%`);
          for (const id of gate.blind) expect(trailers('SSOT-Telemetry-Verdicts')).toContain(`${id} unknown`);
        } finally {
          await service.stop();
        }
        continue;
      }
      const o = await runPhase(repo, phase);
      outcomes.push(o);
      expect(o.status, `${phase}: ${o.step ?? ''} ${o.reason ?? ''}`).toBe('committed');
      if (phase === 'strangle') {
        // the unchanged suite through the facades, its calls recorded by the shim (read by remove-shim's gate above)
        // (without this vitest's worker settings, which a nested vitest would take for its own, or a shim mode)
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|VITEST|NODE_OPTIONS$|SSOT_SHIM)/i.test(k)));
        const suite = spawnSync('npm', ['test', '--silent'], { cwd: repo, encoding: 'utf8', env: { ...env, SSOT_SHIM_TELEMETRY: path.join(telemetryDir, 'suite.jsonl') } });
        expect(suite.status, suite.stdout + suite.stderr).toBe(0);
        expect(spawnSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' }).stdout).toBe('');
      }
    }
    const log = execFileSync('git', ['log', '--format=%s'], { cwd: repo, encoding: 'utf8' }).trim().split('\n').reverse();
    // one commit per phase and nothing else: no hand-made commit in between
    expect(log.slice(1).map((s) => /^ssot\(([\w-]+)\)/.exec(s)?.[1] ?? s)).toEqual(phases);
    expect(threadedChainsIn(log.find((s) => s.startsWith('ssot(remove-adapters)')) ?? '')).toBeGreaterThan(0);
    const adapters = outcomes.find((o) => o.phase === 'remove-adapters')!;
    expect(adapters.compliance!.after).toBeGreaterThan(adapters.compliance!.before);
  }, 1_800_000);

  it('leaves no legacy path or name, 100% compliance, tsc clean, the suites green and isolation at 100%', async () => {
    expect(outcomes.every((o) => o.status === 'committed')).toBe(true);
    const snapshot = await RepoSnapshot.open(repo);
    const manifest = snapshot.manifest;
    const files = execFileSync('git', ['ls-files'], { cwd: repo, encoding: 'utf8' }).split('\n');
    for (const id of legacyModuleIds(manifest)) expect(files.some((f) => f.replace(/\.[cm]?ts$/, '') === id || f.includes(`${id}.legacy.`))).toBe(false);
    const names = new Set<string>([...manifest.legacy.flatMap((l) => Object.keys(l.symbols).filter((n) => n !== 'default' && !manifest.canonical.exports.includes(n))), ...manifest.adapters.map((a) => a.class)]);
    expect(names.size).toBeGreaterThan(5);
    const grep = spawnSync('git', ['grep', '-n', '-w', ...[...names].flatMap((n) => ['-e', n]), '--', 'src', 'test'], { cwd: repo, encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    // the manifest's deletions: two files, and one declaration of a file that stays
    const deletions = manifest.deletions ?? [];
    for (const d of deletions) {
      if (d.declaration === undefined) expect(existsSync(path.join(repo, d.path)), d.path).toBe(false);
      else expect(readFileSync(path.join(repo, d.path), 'utf8')).not.toMatch(new RegExp(`\\b${d.declaration}\\b`));
    }
    expect(deletions.filter((d) => d.declaration !== undefined).length).toBeGreaterThan(0);
    // nor in comments: the manifest's comment policy (rewrite) left no mention of a legacy name, alias, module or term
    const sources = files.filter((f) => /^(src|test)\/.*\.[cm]?tsx?$/.test(f));
    expect(sources.length).toBeGreaterThan(30);
    expect(legacyComments(sources, (f) => snapshot.read(f), repoVocabulary(snapshot), false).mentions).toEqual([]);
    const removeShim = execFileSync('git', ['log', '-1', '--format=%(trailers:key=SSOT-Legacy-Mentions,valueonly)'], { cwd: repo, encoding: 'utf8' }).trim();
    expect(removeShim).toBe('0 in comments (policy rewrite)');
    // markers in code (the app's docs and its manual-fix patch talk about them)
    expect(spawnSync('git', ['grep', '-n', 'TODO(ssot)', '--', 'src', 'test'], { cwd: repo, encoding: 'utf8' }).stdout).toBe('');
    expect((await snapshot.figures()).compliance).toBe(100);
    // status answers "safe to delete?" with the deleting commit and its gate's evidence, not a fresh "not yet"
    const status = await repoStatus(repo);
    expect(status.deleted?.commit).toBe(outcomes.find((o) => o.phase === 'remove-shim')?.commit);
    expect(status.deleted?.telemetry).toMatch(/id\(s\) unused/);
    expect(status.comments).toEqual({ policy: 'rewrite', mentions: [] });
    // tsc clean and the suite green on what is committed: as remove-shim's verification ran them on this tree
    // (the runner's figures for HEAD read back, not the same commands run a second time)
    expect(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim()).toBe(status.deleted?.commit);
    await expectCommittedTreeVerified(repo);
    const isolation = spawnSync('npm', ['run', '--silent', 'test:isolation'], { cwd: repo, encoding: 'utf8' });
    expect(isolation.stdout + isolation.stderr).toMatch(/success rate 100\.0%/);
    expect(isolation.status).toBe(0);
  }, 600_000);
});
