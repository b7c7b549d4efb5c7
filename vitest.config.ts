import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/helpers/longest-first.js';

/**
 * The unit tests of canonical/, codemods/ and manifest/ run without isolation: one worker process
 * runs file after file and evaluates typescript, ts-morph and the toolkit's modules once, not once
 * per file (vitest 4 keeps a non-isolated worker's module graph between files: module state is
 * shared). None of these files leaves process.env, the working directory, a global or a module's
 * state changed for the files after it: run twice each in one worker (a copy of every file,
 * `--no-isolate --maxWorkers=1`), all pass. shim/ does not: its tests share the process-wide shim
 * runtime (telemetry counts, modes), and four of them failed on their second run there — with
 * everything under test/ (CLIs, repos, servers) it keeps one process per file.
 */
const UNIT = ['canonical/**/*.test.ts', 'codemods/**/*.test.ts', 'manifest/**/*.test.ts'];
/**
 * Integration files that run without isolation too, in a project of their own: one worker process runs
 * them file after file, and the toolkit's modules (the runner, typescript, ts-morph) load once per
 * worker instead of once per file: one worker each, the 41 files of up to 5 s took 110.7 / 120.0 CPU-s
 * isolated and 65.2 / 62.6 not; the 21 of 6-8 s 171.3 isolated and 141.9 not (~1.1-1.4 CPU-s a file).
 * None changes process state that the file after it would see (process.env, the working directory,
 * process handlers, the shim runtime, mocks; its servers and repos are its own, closed and removed):
 * run twice each in one worker (a copy of every file, `--no-isolate --maxWorkers=1`), all pass — the first
 * 62 (issue 21 ci10), then 21 of 9-18 s (2026-12-05: the runner's repo tests, cli/basics, bundle,
 * multi-instance.redis, cjs-object and the small backend files; 42 files, 186 tests passed in 450 s),
 * then 10 of 24-45 s (2026-12-05, ci12: the all-phases files of the object, static, free-function
 * (and its commonjs), lookup, cjs and javascript backends, codemods/legacy-app, runner/rewritten-history,
 * cli/init; 20 files, 112 tests passed in 792 s at load ~8), then runner/interrupt, runner/chaos and
 * runner/interrupt-processes (2026-12-05, ci15: with runner/lock-cli and runner/rewritten-history, 10 files,
 * 92 tests passed in 462 s at load ~5-7; their in-process runs — discover, rewrite-imports, status —
 * load the runner, typescript and ts-morph once per worker then), and runner/runner (passes twice in one
 * worker; the one listener it leaves, an 'exit' one, is the one every runner file here leaves once a
 * worker has loaded the toolkit — checked with listener counts before/after each file — not one per file).
 * Then runner/git-calls and runner/head-moved (2026-12-05, ci19: both twice in one worker, 8 passed; they start
 * the built CLI and change no process state), and dashboard.browser and redis-decoder.redis (ci19: twice each, 18
 * passed; review.browser, sharing their Chromium helper, was already here).
 * The others keep one process per file: not checked that way yet (the longest ones — pack, relay and
 * split all-phases, e2e, prometheus-verdict — where the saving is
 * relatively small), or changing process state: dashboard.test
 * (SSOT_DASHBOARD_TOKEN), one-snapshot (in-process CLI runs, stdout mocks), bus.redis (a process
 * 'warning' handler), the shim/ tests.
 */
