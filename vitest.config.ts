import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/helpers/longest-first.js';

// The codemods' and the manifest's tests share no process state (no hub, shim runtime, signal
// handlers or module mocks; the two that set an environment variable put it back): their files
// run one after another in a reused worker, which keeps TypeScript and ts-morph loaded and warm
// instead of importing them again for each file (codemods/engine alone: CPU 53 -> 39 s).
const SHARED_WORKER = ['{codemods,manifest}/**/*.test.ts'];

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**', '**/__testfixtures__/**', 'examples/**'],
    // Network and git tests are real; give them room but keep runaway tests bounded.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's run-mode default is one worker fewer than the cores (one on a 2-core CI machine), but most
    // files here wait on child processes (git, tsc, redis-server, sockets): one worker per core halves the wall time.
    maxWorkers: availableParallelism(),
    globalSetup: ['test/helpers/build-dist.ts'],
    // A fresh clone has no results cache to order by: the longest files start first, from committed durations.
    sequence: { sequencer: LongestFirst },
    // (each project's include is its own: `extends` would concatenate a root include with it)
    projects: [
      { extends: true, test: { name: 'shared-worker', include: SHARED_WORKER, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ['{canonical,shim,scripts,test}/**/*.test.ts'] } },
    ],
  },
});
