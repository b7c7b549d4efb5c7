/** Public surface of codemods/move-declarations: "Move to file" driven by the manifest's `moves`, and discover's proposals. */
export { moveDeclarationsPhase } from './phase.js';
export { declaredNames, fileOfModule, planMoves, type MoveInput, type MoveResult } from './move.js';
export { proposeMoves, type MoveProposal } from './propose.js';
export { proposeSplits, type SplitProposal } from './propose-splits.js';
