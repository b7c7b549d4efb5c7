/**
 * Phase 0's plan: the inventory from the snapshot's one scan, the proposed moves and decisions,
 * as .ssot/inventory.{json,md}. Loaded by discover/phase.ts on use, so a command that runs
 * another phase does not load the proposers.
 */
import type { PhasePlan } from '../phase/types.js';
import { reviewItems } from '../phase/report.js';
import type { RepoSnapshot } from '../snapshot/snapshot.js';
import { proposeMoves } from '../move-declarations/propose.js';
import { proposeSplits } from '../move-declarations/propose-splits.js';
import { proposeDecisions } from './decisions.js';
import { discoverInventory } from './early-warnings.js';
import { duplicatePhrase, INVENTORY_JSON, INVENTORY_MD, inventoryJson, inventoryMarkdown } from './inventory.js';

export async function planDiscover(snapshot: RepoSnapshot): Promise<PhasePlan> {
  // the passes over files (the early warnings, moves, decisions): each file read once
  const read = snapshot.memoReader();
  const inv = await discoverInventory(snapshot, read);
  const scan = await snapshot.scan();
  const files = [...scan.files.values()].map((f) => f.report);
  const { problems } = reviewItems(files);
  // declarations a person may move out of a legacy module before strangle (manifest `moves`)
  const moveProposals = proposeMoves({ files: snapshot.candidates, read, resolver: snapshot.resolver, manifest: snapshot.manifest, prefilterTokens: snapshot.context.prefilterTokens });
  const moveRows = moveProposals.length
    ? ['', `## Proposed moves (${moveProposals.length}): not legacy, used elsewhere; confirm as manifest \`moves\` entries`, '', '| name | from | used by |', '|---|---|---|', ...moveProposals.map((m) => `| ${m.name} | ${m.from} | ${m.usedBy.join(', ')} |`), '']
    : [];
  // legacy classes that are app state too (members without templates used elsewhere): manifest `splits`
  const splitProposals = proposeSplits({ files: snapshot.candidates, read, manifest: snapshot.manifest, prefilterTokens: snapshot.context.prefilterTokens });
  const splitRows = splitProposals.length
    ? [
        '',
        `## Proposed splits (${splitProposals.length}): legacy classes whose members without a template are used elsewhere; confirm as manifest \`splits\` entries (trim \`keep\`, pick \`to\`) or give those members templates`,
        '',
        '| manifest entry | used elsewhere |',
        '|---|---|',
        ...splitProposals.map((s) => `| ${JSON.stringify({ module: s.module, class: s.class, to: s.to, keep: s.keep })} | ${Object.entries(s.usedBy).map(([m, fs]) => `${m}: ${fs.join(', ')}`).join('; ')} |`),
        '',
      ]
    : [];
  // decisions only a person makes (public exports, dead code): manifest entries to confirm
  const decisionProposals = proposeDecisions({ files: snapshot.candidates, read, resolver: snapshot.resolver, manifest: snapshot.manifest, context: snapshot.context });
  const decisions = decisionProposals.replacements.length + decisionProposals.deletions.length;
  const decisionRows = decisions
    ? [
        '',
        `## Proposed decisions (${decisions}): breaking or deleting, so a person's; confirm as manifest entries before the run`,
        '',
        '| manifest entry | proposal | why |',
        '|---|---|---|',
        ...decisionProposals.replacements.map((r) => `| ${r.field} | ${JSON.stringify(r.replacements)} | ${r.why} |`),
        ...decisionProposals.deletions.map((d) => `| deletions | ${JSON.stringify({ path: d.path, declaration: d.declaration })} | ${d.reason} |`),
        '',
      ]
    : [];
  const proposals = [...moveRows, ...splitRows, ...decisionRows];
  return {
    phase: 'discover',
    writes: [
      // bytes built piece by piece, site records one per line: one JSON.stringify of a large
      // repo's inventory outgrew V8's longest string and threw
      { path: INVENTORY_JSON, content: inventoryJson({ ...inv, moveProposals, splitProposals, decisionProposals }) },
      { path: INVENTORY_MD, content: inventoryMarkdown(inv) + proposals.join('\n') },
    ],
    edits: 0,
    summary: `inventory: ${inv.importSites.length} import site(s), ${duplicatePhrase(inv)}, ${inv.dangling.length} dangling, compliance ${inv.compliance.percent.toFixed(1)}%${moveProposals.length ? `, ${moveProposals.length} proposed move(s)` : ''}${splitProposals.length ? `, ${splitProposals.length} proposed split(s)` : ''}${decisions ? `, ${decisions} proposed decision(s)` : ''}${inv.strangleRefusals?.length ? `, strangle will refuse ${inv.strangleRefusals.length} module(s)` : ''}${inv.nodeScripts?.length ? `, ${inv.nodeScripts.length} Node script import(s) of legacy modules` : ''}`,
    needsReview: [
      ...inv.dangling.map((d) => ({ file: d.file, line: d.line, message: `dangling import: ${d.name ?? '(module)'} is not exported by ${d.specifier}` })),
      // said now rather than by strangle's refusal or remove-shim's gate
      ...(inv.strangleRefusals ?? []).map((r) => ({ file: r.file, line: r.line, message: `strangle will refuse ${r.module}: ${r.reason}; it stays legacy code until its shape changes` })),
      ...(inv.nodeScripts ?? []).map((i) => ({ file: i.file, line: i.line, message: `a Node script no phase edits reaches legacy module ${i.module} (${i.ids.join(', ')}): it keeps the module in use until a person changes it` })),
    ],
    problems,
    files,
    scanned: scan.scanned,
    parsed: scan.parsed,
  };
}
