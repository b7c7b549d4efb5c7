/**
 * manifest/ts-load.js readDerived / writeDerived: a result derived from a text (the validated
 * manifest) kept beside the code caches, for the CLI's bundle only and keyed by its build.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readDerived, writeDerived } from './ts-load.js';

let dir = '';
let cacheDir = '';
let bundle = '';
const saved = process.env['SSOT_MIGRATE_CACHE_DIR'];
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-derived-'));
  cacheDir = path.join(dir, 'cache');
  mkdirSync(path.join(dir, 'bundle'));
  bundle = path.join(dir, 'bundle', 'cli.cjs');
  writeFileSync(bundle, '// a build');
  process.env['SSOT_MIGRATE_CACHE_DIR'] = cacheDir;
});
afterAll(() => {
  if (saved === undefined) delete process.env['SSOT_MIGRATE_CACHE_DIR'];
  else process.env['SSOT_MIGRATE_CACHE_DIR'] = saved;
  rmSync(dir, { recursive: true, force: true });
});

test('a value stored for a text comes back for the same text and build, never for another text or build', () => {
  const self = pathToFileURL(bundle).href;
  expect(readDerived('manifest', '{"a":1}', self)).toBeUndefined();
  writeDerived('manifest', '{"a":1}', self, { a: 1, list: ['x'] });
  expect(readDerived('manifest', '{"a":1}', self)).toEqual({ a: 1, list: ['x'] });
  expect(readDerived('manifest', '{"a":2}', self)).toBeUndefined();
  // another build of the bundle (a new mtime): not its answer
  utimesSync(bundle, new Date(), new Date(Date.now() + 5000));
  expect(readDerived('manifest', '{"a":1}', self)).toBeUndefined();
});

test('a damaged file is no answer; from the sources or compiled modules (not the bundle) nothing is kept', () => {
  const self = pathToFileURL(bundle).href;
  writeDerived('manifest', 'text', self, { ok: true });
  const files = readdirSync(cacheDir).filter((f) => f.startsWith('validated_manifest-'));
  for (const f of files) writeFileSync(path.join(cacheDir, f), '{"key":');
  expect(readDerived('manifest', 'text', self)).toBeUndefined();
  const before = readdirSync(cacheDir).length;
  const source = pathToFileURL(path.join(dir, 'manifest', 'load.ts')).href;
  writeDerived('manifest', 'text', source, { ok: true });
  expect(readDerived('manifest', 'text', source)).toBeUndefined();
  expect(readdirSync(cacheDir).length).toBe(before);
});
