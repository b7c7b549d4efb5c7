/** move-declarations as a Phase: the manifest's `moves`, before strangle freezes the legacy modules. */
import type { Phase } from '../phase/types.js';

export const moveDeclarationsPhase: Phase = {
  name: 'move-declarations',
  description: 'declarations listed under `moves`, and classes split by `splits` (moved whole), leave their legacy module with their imports and the helpers only they use; every import of them follows',
  options: [],
  async plan(snapshot) {
    // a split class moves whole and keeps its name: it stays the app's class (a DI provider's token);
    // remove-adapters later rewrites and deletes the members it does not keep
    const moves = [...snapshot.manifest.moves, ...snapshot.manifest.splits.map((s) => ({ from: s.module, name: s.class, to: s.to }))];
    // loaded on use, like the other phases' plans: the registry stays light for every command
    const { planMoves, moveSummary } = await import('./move.js');
    const r = planMoves({ files: snapshot.candidates, read: (f) => snapshot.read(f), resolver: snapshot.resolver, moves });
    const writes = [...r.texts].map(([path, content]) => ({ path, content }));
    return {
      phase: 'move-declarations',
      writes,
      edits: r.edits,
      summary: moves.length === 0 ? 'no moves or splits in the manifest' : moveSummary(r, writes.length),
      needsReview: r.needsReview,
      problems: r.problems,
    };
  },
};
