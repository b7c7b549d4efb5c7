/** `ssot-migrate rollback <phase>`: revert that phase's commit (later phases' first), each verified. */
import { installInterruptHandlers, rollbackPhase } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'rollback',
  summary: "revert a phase's commit (later phases first), each revert verified like a phase",
  usage: 'ssot-migrate rollback <phase> [--repo DIR] [--json]',
  async run(a) {
    installInterruptHandlers();
    const phase = a.positionals[0];
    if (a.positionals.length !== 1 || !phase) throw new UsageError(phase ? `name one phase, got "${a.positionals.join(' ')}"` : 'which phase?');
    const r = await rollbackPhase(a.repo, phase, a.json ? undefined : (l) => process.stderr.write(`… ${l}\n`));
    if (a.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      for (const s of r.steps) process.stdout.write(`reverted ${s.phase} (${s.reverted.slice(0, 12)})${s.commit ? ` in ${s.commit.slice(0, 12)}` : ''}${s.verification ? `; verified: ${s.verification.summary}` : ''}\n`);
      if (!r.ok) process.stderr.write(`rollback stopped: ${r.reason}\n`);
    }
    return r.ok ? 0 : 1;
  },
});
