/**
 * Applies a plan's writes while keeping every original byte, so a failed verification can
 * restore the tree exactly (content and file mode; created files and folders removed).
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/**
 * Where each write really lands, symlinks followed: a write through a symlink (the file, or a
 * folder on its way) becomes a write of its target, and one whose target leaves the repository
 * root, or enters .git, is refused (a message naming the path and where it leads). Deleting a
 * symlink deletes the link, never its target.
 */
export function confineWrites(repo: string, writes: readonly FileWrite[]): FileWrite[] | string {
  const root = realpathSync(repo);
  const out: FileWrite[] = [];
  for (const w of writes) {
    const parts = w.path.split(/[\\/]/);
    if (w.path === '' || path.isAbsolute(w.path) || parts.includes('..') || parts[0] === '.git') return `refuses to write ${JSON.stringify(w.path)}: not a path inside the work tree`;
    const abs = path.join(root, w.path);
    let resolved: string;
    let link = false;
    try {
      link = lstatSync(abs).isSymbolicLink();
    } catch {
      // not there yet
    }
    if (link && w.content !== null) {
      try {
        resolved = realpathSync(abs);
      } catch {
        return `refuses to write ${JSON.stringify(w.path)}: it is a symlink to a path that does not exist`;
      }
    } else {
      // the deepest folder on the way that exists, symlinks followed, plus the rest of the path
      let dir = path.dirname(abs);
      const rest = [path.basename(abs)];
      while (!existsSync(dir)) {
        rest.unshift(path.basename(dir));
        dir = path.dirname(dir);
      }
      resolved = path.join(realpathSync(dir), ...rest);
    }
    const rel = path.relative(root, resolved);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return `refuses to write ${JSON.stringify(w.path)}: it resolves (symlinks followed) to ${resolved}, outside the repository ${root}`;
    if (rel.split(path.sep)[0] === '.git') return `refuses to write ${JSON.stringify(w.path)}: it resolves (symlinks followed) into .git`;
    out.push({ path: rel.split(path.sep).join('/'), content: w.content });
  }
  return out;
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
