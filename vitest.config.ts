import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/helpers/longest-first.js';

export default defineConfig({
  test: {
    include: ['{canonical,shim,codemods,manifest,scripts,test}/**/*.test.ts'],
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
  },
});
