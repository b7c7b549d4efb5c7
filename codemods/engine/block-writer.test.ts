import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlockWriter } from './block-writer.js';

describe('BlockWriter', () => {
  it('writes texts and byte runs in order as UTF-8, across blocks, larger than a block, and from a reused view', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssot-block-writer-'));
    try {
      const file = join(dir, 'out');
      const fd = openSync(file, 'w');
      const w = new BlockWriter(fd);
      const expected: Buffer[] = [];
      // one view the caller overwrites after each write: the writer must have copied it
      const reused = Buffer.alloc(70_000);
      for (let i = 0; i < 300; i++) {
        const text = i % 11 === 0 ? '' : `\uFEFF${i}: café ✓ 𝒳\r\n`.repeat(i % 37 === 5 ? 30_000 : (i % 17) * 40);
        if (i % 2 === 0) w.write(text);
        else {
          const n = reused.write(text.slice(0, 20_000));
          w.write(reused.subarray(0, n));
          expected.push(Buffer.from(reused.subarray(0, n)));
          reused.fill(0x2a);
          if (i % 37 === 6) {
            const big = Buffer.from(text.repeat(2));
            w.write(big);
            expected.push(Buffer.from(big));
          }
          continue;
        }
        expected.push(Buffer.from(text, 'utf8'));
      }
      const bytes = w.end();
      closeSync(fd);
      const want = Buffer.concat(expected);
      expect(want.length).toBeGreaterThan(3 * 256 * 1024);
      expect(bytes).toBe(want.length);
      expect(readFileSync(file).equals(want)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