export const SHARED_INTEGRATION = [
  'scripts/runner/health-cache.test.ts',
  'test/architecture/layering.test.ts',
  'test/bench/canonical-latency.test.ts',
  'test/bench/format-ratio.test.ts',
  'test/bench/readme-table.test.ts',
  'test/bench/scale-pairs.test.ts',
  'test/cjs-backend/all-phases.test.ts',
  'test/cjs-backend/early-warnings.test.ts',
  'test/cjs-object-backend/all-phases.test.ts',
  'test/cli/basics.test.ts',
  'test/cli/discover-proposals.test.ts',
  'test/cli/init.test.ts',
  'test/codemods/cli.test.ts',
  'test/codemods/git-prefilter.test.ts',
  'test/codemods/legacy-app.test.ts',
  'test/codemods/prettier-diff.test.ts',
  'test/codemods/spill-write.test.ts',
  'test/docs/commands.test.ts',
  'test/docs/public-backends.test.ts',
  'test/docs/readme.test.ts',
  'test/free-function-backend/all-phases.test.ts',
  'test/free-function-backend/commonjs.test.ts',
  'test/free-function-backend/remove-adapters-summary.test.ts',
  'test/gen-monorepo/gen-monorepo.test.ts',
  'test/javascript-backend/all-phases.test.ts',
  'test/legacy-app/census.test.ts',
  'test/legacy-app/decisions.test.ts',
  'test/legacy-app/runnable-copy.test.ts',
  'test/legacy-use/global-scripts.test.ts',
  'test/legacy-use/marker-ids.test.ts',
  'test/legacy-use/same-verdict.test.ts',
  'test/lookup-backend/all-phases.test.ts',
  'test/lookup-backend/remove-adapters-summary.test.ts',
  'test/manifest-check/check-repo.test.ts',
  'test/manifest-check/field-members.test.ts',
  'test/manifest-check/injection.test.ts',
  'test/manifest-check/lookup-chains.test.ts',
  'test/manifest-check/pure-move.test.ts',
  'test/object-backend/all-phases.test.ts',
  'test/object-backend/type-error.test.ts',
  'test/package/bundle.test.ts',
  'test/package/declaration-syntax.test.ts',
  'test/package/types-versions.test.ts',
  'test/dashboard/dashboard.browser.test.ts',
  'test/redis/emit-now.redis.test.ts',
  'test/redis/instance-startup.redis.test.ts',
  'test/redis/monitor-helper.redis.test.ts',
  'test/redis/multi-instance.redis.test.ts',
  'test/redis/redis-decoder.redis.test.ts',
  'test/relay-backend/boot-construction.test.ts',
  'test/relay-backend/dead-references.test.ts',
  'test/relay-backend/declaration-deletion.test.ts',
  'test/relay-backend/discover.test.ts',
  'test/relay-backend/held-casts.test.ts',
  'test/relay-backend/instances.test.ts',
  'test/relay-backend/interface-entry.test.ts',
  'test/relay-backend/member-rewrite.test.ts',
  'test/relay-backend/move-declarations.test.ts',
  'test/relay-backend/runnable.test.ts',
  'test/review/review.browser.test.ts',
  'test/review/review.test.ts',
  'test/runner/allow-dirty.test.ts',
  'test/runner/chaos.test.ts',
  'test/runner/cli.test.ts',
  'test/runner/commit-scale.test.ts',
  'test/runner/concurrent-operations.test.ts',
  'test/runner/confine.test.ts',
  'test/runner/custom-phase.test.ts',
  'test/runner/discover-readonly.test.ts',
  'test/runner/disk-full.test.ts',
  'test/runner/dropped-write-figures.test.ts',
  'test/runner/dry-run-patch.test.ts',
  'test/runner/empty-commit-health.test.ts',
  'test/runner/git-calls.test.ts',
  'test/runner/git-children-sync.test.ts',
  'test/runner/git-lock-no-proc.test.ts',
  'test/runner/hand-history.test.ts',
  'test/runner/head-moved.test.ts',
  'test/runner/ignored-outputs.test.ts',
  'test/runner/interrupt-processes.test.ts',
  'test/runner/interrupt.test.ts',
  'test/runner/junit.test.ts',
  'test/runner/ledger-folded-note-gone.test.ts',
  'test/runner/ledger-gaps.test.ts',
  'test/runner/lock-cli.test.ts',
  'test/runner/lock-race.test.ts',
  'test/runner/lock-temp.test.ts',
  'test/runner/no-stray-processes.test.ts',
  'test/runner/phase-evidence.test.ts',
  'test/runner/remove-shim-gate.test.ts',
  'test/runner/revert-of-revert.test.ts',
  'test/runner/rewritten-history.test.ts',
  'test/runner/run-offers-recovery.test.ts',
  'test/runner/runner.test.ts',
  'test/runner/set-aside-retention.test.ts',
  'test/runner/status-unparsed.test.ts',
  'test/runner/undone-commit-note.test.ts',
  'test/runner/verify-outputs.test.ts',
  'test/runner/verify-report.test.ts',
  'test/runner/verify.test.ts',
  'test/split-backend/init-draft.test.ts',
  'test/static-backend/all-phases.test.ts',
  'test/static-backend/init.test.ts',
];
const EXCLUDE = ['**/node_modules/**', '**/__testfixtures__/**', 'examples/**'];

// Per project (the projects below copy them; `extends: true` would also run the global setup once per project).
const shared = {
  exclude: EXCLUDE,
  // Network and git tests are real; give them room but keep runaway tests bounded.
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    // Vitest's run-mode default is one worker fewer than the cores (one on a 2-core CI machine), but most
    // files here wait on child processes (git, tsc, redis-server, sockets): one worker per core halves the wall time.
    maxWorkers: availableParallelism(),
    globalSetup: ['test/helpers/build-dist.ts'],
    // A fresh clone has no results cache to order by: the longest files start first, from committed durations.
    sequence: { sequencer: LongestFirst },
    projects: [
      { test: { ...shared, name: 'unit', include: UNIT, isolate: false } },
      { test: { ...shared, name: 'integration', include: ['{shim,scripts,test}/**/*.test.ts'], exclude: [...EXCLUDE, ...SHARED_INTEGRATION] } },
      { test: { ...shared, name: 'integration-shared', include: SHARED_INTEGRATION, isolate: false } },
    ],
  },
});
