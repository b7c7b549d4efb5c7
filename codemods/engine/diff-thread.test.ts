import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDiffFromEdits } from './diff.js';
import { DiffThread } from './diff-thread.js';
import { applyEdits } from './edits.js';
import { SpillFile } from './spill.js';
import type { Edit, FileReport } from './types.js';

/** Changed files as the engine would hand them over: multibyte text, CRLF, a BOM, a splice with a lone surrogate, a large one. */
function cases(n: number): Array<{ file: string; text: string; splices: Edit[] }> {
  return Array.from({ length: n }, (_, i) => {
    const file = `src/m${i}.ts`;
    const body = Array.from({ length: 5 + (i % 40) }, (_, k) => `const v${k} = 'café ✓ 𝒳 ${k}';`).join(i % 3 === 0 ? '\r\n' : '\n');
    const text = `${i % 5 === 0 ? '\uFEFF' : ''}import { A } from './legacy';\n${body}${i % 97 === 1 ? 'x'.repeat(300_000) : ''}\n`;
    const at = text.indexOf("'./legacy'");
    const splices: Edit[] = [{ start: at, end: at + "'./legacy'".length, text: i % 50 === 7 ? "'\uD800canon'" : "'canon'" }];
    if (i % 4 === 0) splices.push({ start: text.indexOf('const v2'), end: text.indexOf('const v2'), text: 'let w = 1;\n' });
    return { file, text, splices };
  });
}

const report = (file: string): FileReport => ({ file, status: 'changed', problems: [] });

describe('DiffThread', () => {
  it("settles each result with the diff, changed regions and original the main thread would have spilled, across batches", () => {
    const thread = DiffThread.start();
    expect(thread).toBeDefined();
    const local = new SpillFile();
    const all = cases(300);
    const results = all.map((c) => thread!.add({ report: report(c.file) }, c.text, c.splices));
    thread!.finish(local);
    expect(thread!.threadFiles).toBe(300);
    results.forEach((r, i) => {
      const { file, text, splices } = all[i]!;
      const after = applyEdits(text, splices);
      const want = createDiffFromEdits(file, text, after, splices);
      expect([r.before, r.after, r.diff, r.edits]).toEqual([text, after, want.diff, want.edits]);
    });
  });

  it('does the batches itself when the thread never answers (descheduled or dead): the same results, from its own spill file', () => {
    // a thread that takes every batch and answers none
    const silent = new URL(`data:text/javascript,${encodeURIComponent("import { workerData } from 'node:worker_threads'; workerData.port.on('message', () => {});")}`);
    const thread = DiffThread.start(silent);
    expect(thread).toBeDefined();
    const local = new SpillFile();
    const all = cases(150);
    const results = all.map((c) => thread!.add({ report: report(c.file) }, c.text, c.splices));
    const t = performance.now();
    thread!.finish(local);
    expect(thread!.threadFiles).toBe(0);
    // START_MS for a thread that never started, then done here
    expect(performance.now() - t).toBeLessThan(10_000);
    results.forEach((r, i) => {
      const { file, text, splices } = all[i]!;
      const after = applyEdits(text, splices);
      const want = createDiffFromEdits(file, text, after, splices);
      expect([r.before, r.after, r.diff, r.edits]).toEqual([text, after, want.diff, want.edits]);
    });
  });

  it('is not started when the temp folder cannot take its spill file (the run diffs and holds every file itself)', () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(tmpdir(), `ssot-no-such-dir-${process.pid}`, 'deeper');
    try {
      expect(DiffThread.start()).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});
