/**
 * `ssot-migrate discover`: phase 0 as a read-only report. It writes nothing into the work tree:
 * the inventory is printed (text or --json) or written to --out FILE (JSON, or Markdown for a
 * .md name). `run discover` is the phase that commits .ssot/inventory.{json,md}.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeRefusal, describeScriptImport, discoverInventory, duplicatePhrase, inventoryJson, inventoryMarkdown, RepoSnapshot } from '../../codemods/index.js';
import { makeProgress } from '../../codemods/engine/progress.js';
import { committedPhases } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'discover',
  summary: 'phase 0: inventory of manager declarations, import forms, dangling imports and SSOT compliance %',
  usage:
    'ssot-migrate discover [--repo DIR] [--json] [--out FILE] [--workers N]\n' +
    'read-only: prints the inventory (--json: as JSON) or writes it to FILE (JSON; Markdown when FILE ends in .md); nothing is written into the repo unless FILE is there.\n' +
    '`ssot-migrate run discover` commits .ssot/inventory.json and .ssot/inventory.md as a verified phase. (--dry-run is accepted and changes nothing.)',
  options: { 'dry-run': { type: 'boolean' }, workers: { type: 'string' }, out: { type: 'string' } },
  async run(a) {
    let workers: number | undefined;
    if (typeof a.values.workers === 'string') {
      workers = Number(a.values.workers);
      if (!/^\d+$/.test(a.values.workers)) throw new UsageError('--workers needs a whole number');
    }
    const progress = makeProgress('discover', !a.json);
    const snapshot = await RepoSnapshot.open(a.repo, { ...(workers !== undefined ? { workers } : {}), onProgress: (d, t) => progress.update(d, t) });
    snapshot.checkManifest({ legacyRemoved: (await committedPhases(a.repo)).has('remove-shim') });
    const inv = await discoverInventory(snapshot);
    progress.end();
    if (typeof a.values.out === 'string') {
      const out = resolve(a.values.out);
      writeFileSync(out, out.endsWith('.md') ? inventoryMarkdown(inv) : inventoryJson(inv));
      if (!a.json) process.stderr.write(`wrote the inventory to ${out}\n`);
    }
    if (a.json) process.stdout.write(inventoryJson(inv));
    else {
      process.stdout.write(
        `SSOT compliance ${inv.compliance.percent}% (${inv.compliance.compliant}/${inv.compliance.total} import sites)\n` +
          `${inv.declarations.length} declarations: ${duplicatePhrase(inv)}; ${inv.distinctForms.length} distinct import forms, ${inv.dangling.length} dangling imports, ${parsePhrase(inv.files)}\n` +
          (inv.strangleRefusals ?? []).map((r) => `${describeRefusal(r)}\n`).join('') +
          (inv.nodeScripts ?? []).map((i) => `Node script (no phase edits it; keeps the module in use): ${describeScriptImport(i).replaceAll('`', '')}\n`).join(''),
      );
    }
    return 0;
  },
});

/** Only files naming a legacy module are parsed: "0 failed" says of how many, so it is not read as the repo's. */
function parsePhrase(f: { scanned: number; parsed: number; failed: unknown[] }): string {
  const skipped = f.scanned - f.parsed;
  return `${f.failed.length} of ${f.parsed} parsed file(s) failed to parse${skipped > 0 ? ` (${skipped} other file(s) name no legacy module and were not parsed)` : ''}`;
}
