/** Phase 3 as a Phase: every import form reaching a legacy module → the canonical module and name. */
import { countEdits, reviewItems } from '../phase/report.js';
import { planSyntaxTransform, writesOf } from '../phase/syntax.js';
import type { Phase } from '../phase/types.js';

/** The commit trailer listing the public exports replaced per the manifest's publicApi[].replacements. */
export const PUBLIC_REPLACEMENTS_TRAILER = 'SSOT-Public-Replacements';

export const rewriteImportsPhase: Phase = {
  name: 'rewrite-imports',
  gitPrefilter: true,
  description: 'every import, re-export, require, dynamic import() and import type of a legacy module points at the canonical module and name',
  options: [
    { name: 'workers', type: 'integer', placeholder: 'N', description: 'worker threads for parsing beside the main thread, which takes batches too (0 = in process; default from 4,000 files to parse: one per core left, at most 3, none while other processes keep the cores busy, none on 2 cores or fewer)' },
    { name: 'type-guard', type: 'boolean', default: true, description: 'turns off the type guard, which withdraws, in groups of files whose new errors come from each other, a rewrite that would add a type error (one type-check of the changed files and their importers)' },
  ],
  async plan(snapshot, options) {
    const typeGuard = options.typeGuard !== false;
    const run = await planSyntaxTransform(snapshot, 'rewrite-imports', {
      ...(typeof options.workers === 'number' ? { workers: options.workers } : {}),
      typeGuard,
    });
    // a cast of a place still holding a legacy instance keeps its legacy type (held-casts.ts)
    const { settleHeldCasts } = await import('./held-casts.js');
    const r = await settleHeldCasts(snapshot, run, typeGuard);
    const { needsReview, problems, deferred } = reviewItems(r.files);
    const edits = r.changes.reduce((n, c) => n + (c.edits ?? countEdits(c.before, c.after)), 0);
    // the public exports the manifest replaced (publicApi[].replacements), in the files written
    const written = new Set(r.changes.map((c) => c.file));
    const replaced = r.files.filter((f) => written.has(f.file)).flatMap((f) => f.problems.filter((p) => p.code === 'public-replacement').map((p) => `${f.file}: ${p.message}`));
    return {
      phase: 'rewrite-imports',
      writes: writesOf(r.changes),
      edits,
      // `edits` counts the diff's changed regions (phase/report.ts), not sites: `import { A, B }` and its uses on the next line are one
      summary: `${edits} edit(s) rewriting legacy imports in ${r.changes.length} file(s)${replaced.length ? `, ${replaced.length} public export(s) replaced as the manifest decides` : ''}${deferred ? `, ${deferred} left for remove-adapters` : ''}${problems.length ? `, ${problems.length} file(s) left untouched` : ''}`,
      ...(replaced.length ? { trailers: { [PUBLIC_REPLACEMENTS_TRAILER]: replaced.join('; ') } } : {}),
      needsReview,
      problems,
      files: r.files,
      scanned: r.scanned,
      parsed: r.parsed,
    };
  },
};
