/**
 * `ssot-migrate discover`: phase 0 as a read-only report. It writes nothing into the work tree:
 * the inventory is printed (text or --json) or written to --out FILE (JSON, or Markdown for a
 * .md name). `run discover` is the phase that commits .ssot/inventory.{json,md}.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeRefusal, describeScriptImport, duplicatePhrase, INVENTORY_JSON, INVENTORY_MD, planDiscover, RepoSnapshot } from '../../codemods/index.js';
import { makeProgress } from '../../codemods/engine/progress.js';
import { committedPhases } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'discover',
  summary: 'phase 0: inventory of manager declarations, import forms, dangling imports and SSOT compliance %',
  usage:
    'ssot-migrate discover [--repo DIR] [--json] [--out FILE] [--workers N]\n' +
    'read-only: prints the inventory with its proposed moves, splits and decisions (--json: as JSON) or writes it to FILE (JSON; Markdown when FILE ends in .md); nothing is written into the repo unless FILE is there.\n' +
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
    // the phase's own plan: the same inventory `run discover` commits, its proposed moves, splits
    // and decisions included (a person reads them before writing those manifest entries)
    const plan = await planDiscover(snapshot);
    progress.end();
    const written = (path: string): string => {
      const c = plan.writes.find((w) => w.path === path)?.content ?? '';
      return typeof c === 'string' ? c : Buffer.from(c).toString('utf8');
    };
    const json = written(INVENTORY_JSON);
    if (typeof a.values.out === 'string') {
      const out = resolve(a.values.out);
      writeFileSync(out, out.endsWith('.md') ? written(INVENTORY_MD) : json);
      if (!a.json) process.stderr.write(`wrote the inventory to ${out}\n`);
    }
    if (a.json) process.stdout.write(json);
    else {
      const inv = JSON.parse(json) as Parameters<typeof duplicatePhrase>[0] & DiscoverJson;
      process.stdout.write(
        `SSOT compliance ${inv.compliance.percent}% (${inv.compliance.compliant}/${inv.compliance.total} import sites)\n` +
          `${inv.declarations.length} declarations: ${duplicatePhrase(inv)}; ${inv.distinctForms.length} distinct import forms, ${inv.dangling.length} dangling imports, ${parsePhrase(inv.files)}\n` +
          (inv.strangleRefusals ?? []).map((r) => `${describeRefusal(r)}\n`).join('') +
          (inv.nodeScripts ?? []).map((i) => `Node script (no phase edits it; keeps the module in use): ${describeScriptImport(i).replaceAll('`', '')}\n`).join('') +
          proposalLines(inv),
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

/** The inventory JSON's fields this report prints (inventory.ts writes them). */
interface DiscoverJson {
  strangleRefusals?: Array<Parameters<typeof describeRefusal>[0]>;
  compliance: { percent: number; compliant: number; total: number };
  declarations: unknown[];
  distinctForms: unknown[];
  dangling: unknown[];
  files: { scanned: number; parsed: number; failed: unknown[] };
  nodeScripts?: Array<Parameters<typeof describeScriptImport>[0]>;
  moveProposals?: Array<{ name: string; from: string; usedBy: string[] }>;
  splitProposals?: Array<{ module: string; class: string; to: string; keep: string[] }>;
  decisionProposals?: { replacements: Array<{ field: string }>; deletions: Array<{ path: string }> };
}

/** One line per proposal (manifest entries a person confirms), as `run discover`'s inventory.md lists them. */
function proposalLines(inv: DiscoverJson): string {
  const lines = [
    ...(inv.moveProposals ?? []).map((m) => `proposed move (manifest moves): ${m.name} from ${m.from}, used by ${m.usedBy.join(', ')}`),
    ...(inv.splitProposals ?? []).map((sp) => `proposed split (manifest splits): ${JSON.stringify({ module: sp.module, class: sp.class, to: sp.to, keep: sp.keep })}`),
    ...(inv.decisionProposals?.replacements ?? []).map((r) => `proposed decision: ${r.field}`),
    ...(inv.decisionProposals?.deletions ?? []).map((d) => `proposed decision: deletions ${d.path}`),
  ];
  return lines.map((l) => `${l}\n`).join('');
}
