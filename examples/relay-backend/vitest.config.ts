import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Same as tsconfig "paths": "@realtime/*" -> "./src/realtime/*".
    alias: [{ find: /^@realtime\//, replacement: fileURLToPath(new URL('./src/realtime/', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Worker threads start faster than forked processes, and no test here needs a process of its
    // own (none changes the working directory or exits).
    pool: 'threads',
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/junit.xml' },
    testTimeout: 20_000,
  },
});
