import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Same as tsconfig "paths": "@realtime/*" -> "./src/realtime/*".
    alias: [{ find: /^@realtime\//, replacement: fileURLToPath(new URL('./src/realtime/', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/junit.xml' },
    testTimeout: 20_000,
  },
});
