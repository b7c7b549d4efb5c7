/** `ssot-migrate check`: the CI ratchet on legacy import sites. */
import { checkRatchet, DEFAULT_BASELINE } from '../runner/index.js';
import { defineCommand } from './args.js';

export const command = defineCommand({
  name: 'check',
  summary: 'CI ratchet: fail when legacy import sites rise above the baseline or appear in a new file; --update lowers it',
  usage: `ssot-migrate check [--repo DIR] [--baseline FILE (default ${DEFAULT_BASELINE})] [--update] [--json]`,
  options: { baseline: { type: 'string' }, update: { type: 'boolean' } },
  async run(a) {
    const r = await checkRatchet(a.repo, { ...(typeof a.values.baseline === 'string' ? { baseline: a.values.baseline } : {}), update: a.values.update === true });
    if (a.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else (r.ok ? process.stdout : process.stderr).write(`${r.message}\n`);
    return r.ok ? 0 : 1;
  },
});
