/**
 * `ssot-migrate run <phase>|--all`: each phase one verified, atomic commit (or, with
 * --dry-run, the unified diff and nothing written). Phases and their options come from the
 * phase registry (codemods/phase) and the repo's manifest (custom phases).
 */
import { BUILTIN_PHASES, didYouMean, optionsHelp, RepoSnapshot } from '../../codemods/index.js';
import { installInterruptHandlers, runAll, runPhase, type PhaseOutcome } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';
import { phaseFlags, phaseOptionValues, phasesWithOption } from './phase-options.js';

const usage = `ssot-migrate run <${BUILTIN_PHASES.map((p) => p.name).join('|')}|CUSTOM> | --all [--repo DIR] [--dry-run] [--allow-dirty] [--json] [phase options]`;

export function phasesHelp(): string {
  const lines = ['', 'phases (in order; a repo adds its own in ssot.config.json "customPhases"):'];
  for (const p of BUILTIN_PHASES) {
    lines.push(`  ${p.name.padEnd(18)} ${p.description}`);
    lines.push(...optionsHelp(p, '      '));
  }
  return `${lines.join('\n')}\n`;
}

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

/** Built-in names, plus the repo's custom phases when the name is not built in and the manifest can be read. */
async function knownPhases(repo: string, phase: string): Promise<{ names: string[]; builtin: Set<string> }> {
  const builtin = new Set(BUILTIN_PHASES.map((p) => p.name));
  if (builtin.has(phase)) return { names: [...builtin], builtin }; // the runner opens the repo once, itself
  try {
    return { names: (await RepoSnapshot.open(repo)).phases.all.map((e) => e.phase.name), builtin };
  } catch {
    return { names: [...builtin], builtin };
  }
}

export const command = defineCommand({
  name: 'run',
  summary: 'run a phase as one verified commit (transform, typecheck + tests against the baseline, commit or restore); --dry-run prints the diff',
  usage,
  help: phasesHelp,
  options: { 'dry-run': { type: 'boolean' }, 'allow-dirty': { type: 'boolean' }, all: { type: 'boolean' }, ...phaseFlags() },
  async run(a) {
    installInterruptHandlers();
    const options = phaseOptionValues(a.values);
    const opts = { dryRun: a.values['dry-run'] === true, allowDirty: a.values['allow-dirty'] === true, options, log: a.json ? undefined : (l: string) => process.stderr.write(`… ${l}\n`) };
    let outcomes: PhaseOutcome[];
    if (a.values.all === true) {
      if (a.positionals.length) throw new UsageError('--all takes no phase');
      outcomes = await runAll(a.repo, opts);
    } else {
      const phase = a.positionals[0];
      if (a.positionals.length !== 1 || !phase) throw new UsageError(phase ? `unknown phase "${a.positionals.join(' ')}"` : 'which phase?');
      const known = await knownPhases(a.repo, phase);
      if (!known.names.includes(phase)) throw new UsageError(`unknown phase "${phase}"${didYouMean(phase, known.names)}; phases are ${known.names.join(', ')}`);
      if (known.builtin.has(phase))
        for (const key of Object.keys(options)) {
          const owners = phasesWithOption(key);
          if (!owners.includes(phase)) throw new UsageError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} is an option of ${owners.join(', ')}, not of ${phase}`);
        }
      outcomes = [await runPhase(a.repo, phase, opts)];
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
