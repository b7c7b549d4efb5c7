/** move-declarations as a Phase: the manifest's `moves`, before strangle freezes the legacy modules. */
import type { Phase } from '../phase/types.js';

export const moveDeclarationsPhase: Phase = {
  name: 'move-declarations',
  description: 'declarations the manifest lists under `moves` leave their legacy module ("Move to file": with their imports and the helpers only they use); every import of them follows',
  options: [],
  async plan(snapshot) {
    const moves = snapshot.manifest.moves;
    // loaded on use, like the other phases' plans: the registry stays light for every command
    const { planMoves } = await import('./move.js');
    const r = planMoves({ files: snapshot.candidates, read: (f) => snapshot.read(f), resolver: snapshot.resolver, moves });
    const writes = [...r.texts].map(([path, content]) => ({ path, content }));
    return {
      phase: 'move-declarations',
      writes,
      edits: r.edits,
      summary: moves.length === 0 ? 'no moves in the manifest' : r.moved.length ? `moved ${r.moved.length} declaration(s); ${writes.length} file(s) changed` : 'every listed declaration is already in place',
      needsReview: r.needsReview,
      problems: r.problems,
    };
  },
};
