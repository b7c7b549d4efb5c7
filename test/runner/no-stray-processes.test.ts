/**
 * No process outlives the CLI: the bin, started in its own process group (detached), runs a dry
 * run with the codemod worker pool (from the TypeScript sources: tsx, and its esbuild service, in
 * the main thread and every worker), a failing run, a run interrupted by SIGTERM, and a run whose
 * verify command leaves a daemon behind. When the CLI has exited, no process is left in its group
 * and the daemon is gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runPhase } from '../../scripts/runner/index.js';
import { BUILT_CLI, SOURCE_BIN } from './cli-process.js';
import { fromTemplate, makeRepo } from './fixture-repo.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

/** Processes whose process group is `pgid`, read from /proc/<pid>/stat (zombies included). */
function group(pgid: number): string[] {
  const out: string[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === pgid) out.push(`${d} [${f[0]}] ${readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' ').trim()}`);
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Who else was in the group while the CLI ran (proves the scan sees the helpers). */
  seen: string[];
  /** Who is in the group right after the CLI's exit, not counting exited ones (zombies). */
  left: string[];
  /** Who is in the group at all (zombies too) 2 s after the exit. */
  later: string[];
}

/**
 * The bin as a user's shell starts it: its own process group; `onStderr` may signal it. The
 * checkout's bin (the sources through tsx, whose esbuild service is one of the helpers that must
 * end) unless `bin` says otherwise.
 */
function runCli(args: string[], env: Record<string, string> = {}, onStderr?: (text: string, pid: number) => void, bin = SOURCE_BIN): Promise<Ended> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const pgid = child.pid!;
    let stderr = '';
    const seen = new Set<string>();
    const sample = setInterval(() => {
      for (const p of group(pgid)) if (!p.startsWith(`${pgid} `)) seen.add(p.replace(/^\d+ \[.\] /, ''));
    }, 50);
    child.stderr!.on('data', (b: Buffer) => {
      stderr += b.toString();
      onStderr?.(stderr, pgid);
    });
    child.on('exit', (code, signal) => {
      clearInterval(sample);
      const left = group(pgid).filter((p) => !/^\d+ \[Z\]/.test(p));
      // An exited child of a worker thread is collected by init once the CLI is gone (Node does
      // not collect it for a finished thread): a zombie for a moment, never a running process.
      const until = Date.now() + 2000;
      const poll = () => {
        const later = group(pgid);
        if (later.length && Date.now() < until) setTimeout(poll, 50);
        else resolve({ code, signal, stderr, seen: [...seen], left, later });
      };
      poll();
    });
  });
}

const repoWith = (patch: Record<string, unknown>, files: Record<string, string> = {}) => {
  const repo = makeRepo({ 'src/a.ts': "import { OLD } from './old';\nexport const a = OLD;\n", 'src/b.ts': "import { OLD } from './old';\nexport const b = OLD + 1;\n", ...files }, patch);
  repos.push(repo);
  return repo;
};

/** discover committed with rewrite-imports next (made once; each case gets a copy). */
const discoveredForRewrite = fromTemplate(async () => {
  const repo = repoWith({ phases: ['discover', 'rewrite-imports'] });
  expect((await runPhase(repo, 'discover')).status).toBe('committed');
  return repo;
}, repos);

describe.skipIf(!existsSync('/proc/self/stat'))('no process outlives the CLI', () => {
  test('a dry run with the worker pool (tsx and esbuild in every thread) leaves its process group empty', async () => {
    const repo = await discoveredForRewrite();
    // tsx without its cache: every thread starts an esbuild service
    const r = await runCli(['run', 'rewrite-imports', '--dry-run', '--repo', repo], { SSOT_WORKERS: '2', TSX_DISABLE_CACHE: '1' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.seen.filter((p) => p.includes('esbuild')).length).toBeGreaterThanOrEqual(1);
    expect(r.stderr).toContain('rewrite-imports: dry-run');
    expect(r.left).toEqual([]);
    expect(r.later).toEqual([]);
  }, 120_000);

  test('a failing run (the phase throws) leaves its process group empty', async () => {
    const repo = repoWith(
      { phases: ['discover', 'explode'], customPhases: [{ name: 'explode', kind: 'module', path: 'phases/explode.mjs', after: 'discover' }] },
      { 'phases/explode.mjs': "export default function explode() { throw new Error('the phase failed on purpose'); }\n" },
    );
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    const r = await runCli(['run', 'explode', '--dry-run', '--repo', repo]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/explode: failed \(at transform\)[\s\S]*the phase failed on purpose/);
    expect(r.left).toEqual([]);
    expect(r.later).toEqual([]);
  }, 120_000);

  test('SIGTERM during a dry run (after the plan, workers used) leaves its process group empty', async () => {
    const repo = await discoveredForRewrite();
    let sent = false;
    const r = await runCli(['run', 'rewrite-imports', '--dry-run', '--repo', repo], { SSOT_WORKERS: '2', SSOT_TEST_PAUSE_AT: 'plan', TSX_DISABLE_CACHE: '1' }, (text, pid) => {
      if (!sent && text.includes('ssot-test: paused at plan')) {
        sent = true;
        process.kill(pid, 'SIGTERM');
      }
    });
    expect(sent).toBe(true);
    expect(r.code, r.stderr).toBe(143);
    expect(r.left).toEqual([]);
    expect(r.later).toEqual([]);
  }, 120_000);

  test("a verify command's daemon does not outlive the run", async () => {
    const pids = path.join(os.tmpdir(), `ssot-straggler-${process.pid}-${Date.now()}`);
    repos.push(pids);
    // the test command passes, leaving a sleep running in the background (its output detached)
    const repo = repoWith({ verify: { typecheck: 'node typecheck.mjs', test: `node test.mjs && (sleep 300 >/dev/null 2>&1 & echo $! >> ${pids})` } });
    expect((await runPhase(repo, 'discover')).status).toBe('committed');
    const r = await runCli(['run', 'toy-rewrite', '--repo', repo], {}, undefined, BUILT_CLI);
    expect(r.code, r.stderr).toBe(0);
    expect(r.left).toEqual([]);
    const started = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
    expect(started.length).toBeGreaterThanOrEqual(1);
    const alive = started.filter((pid) => {
      try {
        return !/^\S+ \(\S+\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  }, 120_000);
});
