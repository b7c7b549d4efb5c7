/**
 * `ssot-migrate run <phase>|--all`: each phase one verified, atomic commit (or, with
 * --dry-run, the unified diff and nothing written). Phases and their options come from the
 * phase registry (codemods/phase) and the repo's manifest (custom phases).
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { BUILTIN_PHASES, didYouMean, optionsHelp, RepoSnapshot } from '../../codemods/index.js';
import { assertNoJournal, installInterruptHandlers, JournalPendingError, recoveredText, recoverRepo, runAll, runPhase, type PhaseOutcome } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';
import { phaseFlags, phaseOptionValues, phasesWithOption } from './phase-options.js';

const usage =
  `ssot-migrate run <${BUILTIN_PHASES.map((p) => p.name).join('|')}|CUSTOM> | --all [--repo DIR] [--dry-run] [--allow-dirty] [--yes] [--json] [phase options]\n` +
  'when an interrupted (killed) phase left a journal, run offers to recover first: it asks on a terminal, refuses otherwise (naming the `recover` command); --yes recovers without asking';

/**
 * An interrupted phase's journal in the repo: recover (after confirmation, or with --yes) and go
 * on, or refuse. A phase still running is never recovered from under it. True: go on.
 */
async function offerRecovery(repo: string, yes: boolean): Promise<boolean> {
  if (!existsSync(repo)) return true;
  let pending: JournalPendingError;
  try {
    assertNoJournal(repo);
    return true;
  } catch (err) {
    if (!(err instanceof JournalPendingError)) throw err;
    pending = err;
  }
  process.stderr.write(`ssot-migrate run: ${pending.message}\n`);
  if (pending.running) return false;
  let accept = yes;
  if (!accept) {
    if (!process.stdin.isTTY || !process.stderr.isTTY) {
      process.stderr.write(`not a terminal, so not asking: run \`ssot-migrate recover --repo ${repo}\` first, or run again with --yes to recover and go on\n`);
      return false;
    }
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      accept = /^y(es)?$/i.test((await rl.question('Recover now (restore the tree from the journal), then run? [y/N] ')).trim());
    } finally {
      rl.close();
    }
    if (!accept) {
      process.stderr.write(`not recovered; nothing was run. \`ssot-migrate recover --repo ${repo}\` restores the tree\n`);
      return false;
    }
  }
  const r = recoverRepo(repo, (l) => process.stderr.write(`${l}\n`));
  if (!r.recovered) {
    process.stderr.write(r.refused !== undefined ? `recover refused: ${r.refused}\n` : 'nothing to recover\n');
    return r.refused === undefined;
  }
  process.stderr.write(`${recoveredText(r)}\n`);
  return true;
}

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
  options: { 'dry-run': { type: 'boolean' }, 'allow-dirty': { type: 'boolean' }, all: { type: 'boolean' }, yes: { type: 'boolean' }, ...phaseFlags() },
  onJournal: 'ignore', // offerRecovery decides
  async run(a) {
    installInterruptHandlers();
    if (!(await offerRecovery(a.repo, a.values.yes === true))) return 1;
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
