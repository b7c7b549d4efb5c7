/**
 * `ssot-migrate run <phase>|--all`: each phase one verified, atomic commit (or, with
 * --dry-run, the unified diff and nothing written).
 */
import { PHASES, type PhaseName } from '../../manifest/types.js';
import { runAll, runPhase, type PhaseOutcome } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';

const usage = `ssot-migrate run <${PHASES.join('|')}> | --all [--repo DIR] [--dry-run] [--allow-dirty] [--json] [--telemetry FILES --window 30d (remove-shim's gate)]`;

export function outcomeText(o: PhaseOutcome): string {
  const lines = [`${o.phase}: ${o.status}${o.step ? ` (at ${o.step})` : ''}`];
  if (o.commit && o.status === 'committed') lines.push(`  commit ${o.commit.slice(0, 12)}: ${o.files ?? 0} file(s), ${o.edits ?? 0} edit(s), compliance ${o.compliance?.before.toFixed(1)}% -> ${o.compliance?.after.toFixed(1)}%`);
  if (o.verification) lines.push(`  verified: ${o.verification.summary}`);
  if (o.status === 'dry-run') lines.push(`  would change ${o.files ?? 0} file(s) with ${o.edits ?? 0} edit(s)`);
  for (const r of o.needsReview ?? []) lines.push(`  needs review: ${r.file}:${r.line} ${r.message}`);
  for (const r of o.problems ?? []) lines.push(`  left untouched: ${r.file}${r.line ? `:${r.line}` : ''} ${r.message}`);
  if (o.reason) lines.push(...o.reason.split('\n').map((l) => `  ${l}`));
  return `${lines.join('\n')}\n`;
}

const ok = (o: PhaseOutcome) => o.status === 'committed' || o.status === 'nothing-to-do' || o.status === 'dry-run';

export const command = defineCommand({
  name: 'run',
  summary: 'run a phase as one verified commit (transform, typecheck + tests against the baseline, commit or restore); --dry-run prints the diff',
  usage,
  options: { 'dry-run': { type: 'boolean' }, 'allow-dirty': { type: 'boolean' }, all: { type: 'boolean' }, telemetry: { type: 'string', multiple: true }, window: { type: 'string' } },
  async run(a) {
    // remove-shim's telemetry gate reads these (codemods/remove-shim): JSONL files or folders, and the window.
    if (Array.isArray(a.values.telemetry)) process.env.SSOT_REMOVE_SHIM_TELEMETRY = (a.values.telemetry as string[]).join(',');
    if (typeof a.values.window === 'string') process.env.SSOT_REMOVE_SHIM_WINDOW = a.values.window;
    const opts = { dryRun: a.values['dry-run'] === true, allowDirty: a.values['allow-dirty'] === true, log: a.json ? undefined : (l: string) => process.stderr.write(`… ${l}\n`) };
    let outcomes: PhaseOutcome[];
    if (a.values.all === true) {
      if (a.positionals.length) throw new UsageError('--all takes no phase');
      outcomes = await runAll(a.repo, opts);
    } else {
      const phase = a.positionals[0];
      if (a.positionals.length !== 1 || !PHASES.includes(phase as PhaseName)) throw new UsageError(phase ? `unknown phase "${a.positionals.join(' ')}"` : 'which phase?');
      outcomes = [await runPhase(a.repo, phase as PhaseName, opts)];
    }
    if (a.json) process.stdout.write(`${JSON.stringify(outcomes, null, 2)}\n`);
    else
      for (const o of outcomes) {
        if (o.diff) process.stdout.write(o.diff);
        process.stderr.write(outcomeText(o));
      }
    return outcomes.every(ok) ? 0 : 1;
  },
});
