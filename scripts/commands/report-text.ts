import type { TransformReport } from '../../codemods/index.js';

/** Human summary of a transform run: counts, then every failed / skipped file and every problem. */
export function reportText(r: TransformReport): string {
  const s = r.summary;
  const lines = [
    `${r.phase}${r.dryRun ? ' (dry run)' : ''}: ${s.changed} changed, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.failed} failed (${s.scanned} read, ${s.parsed} parsed)`,
  ];
  for (const f of r.files) {
    if (f.status === 'failed') lines.push(`  failed  ${f.file}:${f.error?.line ?? 0}:${f.error?.column ?? 0} ${f.error?.message ?? ''}`);
    else if (f.status === 'skipped') lines.push(`  skipped ${f.file}: ${f.reason ?? ''}`);
    for (const p of f.problems) lines.push(`  ${p.code.padEnd(15)} ${f.file}:${p.line}:${p.column} ${p.message}`);
  }
  return lines.join('\n') + '\n';
}
