import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Replace a file's content atomically (write beside it, then rename) so an interrupted run
 * never leaves a half-written source file.
 */
export function writeFileAtomic(repoDir: string, file: string, text: string): void {
  const abs = join(repoDir, file);
  const tmp = `${abs}.ssot-tmp-${process.pid}`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, abs);
}

