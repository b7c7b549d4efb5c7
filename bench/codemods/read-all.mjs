/**
 * Bench baseline: list the same candidate files the engine lists (git ls-files, source
 * extensions, the manifest's excludes) and read each one as UTF-8: the floor any codemod over
 * the tree pays. Kept minimal on purpose (the manifest is JSON.parse'd, not validated), so the
 * baseline is as cheap as it can honestly be. Plain node on the built package, like ours
 * (bench/codemods/rewrite.mjs), so the floor is fair. Prints one JSON line of counts.
 *
 *   node bench/codemods/read-all.mjs <repo>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listCandidateFiles } from '../../dist/codemods/engine/files.js';

const repo = process.argv[2];
if (!repo) {
  process.stderr.write('usage: read-all.mjs <repo>\n');
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(join(repo, 'ssot.config.json'), 'utf8'));
const files = listCandidateFiles(repo, manifest.exclude ?? []);
let chars = 0;
for (const f of files) chars += readFileSync(join(repo, f), 'utf8').length;
process.stdout.write(`${JSON.stringify({ files: files.length, chars })}\n`);
