// The three verdicts from JSONL files: in use / unused / unknown, with the coverage behind them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileEvidenceSource, judge, legacyVerdicts, formatVerdicts, openEvidenceSource } from '../evidence/index.js';
import { Telemetry } from '../telemetry.js';
import { JsonlSink } from '../telemetry-sink.js';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const MIN = 60_000;
const at = (m: number): string => new Date(T0 + m * MIN).toISOString();
/** The window: minutes 10..70. */
const WINDOW = { from: T0 + 10 * MIN, to: T0 + 70 * MIN };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssot-verdict-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface RunSpec {
  host?: string;
  pid: number;
  ids?: string[];
  /** Minute marks of its coverage lines: [0, 5, 10] writes lines 0-5 and 5-10. */
  marks: number[];
  final?: boolean;
  /** Drop the line that starts at this mark (a lost write). */
  lose?: number;
}

function coverageLines(r: RunSpec): string[] {
  const out: string[] = [];
  for (let i = 1; i < r.marks.length; i++) {
    if (r.lose === r.marks[i - 1]) continue;
    const last = i === r.marks.length - 1;
    out.push(
      JSON.stringify({
        kind: 'coverage',
        v: 1,
        ts: at(r.marks[i]!),
        service: 'web',
        version: '1.4.2',
        host: r.host ?? 'web-1',
        pid: r.pid,
        started: at(r.marks[0]!),
        ids: r.ids ?? ['WSM001', 'WSM002'],
        start: at(r.marks[i - 1]!),
        end: at(r.marks[i]!),
        intervalMs: 6 * MIN,
        ...(last && r.final ? { final: true, reason: 'SIGTERM' } : {}),
      }),
    );
  }
  return out;
}

function useLine(id: string, minute: number, count = 1, pid = 1): string {
  return JSON.stringify({ v: 1, ts: at(minute + 0.1), pid, host: 'web-1', id, symbol: 'getWebSocketManager', mode: 'canonical', 'code.file.path': '/srv/app/routes.ts', 'code.line.number': 12, 'code.column.number': 3, count, methodCalls: 0, firstSeen: at(minute), lastSeen: at(minute) });
}

async function write(name: string, lines: string[]): Promise<void> {
  await writeFile(join(dir, name), lines.join('\n') + '\n');
}

const every5 = (from: number, to: number): number[] => Array.from({ length: Math.floor((to - from) / 5) + 1 }, (_, i) => from + i * 5);

async function verdicts(ids = ['WSM001', 'WSM002']) {
  return legacyVerdicts(new FileEvidenceSource([dir]), ids, WINDOW);
}

