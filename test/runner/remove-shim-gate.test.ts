/**
 * remove-shim's telemetry gate through the CLI on a real git repo: refused without telemetry,
 * refused on *unknown* with the coverage behind it, committed with `--without-telemetry` (the
 * reason in the commit's trailers, shown by review) and on *unused* telemetry (the verdicts in
 * the trailers; `status --telemetry` shows the same verdict before).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { git, makeRepo } from './fixture-repo.js';
import { cliSync } from './cli-process.js';

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

const cli = (repo: string, ...args: string[]) => cliSync([...args, '--repo', repo]);

function repo(): string {
  // nothing imports src/old any more: only the telemetry gate stands between it and deletion
  const r = makeRepo({ 'src/app.ts': "import { NEW } from './canonical';\nexport const x = NEW;\n" }, { phases: ['remove-shim'], customPhases: [] });
  repos.push(r);
  return r;
}

/**
 * Coverage lines of one process with WSM001 installed, every 5 s from `fromMs` ago to `toMs` ago,
 * in a fresh folder outside the repo (as on a host). It declares a 60 s longest silence, so it
 * still counts as running while the CLI starts up on a loaded machine.
 */
function coverage(fromMs: number, toMs: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ssot-gate-telemetry-'));
  repos.push(dir);
  const now = Date.now();
  const iso = (ms: number) => new Date(now - ms).toISOString();
  const lines: string[] = [];
  for (let m = fromMs; m > toMs; m -= 5000) {
    lines.push(JSON.stringify({ kind: 'coverage', v: 1, ts: iso(Math.max(toMs, m - 5000)), service: 'app', version: '1', host: 'h', pid: 42, started: iso(fromMs), ids: ['WSM001'], start: iso(m), end: iso(Math.max(toMs, m - 5000)), intervalMs: 60_000 }));
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'shim-h-42.jsonl'), `${lines.join('\n')}\n`);
  return dir;
}

describe('remove-shim telemetry gate (CLI, real git)', () => {
  test('refuses without telemetry and on unknown; --without-telemetry commits with the reason in the trailers and review shows it', () => {
    const r = repo();
    const head = git(r, 'rev-parse', 'HEAD');
    const none = cli(r, 'run', 'remove-shim');
    expect(none.code).toBe(1);
    expect(none.err).toMatch(/refused \(at gate\)[\s\S]*no telemetry given[\s\S]*--without-telemetry "<reason>"/);

    // the process started 30 s into the 60 s window: nobody watched the first half
    const late = coverage(30_000, 1000);
    const unknown = cli(r, 'run', 'remove-shim', '--telemetry', late, '--window', '60s');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/0 in use, 1 unknown; only unused lets remove-shim delete/);
    expect(unknown.err).toMatch(/WSM001: unknown: no run with WSM001 installed observed from .*; covered \d+\.\d% of 1m by 1 run\(s\)/);
    expect(git(r, 'rev-parse', 'HEAD')).toBe(head);

    const reason = 'internal CLI, runs on laptops only: no fleet to observe';
    const ok = cli(r, 'run', 'remove-shim', '--without-telemetry', reason);
    expect(ok.code, ok.err).toBe(0);
    const body = git(r, 'log', '-1', '--format=%B');
    // src/old.ts was never strangled (no frozen body): the subject does not call it a facade
    expect(body).toMatch(/^ssot\(remove-shim\): deleted 1 legacy module\(s\) with no facade or frozen body \(src\/old\.ts\) \(without telemetry: internal CLI/);
    expect(git(r, 'log', '-1', '--format=%(trailers:key=SSOT-Without-Telemetry,valueonly)').trim()).toBe(reason);
    const review = cli(r, 'review', 'remove-shim');
    expect(review.code, review.err).toBe(0);
    expect(review.out).toContain(`Without telemetry (reason given): ${reason}`);
  }, 180_000);

  test('unused telemetry: status shows the verdict with its coverage, the gate opens and the commit records the evidence', () => {
    const r = repo();
    const telemetry = coverage(90_000, 500);
    const status = cli(r, 'status', '--telemetry', telemetry, '--window', '60s', '--json');
    expect(status.code, status.err).toBe(0);
    const s = JSON.parse(status.out) as { verdicts: Array<{ id: string; safe: boolean; telemetry?: { verdict: string; coverage: { ratio: number; instances: unknown[] } } }> };
    expect(s.verdicts).toHaveLength(1);
    expect(s.verdicts[0]).toMatchObject({ id: 'WSM001', safe: true, telemetry: { verdict: 'unused', coverage: { ratio: 1 } } });
    expect(s.verdicts[0]!.telemetry!.coverage.instances).toHaveLength(1);
    const text = cli(r, 'status', '--telemetry', telemetry, '--window', '60s');
    expect(text.out).toMatch(/WSM001 {2}yes {2}\(unused\)\n {4}calls: pass — unused: zero calls; covered 100\.0% of 1m by 1 run\(s\)/);

    const ok = cli(r, 'run', 'remove-shim', '--telemetry', telemetry, '--window', '60s');
    expect(ok.code, ok.err).toBe(0);
    expect(git(r, 'log', '-1', '--format=%(trailers:key=SSOT-Telemetry-Verdicts,valueonly)').trim()).toBe('WSM001 unused 100.0% by 1 run(s)');
    expect(git(r, 'log', '-1', '--format=%(trailers:key=SSOT-Telemetry,valueonly)').trim()).toMatch(/^1 id\(s\) unused; window 1m .*; 1 run\(s\); source 1 file\(s\) in /);
    const review = cli(r, 'review', 'remove-shim', '--json');
    expect(JSON.parse(review.out).figures.telemetry.verdicts).toEqual(['WSM001 unused 100.0% by 1 run(s)']);
  }, 180_000);
});
