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
      { test: { ...shared, name: 'integration', include: ['{shim,scripts,test}/**/*.test.ts'] } },
    ],
  },
});
