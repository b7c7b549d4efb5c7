/** A unified diff of a plan against the tree, for --dry-run and review; touches nothing. */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { FileWrite } from '../../codemods/index.js';

export function planDiff(repo: string, writes: FileWrite[]): string {
  const parts: string[] = [];
  for (const w of writes) {
    const abs = path.join(repo, w.path);
    const before = existsSync(abs) ? readFileSync(abs, 'utf8') : '';
    const after = w.content === null ? '' : typeof w.content === 'string' ? w.content : Buffer.from(w.content).toString('utf8');
    const from = existsSync(abs) ? `a/${w.path}` : '/dev/null';
    const to = w.content === null ? '/dev/null' : `b/${w.path}`;
    parts.push(`diff --git a/${w.path} b/${w.path}\n${createTwoFilesPatch(from, to, before, after, '', '', { context: 3 }).split('\n').slice(1).join('\n')}`);
  }
  return parts.join('');
}
