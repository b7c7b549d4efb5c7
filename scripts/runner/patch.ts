/**
 * A unified diff of a plan against the tree, for --dry-run and review; touches nothing. Git's
 * extended headers (`new file mode`, `deleted file mode`) and bare /dev/null names make it a
 * patch `git apply` accepts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { FileWrite } from '../../codemods/index.js';

const gitMode = (mode: number) => ((mode & 0o111) !== 0 ? '100755' : '100644');

export function planDiff(repo: string, writes: FileWrite[]): string {
  const parts: string[] = [];
  for (const w of writes) {
    const abs = path.join(repo, w.path);
    const exists = existsSync(abs);
    if (!exists && w.content === null) continue; // deleting what is not there changes nothing
    const before = exists ? readFileSync(abs, 'utf8') : '';
    const after = w.content === null ? '' : typeof w.content === 'string' ? w.content : Buffer.from(w.content).toString('utf8');
    if (exists && before === after) continue;
    const from = exists ? `a/${w.path}` : '/dev/null';
    const to = w.content === null ? '/dev/null' : `b/${w.path}`;
    const header = [`diff --git a/${w.path} b/${w.path}`];
    if (!exists) header.push('new file mode 100644');
    else if (w.content === null) header.push(`deleted file mode ${gitMode(statSync(abs).mode)}`);
    // No file headers (undefined, not ''): jsdiff would add a tab that git reads as part of the name.
    // the phase's own diff (computed on its worker threads) when it is of exactly these texts
    const own = exists && w.content !== null && w.diff !== undefined && w.before === before ? w.diff : undefined;
    const body = (own ?? createTwoFilesPatch(from, to, before, after, undefined, undefined, { context: 3 })).split('\n').slice(1).join('\n');
    // An empty file created or deleted has no hunk: git wants the headers alone.
    parts.push(`${header.join('\n')}\n${body.includes('\n@@') ? body : ''}`);
  }
  return parts.join('');
}
