/** Phase 2 as a Phase: duplicate type declarations consolidated where the checker says they are compatible. */
import { countEdits, reviewItems } from '../phase/report.js';
import type { Phase } from '../phase/types.js';

export const consolidateTypesPhase: Phase = {
  name: 'consolidate-types',
  description: 'duplicate type declarations (manifest duplicateTypes) replaced by the canonical one where the type checker finds them compatible; refused and reported where not',
  options: [],
  async plan(snapshot) {
    // ts-morph is heavy to load; only the type-aware phase pays for it
    const { consolidateTypes } = await import('./consolidate.js');
    const r = await consolidateTypes(snapshot.repo, snapshot.manifest, snapshot.context, snapshot.candidates);
    const { needsReview, problems } = reviewItems(r.files);
    const edits = r.changes.reduce((n, c) => n + countEdits(c.before, c.after), 0);
    return {
      phase: 'consolidate-types',
      writes: r.changes.map((c) => ({ path: c.file, content: c.after })),
      edits,
      summary: `${edits} duplicate type edit(s) in ${r.changes.length} file(s)${problems.length ? `, ${problems.length} file(s) left untouched` : ''}`,
      needsReview,
      problems,
      files: r.files,
      scanned: snapshot.candidates.length,
      parsed: r.parsed,
    };
  },
};
