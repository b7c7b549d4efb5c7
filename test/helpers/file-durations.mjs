#!/usr/bin/env node
/**
 * Writes test/helpers/file-durations.json — each test file's seconds in a full run, hooks included —
 * from the results cache of that run (`node test/helpers/file-durations.mjs
 * node_modules/.vite/vitest/<hash>/results.json`). The JSON report's per-file times are not
 * usable: they span first to last test and leave out beforeAll/afterAll.
 */
import { readFileSync, writeFileSync } from 'node:fs';

const [cache] = process.argv.slice(2);
if (!cache) throw new Error('usage: node test/helpers/file-durations.mjs <results.json of a full vitest run>');
const { results } = JSON.parse(readFileSync(cache, 'utf8'));
const seconds = Object.fromEntries(
  results
    .map(([key, r]) => [key.replace(/^[^:]*:/, ''), Math.max(1, Math.round(r.duration / 1000))])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)),
);
writeFileSync(new URL('./file-durations.json', import.meta.url), `${JSON.stringify(seconds, null, 1)}\n`);
console.log(`${Object.keys(seconds).length} files`);
