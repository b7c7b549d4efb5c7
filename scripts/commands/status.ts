/** `ssot-migrate status`: each phase done / pending / blocked (and why), compliance, what is left. */
import { repoStatus } from '../runner/index.js';
import { defineCommand } from './args.js';

export const command = defineCommand({
  name: 'status',
  summary: 'each phase done / pending / blocked (and why), compliance %, legacy import sites left, open TODO(ssot) markers',
  usage: 'ssot-migrate status [--repo DIR] [--json]',
  async run(a) {
    const s = await repoStatus(a.repo);
    if (a.json) {
      process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
      return 0;
    }
    const out: string[] = [];
    for (const p of s.phases) out.push(`${p.state.padEnd(12)} ${p.phase}${p.custom ? ' (custom)' : ''}${p.commit ? `  ${p.commit.slice(0, 12)}` : ''}${p.why ? `  (${p.why})` : ''}`);
    out.push('', `compliance ${s.compliance.toFixed(1)}%; ${s.legacyImportSites} legacy import site(s) in ${s.legacyFiles} file(s); ${s.todoMarkers.length} open TODO(ssot) marker(s)`);
    for (const t of s.todoMarkers.slice(0, 20)) out.push(`  ${t.file}:${t.line} ${t.text}`);
    if (s.todoMarkers.length > 20) out.push(`  … and ${s.todoMarkers.length - 20} more`);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
});
