/**
 * `ssot-migrate review <phase|commit> --repo DIR [--html FILE] [--json]`: a phase commit's diff
 * grouped by hunk shape, with TODO(ssot) markers and needs-review items first and the runner's
 * figures from the trailers.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { buildReview, formatReviewText, renderReviewHtml, useColor } from '../review/index.js';
import { defineCommand, UsageError } from './args.js';

export const command = defineCommand({
  name: 'review',
  summary: "a phase's diff grouped by hunk shape, TODO(ssot) and needs-review first (text, --json, --html)",
  usage: 'ssot-migrate review <phase|commit> [--repo DIR] [--html FILE] [--json]',
  options: { html: { type: 'string' } },
  async run(a) {
    if (a.positionals.length !== 1) throw new UsageError('name one phase or commit');
    const html = typeof a.values.html === 'string' ? a.values.html : undefined;
    const result = await buildReview(a.repo, a.positionals[0]!);
    if (html) await writeFile(resolve(html), renderReviewHtml(result));
    if (a.json) process.stdout.write(JSON.stringify(result.report, null, 2) + '\n');
    else {
      process.stdout.write(formatReviewText(result.report, { color: useColor(process.stdout) }));
      if (html) process.stdout.write(`\nwrote ${resolve(html)}\n`);
    }
    return 0;
  },
});
