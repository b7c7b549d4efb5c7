/**
 * `ssot-migrate review <phase|commit> --repo DIR [--html FILE] [--json]`: a phase commit's diff
 * grouped by hunk shape, with TODO(ssot) markers and needs-review items first and the runner's
 * figures from the trailers.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { RepoPathError, resolveRepo } from '../repo-root.js';
import { buildReview, formatReviewText, renderReviewHtml, useColor } from '../review/index.js';

const usage = 'ssot-migrate review <phase|commit> [--repo DIR] [--html FILE] [--json]';

export const command = {
  name: 'review',
  summary: "a phase's diff grouped by hunk shape, TODO(ssot) and needs-review first (text, --json, --html)",
  usage,
  async run(argv: string[]): Promise<number> {
    let repo: string | undefined;
    let html: string | undefined;
    let json = false;
    const positional: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i]!;
      const value = (name: string): string | undefined => {
        const v = argv[++i];
        if (v === undefined || v.startsWith('--')) process.stderr.write(`${name} needs a value\nusage: ${usage}\n`);
        return v === undefined || v.startsWith('--') ? undefined : v;
      };
      if (arg === '--repo') {
        const v = value('--repo');
        if (v === undefined) return 2;
        repo = v;
      } else if (arg.startsWith('--repo=')) repo = arg.slice(7);
      else if (arg === '--html') {
        const v = value('--html');
        if (v === undefined) return 2;
        html = v;
      } else if (arg.startsWith('--html=')) html = arg.slice(7);
      else if (arg === '--json') json = true;
      else if (arg === '-h' || arg === '--help') {
        process.stdout.write(`usage: ${usage}\n`);
        return 0;
      } else if (arg.startsWith('-')) {
        process.stderr.write(`unknown option ${arg}\nusage: ${usage}\n`);
        return 2;
      } else positional.push(arg);
    }
    if (positional.length !== 1) {
      process.stderr.write(`name one phase or commit\nusage: ${usage}\n`);
      return 2;
    }
    let repoDir: string;
    try {
      repoDir = resolveRepo(repo);
    } catch (err) {
      if (!(err instanceof RepoPathError)) throw err;
      process.stderr.write(`${err.message}\nusage: ${usage}\n`);
      return 2;
    }
    const result = await buildReview(repoDir, positional[0]!);
    if (html) {
      await writeFile(resolve(html), renderReviewHtml(result));
    }
    if (json) process.stdout.write(JSON.stringify(result.report, null, 2) + '\n');
    else {
      process.stdout.write(formatReviewText(result.report, { color: useColor(process.stdout) }));
      if (html) process.stdout.write(`\nwrote ${resolve(html)}\n`);
    }
    return 0;
  },
};
