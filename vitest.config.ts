import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{canonical,shim,codemods,manifest,scripts,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/__testfixtures__/**', 'examples/**'],
    // Network and git tests are real; give them room but keep runaway tests bounded.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/helpers/build-dist.ts'],
  },
});
