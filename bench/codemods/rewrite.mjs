/**
 * Bench child: one transform over a repo, in its own process so start-up (module load, worker
 * pool) counts as it does for the baselines. Plain JS on the built package as the installed CLI
 * runs it: the CLI's bundle (dist/bundle/, whose codemods.js entry shares its chunks; no tsx
 * loader thread, no `__name` wrappers); bench/codemods.ts builds dist/ first (scripts/build.mjs
 * --if-stale). Writes rewrite-imports' dry-run diff to <diff file> (none: the null device) and
 * prints one JSON line of counts and how typescript.js was loaded (`codeCache`: 'hit' from its V8
 * code cache, 'miss' compiled; the cache folder is SSOT_MIGRATE_CACHE_DIR when set).
 *
 *   node bench/codemods/rewrite.mjs <repo> [rewrite-imports [<diff file>]|discover]
 */
import { closeSync, openSync } from 'node:fs';
import { devNull } from 'node:os';
import { builtinPhase, runTransform, typescriptCodeCache } from '../../dist/bundle/codemods.js';

const [repo, phase = 'rewrite-imports', diffFile] = process.argv.slice(2);
if (!repo || !builtinPhase(phase)) {
  process.stderr.write('usage: rewrite.mjs <repo> [rewrite-imports [<diff file>]|discover]\n');
  process.exit(2);
}
// The transform itself, as the baselines run it: no type guard (the runner adds one by default).
const report = await runTransform(phase, repo, { dryRun: true, ...(phase === 'rewrite-imports' ? { options: { typeGuard: false } } : {}) });
// rewrite-imports' diff is part of its dry run: written to `diffFile` as a user's `--dry-run > patch.diff` gets it
// (not to stdout: through the pipe to the bench, its reader's pace would be timed too); discover's "diff" would be
// its inventory files, which it never printed
let diffBytes;
if (phase === 'rewrite-imports') {
  const fd = openSync(diffFile ?? devNull, 'w');
  try {
    diffBytes = report.writeDiff(fd);
  } finally {
    closeSync(fd);
  }
}
// codeCache: whether typescript.js came from its V8 code cache (a user's second and later runs) or was compiled (the first)
process.stdout.write(`${JSON.stringify({ ...report.summary, ...(diffBytes !== undefined ? { diffBytes } : {}), codeCache: typescriptCodeCache.state })}\n`);
