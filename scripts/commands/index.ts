/**
 * Every CLI command, in the order `--help` lists them. Modules load on use, so `--help` and
 * light commands do not pay for ts-morph, the shim or the dashboard.
 */
import type { Command } from './args.js';
export type { Command } from './args.js';

interface Entry {
  name: string;
  summary: string;
  load(): Promise<{ command: Command }>;
}

export const COMMANDS: readonly Entry[] = [
  { name: 'demo', summary: '(repository checkout only) migrate examples/legacy-app in a scratch git repo, one verified commit per phase', load: () => import('./demo.js') },
  { name: 'init', summary: 'draft ssot.config.json from the code: legacy modules, used members with call counts, adapters, factory; says what is left to fill in', load: () => import('./init.js') },
  { name: 'discover', summary: 'phase 0 as a read-only report: manager declarations, import forms, dangling imports, SSOT compliance %', load: () => import('./discover.js') },
  { name: 'run', summary: 'run a phase (or --all) as one verified commit; --dry-run prints the diff and writes nothing', load: () => import('./run.js') },
  { name: 'status', summary: 'phases done / pending / blocked, compliance, legacy sites left, open TODO(ssot) markers, per id safe to delete? (with --telemetry: in use / unused / unknown)', load: () => import('./status.js') },
  { name: 'rollback', summary: "revert a phase's commit (later phases first), each revert verified", load: () => import('./rollback.js') },
  { name: 'recover', summary: 'restore the tree exactly as it was before an interrupted (killed) phase or rollback, from its journal', load: () => import('./recover.js') },
  { name: 'clean', summary: "remove the set-aside folders (verify outputs a failed or interrupted phase's restore moved out of the tree), listing each; --older-than keeps younger ones", load: () => import('./clean.js') },
  { name: 'check', summary: 'CI ratchet: fail when legacy import sites rise or appear in a new file', load: () => import('./check.js') },
  { name: 'review', summary: "a phase's diff grouped by hunk shape, TODO(ssot) and needs-review first (text, --json, --html)", load: () => import('./review.js') },
  { name: 'telemetry', summary: 'aggregate shim telemetry (JSONL) into a table per deprecation id', load: () => import('./telemetry.js') },
  { name: 'toggle', summary: 'set a deprecation id (or *) to canonical, legacy, strict or shadow in the toggles file', load: () => import('./toggle.js') },
  { name: 'dashboard', summary: 'live telemetry dashboard with safe-to-delete verdicts and a token-guarded mode flip', load: () => import('./dashboard.js') },
];
