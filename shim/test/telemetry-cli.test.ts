import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { command as telemetry } from '../../scripts/commands/telemetry.js';
import type { TelemetryReport } from '../telemetry-report.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ssot-telemetry-cli-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const line = (o: Record<string, unknown>) =>
  JSON.stringify({ v: 1, ts: '2026-01-01T00:00:00.000Z', host: 'h', methodCalls: 0, ...o });

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const code = await telemetry.run(argv);
  vi.restoreAllMocks();
  return { code, out };
}

describe('ssot-migrate telemetry', () => {
  it('aggregates two processes JSONL into one table per id', async () => {
    const site = (file: string, ln: number) => ({ 'code.file.path': file, 'code.line.number': ln, 'code.column.number': 3 });
    await writeFile(
      join(dir, 'p1.jsonl'),
      [
        line({ pid: 1, id: 'WSM001', symbol: 'UnifiedWebSocketManager', mode: 'canonical', count: 5, methodCalls: 10, firstSeen: '2026-01-01T00:00:01.000Z', lastSeen: '2026-01-01T00:00:05.000Z', ...site('/app/a.ts', 10) }),
        line({ pid: 1, id: 'WSM001', symbol: 'UnifiedWebSocketManager', mode: 'canonical', count: 2, firstSeen: '2026-01-01T00:00:01.000Z', lastSeen: '2026-01-01T00:00:09.000Z', ...site('/app/a.ts', 10) }),
        '{"v":1,"id":"WSM0', // a fragment from a failed write
        line({ pid: 1, id: 'WSM002', symbol: 'getWebSocketManager', mode: 'legacy', count: 1, firstSeen: '2026-01-01T00:00:02.000Z', lastSeen: '2026-01-01T00:00:02.000Z', ...site('/app/b.ts', 4) }),
      ].join('\n') + '\n',
    );
    await writeFile(
      join(dir, 'p2.jsonl'),
      [
        line({ pid: 2, id: 'WSM001', symbol: 'UnifiedWebSocketManager', mode: 'legacy', count: 3, firstSeen: '2026-01-01T00:00:00.500Z', lastSeen: '2026-01-01T00:00:20.000Z', ...site('/app/c.ts', 7) }),
        line({ pid: 2, id: 'WSM001', symbol: 'UnifiedWebSocketManager', mode: 'legacy', count: 4, overflow: true, firstSeen: '2026-01-01T00:00:03.000Z', lastSeen: '2026-01-01T00:00:04.000Z' }),
      ].join('\n') + '\n',
    );
    const { code, out } = await run([join(dir, 'p1.jsonl'), join(dir, 'p2.jsonl'), '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(out) as TelemetryReport;
    expect(report.lines).toBe(5);
    expect(report.skipped).toHaveLength(1);
    const wsm1 = report.ids.find((s) => s.id === 'WSM001')!;
    expect(wsm1).toMatchObject({
      calls: 14,
      methodCalls: 10,
      distinctSites: 2,
      overflowCalls: 4,
      firstSeen: '2026-01-01T00:00:00.500Z',
      lastSeen: '2026-01-01T00:00:20.000Z',
      modes: { canonical: 7, legacy: 7 },
      lastMode: 'legacy',
      processes: 2,
    });
    expect(wsm1.topSites[0]).toMatchObject({ file: '/app/a.ts', line: 10, calls: 7, methodCalls: 10 });
    expect(report.ids.find((s) => s.id === 'WSM002')).toMatchObject({ calls: 1, distinctSites: 1, lastMode: 'legacy' });

    const table = await run([dir]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/WSM001\s+14\s+10\s+2 \(\+4 overflow\)/);
    expect(table.out).toContain('/app/a.ts:10:3');
    expect(table.out).toContain('1 malformed line(s) skipped');
  });

  it('fails clearly on a missing file', async () => {
    let err = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
      err += String(c);
      return true;
    });
    expect(await telemetry.run([join(dir, 'missing.jsonl')])).toBe(1);
    expect(err).toContain('missing.jsonl');
  });
});
