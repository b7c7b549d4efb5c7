export { runPhase, runAll, preflight, type PhaseOutcome, type PhaseStatus, type RunOptions } from './run-phase.js';
export { rollbackPhase, type RollbackOutcome, type RollbackStep } from './rollback.js';
export { repoStatus, type RepoStatus, type PhaseState } from './status.js';
export { checkRatchet, DEFAULT_BASELINE, type RatchetResult, type RatchetBaseline } from './ratchet.js';
export { committedPhases, type PhaseRecord } from './ledger.js';
export { applyWrites } from './apply.js';
export { planDiff } from './patch.js';
export { parseJUnit } from './junit.js';
export { compareHealth, countTypeErrors, measureHealth, type TreeHealth, type Verdict } from './verify.js';
