/**
 * A git command whose output is read only once it has exited (a listing: `git ls-files`), its
 * stdout a temporary file instead of a pipe. Through a pipe git stops writing at 64 KiB until
 * this thread reads, and a snapshot opens while this thread is busy (the manifest, TypeScript's
 * load, the legacy modules' parse: ~0.3 s): git did most of its listing only once the snapshot
 * awaited it. Measured with the index listing of the bench's 20,000-file tree (~1.9 MB) after a
 * 300 ms busy stretch, under chrt -r 1 at load ~12: ~85 ms of waiting through a pipe, ~20 through
 * a file (issue 21, helper cm15). The file is unlinked as soon as git has it open where the
 * platform allows (nothing left behind whatever ends the process), else when read.
 */
import { spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a git command ended: its exit code (null: not run, killed, or its output unreadable or too large), stderr, and stdout when read. */
export interface GitRun {
  code: number | null;
  stderr: string;
  stdout?: string;
}

/** Output beyond this is not read (the code is then null): a listing this large is refused as a pipe's maxBuffer refused it. */
const MAX_BYTES = 512 * 1024 * 1024;

/** Runs `git args` in `repoDir` with its stdout in a temporary file; resolves (never rejects) once it has exited, with that output. */
export function gitToFile(repoDir: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<GitRun> {
  const path = join(tmpdir(), `ssot-migrate-git-${process.pid}-${Math.random().toString(36).slice(2)}`);
  let fd: number;
  try {
    fd = openSync(path, 'wx+', 0o600);
  } catch (err) {
    return Promise.resolve({ code: null, stderr: String(err) });
  }
  let removed = false;
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    closeSync(fd);
    if (!removed) unlinkQuietly(path);
  };
  return new Promise((resolve) => {
    const end = (r: GitRun): void => {
      release();
      resolve(r);
    };
    let proc;
    try {
      proc = spawn('git', args, { cwd: repoDir, env, stdio: ['ignore', fd, 'pipe'], windowsHide: true });
    } catch (err) {
      return end({ code: null, stderr: String(err) });
    }
    // git holds the file open now: where an open file can be unlinked, it goes at once
    removed = unlinkQuietly(path);
    let stderr = '';
    proc.stderr!.setEncoding('utf8');
    proc.stderr!.on('data', (d: string) => (stderr += d));
    proc.on('error', (err) => end({ code: null, stderr: String(err) }));
    proc.on('close', (code) => {
      if (released) return; // ended by 'error'
      try {
        const size = fstatSync(fd).size;
        if (size > MAX_BYTES) return end({ code: null, stderr: `${stderr}git ${args[0]}: output over ${MAX_BYTES} bytes` });
        const buf = Buffer.allocUnsafe(size);
        for (let got = 0; got < size; ) {
          const n = readSync(fd, buf, got, size - got, got);
          if (n === 0) return end({ code: null, stderr: `${stderr}git ${args[0]}: output truncated` });
          got += n;
        }
        end({ code, stderr, stdout: buf.toString('utf8') });
      } catch (err) {
        end({ code: null, stderr: String(err) });
      }
    });
  });
}

function unlinkQuietly(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch {
    return false; // open elsewhere (Windows): removed once closed
  }
}
