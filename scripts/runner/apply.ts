/**
 * Applies a plan's writes while keeping every original byte, so a failed verification can
 * restore the tree exactly (content and file mode; created files and folders removed).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { FileWrite } from '../../codemods/index.js';

interface Original {
  abs: string;
  bytes: Buffer | null;
  mode: number;
}

export interface AppliedWrites {
  paths: string[];
  restore(): void;
}

export function applyWrites(repo: string, writes: FileWrite[]): AppliedWrites {
  const originals: Original[] = [];
  const createdDirs: string[] = [];
  try {
    for (const w of writes) {
      const abs = path.join(repo, w.path);
      const exists = existsSync(abs);
      originals.push({ abs, bytes: exists ? readFileSync(abs) : null, mode: exists ? statSync(abs).mode : 0o644 });
      if (w.content === null) {
        if (exists) unlinkSync(abs);
        continue;
      }
      for (let dir = path.dirname(abs); !existsSync(dir); dir = path.dirname(dir)) createdDirs.unshift(dir);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, w.content);
    }
  } catch (err) {
    restoreAll(originals, createdDirs);
    throw err;
  }
  return { paths: writes.map((w) => w.path), restore: () => restoreAll(originals, createdDirs) };
}

function restoreAll(originals: Original[], createdDirs: string[]): void {
  for (const o of [...originals].reverse()) {
    if (o.bytes === null) {
      if (existsSync(o.abs)) unlinkSync(o.abs);
    } else {
      mkdirSync(path.dirname(o.abs), { recursive: true });
      writeFileSync(o.abs, o.bytes);
      chmodSync(o.abs, o.mode & 0o7777);
    }
  }
  for (const dir of [...createdDirs].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty: something else lives there now; leave it
    }
  }
}
