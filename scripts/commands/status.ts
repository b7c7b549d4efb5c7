/** `ssot-migrate status`: each phase done / partly undone / pending / blocked (and why), compliance, what is left. */
import { parseDuration } from '../../shim/duration.js';
import { repoStatus, setAsideLine } from '../runner/index.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'status',
  summary: 'each phase done / partly undone / pending / blocked (and why; a done phase checked against the tree), compliance %, legacy import sites left, open TODO(ssot) markers, legacy mentions in comments, and per id the safe-to-delete verdict (with --telemetry: in use / unused / unknown and its coverage)',
  usage: 'ssot-migrate status [--repo DIR] [--telemetry FILES|prometheus+http://HOST:PORT] [--window 30d] [--json]',
  options: { telemetry: { type: 'string', multiple: true }, window: { type: 'string' } },
  async run(a) {
    const telemetry = ((a.values.telemetry as string[] | undefined) ?? []).flatMap((t) => t.split(',')).filter(Boolean);
    let windowMs: number | undefined;
    if (typeof a.values.window === 'string') {
      try {
        windowMs = parseDuration(a.values.window);
      } catch (error) {
        throw new UsageError(`--window: ${(error as Error).message}`);
      }
    }
    const s = await repoStatus(a.repo, { ...(telemetry.length ? { telemetry } : {}), ...(windowMs !== undefined ? { windowMs } : {}) });
    if (a.json) {
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    for (const p of s.phases) out.push(`${p.state.padEnd(12)} ${p.phase}${p.custom ? ' (custom)' : ''}${p.commit ? `  ${p.commit.slice(0, 12)}` : ''}${p.why ? `  (${p.why})` : ''}`);
    // a marker that names its class or function counts for the ids owning it; one that names nothing for every id
    const unnamed = s.todoMarkers.filter((t) => t.ids === undefined).length;
    const counted = unnamed ? ` (${unnamed} name${unnamed === 1 ? 's' : ''} no class or function: counted for every id)` : '';
    out.push('', `compliance ${s.compliance.toFixed(1)}%; ${s.legacyImportSites} legacy import site(s) in ${s.legacyFiles} file(s); ${s.todoMarkers.length} open TODO(ssot) marker(s)${counted}`);
    if (s.unparsed) {
      // their imports are in no figure of the line above: say so next to it, or "0 sites" reads as "no legacy use"
      out.push(`  not counted: ${s.unparsed.length} file(s) naming a legacy module or symbol do not parse, so their import sites are in none of these figures (fix them, then run status again):`);
      for (const u of s.unparsed.slice(0, 20)) out.push(`    ${u.file}:${u.line} does not parse: ${u.message}`);
      if (s.unparsed.length > 20) out.push(`    … and ${s.unparsed.length - 20} more`);
    }
    for (const t of s.todoMarkers.slice(0, 20)) out.push(`  ${t.file}:${t.line} ${t.text}${t.ids ? ` [${t.ids.join(', ')}]` : ''}`);
    if (s.todoMarkers.length > 20) out.push(`  … and ${s.todoMarkers.length - 20} more`);
    out.push(`legacy mentions in comments: ${s.comments.mentions.length} (policy ${s.comments.policy}${s.comments.policy === 'report' ? '; "rewrite" in the manifest\'s comments.legacyMentions edits them at remove-shim' : ''})`);
    for (const m of s.comments.mentions.slice(0, 20)) out.push(`  ${m.file}:${m.line} ${m.text}${m.text !== m.names ? ` (${m.names})` : ''}${m.protected ? ` [${m.protected}, never edited]` : ''}`);
    if (s.comments.mentions.length > 20) out.push(`  … and ${s.comments.mentions.length - 20} more`);
    if (s.setAside) {
      out.push('', `set aside: untracked files a failed or interrupted phase created (verify outputs git does not ignore) were moved out of the tree to ${s.setAside.length} folder(s), kept until you remove them; ignore such outputs in .gitignore, and once you need nothing in them: ssot-migrate clean --set-aside [--older-than 14d]`);
      for (const a of s.setAside) out.push(`  ${setAsideLine(a)}`);
    }
    if (s.deleted) {
      // the ids' code is gone: a fresh verdict would judge nothing; the deleting commit is the answer
      out.push('', `safe to delete? deleted by remove-shim ${s.deleted.commit.slice(0, 12)} (\`ssot-migrate review remove-shim\` shows the evidence)`);
      if (s.deleted.telemetry) out.push(`  telemetry the gate opened on: ${s.deleted.telemetry}`);
      if (s.deleted.withoutTelemetry) out.push(`  accepted without telemetry: ${s.deleted.withoutTelemetry}`);
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    }
    out.push('', s.telemetry ? `safe to delete? (telemetry: ${s.telemetry.source}, window ${s.telemetry.window.from} to ${s.telemetry.window.to})` : 'safe to delete? (no telemetry: give --telemetry for the in use / unused / unknown verdict)');
    for (const n of s.telemetry?.notes ?? []) out.push(`  note: ${n}`);
    for (const v of s.verdicts) {
      out.push(`  ${v.id}  ${v.safe ? 'yes' : 'not yet'}${v.telemetry ? `  (${v.telemetry.verdict})` : ''}`);
      for (const c of v.checks) if (c.status !== 'pass' || c.name === 'calls') out.push(`    ${c.name}: ${c.status} — ${c.detail}`);
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
});
