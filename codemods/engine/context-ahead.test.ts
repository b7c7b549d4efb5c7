/**
 * engine/context.ts parseLegacyAhead: the legacy modules parsed while RepoSnapshot.open waits for
 * git's listing give buildPhaseContext the same context as its own parse, and a tree whose text
 * is no longer the file's is not used.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { parseManifest } from '../../manifest/index.js';
import { buildPhaseContext, parseLegacyAhead } from './context.js';
import { listRepoFiles } from './files.js';
import { parseSource } from './parse.js';

const APP = path.resolve(import.meta.dirname, '../../examples/legacy-app');

test('the context from the trees parsed ahead is the context from its own parse; a stale tree is parsed again', () => {
  const manifest = parseManifest(readFileSync(path.join(APP, 'ssot.config.json'), 'utf8'));
  const files = listRepoFiles(APP);
  const own = buildPhaseContext(APP, manifest, files);
  const ahead = parseLegacyAhead(APP, manifest);
  expect(ahead.size).toBeGreaterThan(0);
  expect(buildPhaseContext(APP, manifest, files, undefined, ahead)).toEqual(own);
  // every tree ahead swapped for one of an empty module: the texts differ from the files', so none is used
  const stale = new Map([...ahead].map(([file, e]) => [file, { text: `${e.text}\n// edited`, sf: parseSource(file, '').sf }]));
  expect(buildPhaseContext(APP, manifest, files, undefined, stale)).toEqual(own);
  // and a tree whose text matches is used as it is (an empty module's tree for its text: no exports)
  const [file, e] = [...ahead][0]!;
  const used = buildPhaseContext(APP, manifest, files, undefined, new Map([[file, { text: e.text, sf: parseSource(file, '').sf }]]));
  expect(used).not.toEqual(own);
});