describe('verdicts from files', () => {
  it('in use: a call in the window, with its site', async () => {
    await write('a.jsonl', [...coverageLines({ pid: 1, marks: every5(0, 70) }), useLine('WSM001', 42, 3)]);
    const report = await verdicts();
    const v = report.verdicts.find((x) => x.id === 'WSM001')!;
    expect(v).toMatchObject({ verdict: 'in use', calls: 3, lastSeen: at(42), sites: ['/srv/app/routes.ts:12:3'] });
    // WSM002 in the same covered process, never called: unused.
    expect(report.verdicts.find((x) => x.id === 'WSM002')).toMatchObject({ verdict: 'unused', calls: 0 });
  });

  it('unused: runs with the id covered the whole window between them, no call; a call before the window does not count', async () => {
    // One run stops cleanly at minute 40; its successor starts at 38 and is still running.
    await write('a.jsonl', [...coverageLines({ pid: 1, marks: every5(0, 40), final: true }), useLine('WSM001', 5)]);
    await write('b.jsonl', coverageLines({ pid: 2, marks: [38, ...every5(40, 70)] }));
    const report = await verdicts(['WSM001']);
    const v = report.verdicts[0]!;
    expect(v.verdict).toBe('unused');
    expect(v.reasons).toEqual([]);
    expect(v.coverage.ratio).toBe(1);
    expect(v.coverage.instances.map((i) => [i.key, i.end.kind])).toEqual([
      ['web on web-1 pid 1', 'clean'],
      ['web on web-1 pid 2', 'running'],
    ]);
    expect(v.coverage.evidenceUntil).toBe(at(70));
  });

  it('unknown: a lost coverage line is a gap', async () => {
    await write('a.jsonl', coverageLines({ pid: 1, marks: every5(0, 70), lose: 30 }));
    const v = (await verdicts(['WSM001'])).verdicts[0]!;
    expect(v.verdict).toBe('unknown');
    expect(v.reasons.join('\n')).toContain('coverage lines missing');
    expect(v.coverage.holes[0]).toMatchObject({ start: T0 + 30 * MIN, end: T0 + 35 * MIN });
  });

  it('unknown: a run that went silent without a final line (SIGKILL) inside the window', async () => {
    await write('a.jsonl', coverageLines({ pid: 1, marks: every5(0, 70) }));
    await write('b.jsonl', coverageLines({ pid: 2, marks: every5(0, 45) })); // no final line, silent since 45
    const v = (await verdicts(['WSM001'])).verdicts[0]!;
    expect(v.verdict).toBe('unknown');
    expect(v.reasons.join('\n')).toMatch(/pid 2 went silent without a final coverage line/);
    // The same run ending cleanly is no problem.
    await write('b.jsonl', coverageLines({ pid: 2, marks: every5(0, 45), final: true }));
    expect((await verdicts(['WSM001'])).verdicts[0]!.verdict).toBe('unused');
  });

  it('unknown: part of the window nobody with the id installed covered', async () => {
    await write('a.jsonl', coverageLines({ pid: 1, marks: every5(25, 70) }));
    const v = (await verdicts(['WSM001'])).verdicts[0]!;
    expect(v.verdict).toBe('unknown');
    expect(v.coverage.ratio).toBeCloseTo(45 / 60, 5);
    expect(v.reasons).toEqual([`no run with WSM001 installed observed from ${at(10)} to ${at(25)}`]);
  });

  it('unknown: no run with the id installed reported (other ids only, or no file content)', async () => {
    await write('a.jsonl', coverageLines({ pid: 1, marks: every5(0, 70), ids: ['WSM002'] }));
    const report = await verdicts(['WSM001', 'WSM002']);
    expect(report.verdicts.map((v) => [v.id, v.verdict])).toEqual([
      ['WSM001', 'unknown'],
      ['WSM002', 'unused'],
    ]);
    expect(report.verdicts[0]!.reasons).toEqual(['no run with WSM001 installed reported in the window']);
  });

  it('files written before coverage existed stay readable: use counts, silence is unknown', async () => {
    await write('old.jsonl', [useLine('WSM001', 50), useLine('WSM001', 60, 2), '{"v":1,"id":"WSM0', useLine('WSM002', 1)]);
    const report = await verdicts();
    expect(report.verdicts.map((v) => [v.id, v.verdict, v.calls])).toEqual([
      ['WSM001', 'in use', 3],
      ['WSM002', 'unknown', 0],
    ]);
    expect(report.notes).toEqual(['1 malformed line(s) skipped', 'use lines but no coverage lines: written by a shim that does not record coverage']);
    expect(formatVerdicts(report)).toContain('WSM002  unknown');
  });

  it('reads what the real sink writes (a flush per interval, a final line at the end)', async () => {
    let clock = T0;
    const t = new Telemetry({ now: () => clock, installed: () => ['WSM001'] });
    const file = join(dir, 'real.jsonl');
    const sink = new JsonlSink(t, file, { intervalMs: 0, flushOnExit: false, coverageIntervalMs: 5 * MIN, coverageOptions: { now: () => clock, ids: () => ['WSM001'] } });
    for (let m = 5; m <= 70; m += 5) {
      clock = T0 + m * MIN;
      if (m === 20) t.hit('WSM001', 'X', 'canonical', undefined);
      await sink.flush();
    }
    const source = openEvidenceSource([file]);
    expect((await legacyVerdicts(source, ['WSM001'], WINDOW)).verdicts[0]).toMatchObject({ verdict: 'in use', calls: 1 });
    expect((await legacyVerdicts(source, ['WSM001'], { from: T0 + 25 * MIN, to: T0 + 70 * MIN })).verdicts[0]!.verdict).toBe('unused');
    // After the run ends cleanly, later windows are simply not covered by it.
    await sink.close();
    const later = judge(await source.collect({ from: T0 + 80 * MIN, to: T0 + 90 * MIN }), ['WSM001']);
    expect(later.verdicts[0]!.verdict).toBe('unknown');
  });
});
