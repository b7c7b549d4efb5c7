/**
 * Bench child: one transform over a repo, in its own process so start-up (module load, worker
 * pool) counts as it does for the baselines. Plain JS on the built package as the installed CLI
 * runs it: the CLI's bundle (dist/bundle/, whose codemods.js entry shares its chunks; no tsx
 * loader thread, no `__name` wrappers); bench/codemods.ts builds dist/ first (scripts/build.mjs
 * --if-stale). Prints one JSON line of counts and how typescript.js was loaded (`codeCache`: 'hit' from
 * its V8 code cache, 'miss' compiled; the cache folder is SSOT_MIGRATE_CACHE_DIR when set).
 *
 *   node bench/codemods/rewrite.mjs <repo> [rewrite-imports|discover]
 */
import { builtinPhase, runTransform, typescriptCodeCache } from '../../dist/bundle/codemods.js';

const [repo, phase = 'rewrite-imports'] = process.argv.slice(2);
if (!repo || !builtinPhase(phase)) {
  process.stderr.write('usage: rewrite.mjs <repo> [rewrite-imports|discover]\n');
  process.exit(2);
}
// The transform itself, as the baselines run it: no type guard (the runner adds one by default).
const report = await runTransform(phase, repo, { dryRun: true, ...(phase === 'rewrite-imports' ? { options: { typeGuard: false } } : {}) });
// rewrite-imports' diff is part of its dry run; discover's "diff" would be its inventory files, which it never printed
// codeCache: whether typescript.js came from its V8 code cache (a user's second and later runs) or was compiled (the first)
process.stdout.write(`${JSON.stringify({ ...report.summary, ...(phase === 'rewrite-imports' ? { diffBytes: report.diff.length } : {}), codeCache: typescriptCodeCache.state })}\n`);
