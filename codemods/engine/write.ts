import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Replace a file's content atomically (write beside it, then rename) so an interrupted run
 * never leaves a half-written source file.
 */
export function writeFileAtomic(repoDir: string, file: string, text: string | Uint8Array): void {
  const abs = join(repoDir, file);
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = `${abs}.ssot-tmp-${process.pid}`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, abs);
}

