import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Mirror tsconfig "paths": "@app/*" -> "./src/*".
    alias: [{ find: /^@app\//, replacement: fileURLToPath(new URL('./src/', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The JUnit file is the manifest's verify.testReport.
    reporters: ['default', 'junit'],
    outputFile: { junit: 'reports/junit.xml' },
    testTimeout: 30_000,
  },
});
