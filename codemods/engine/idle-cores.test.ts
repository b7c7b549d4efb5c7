import { describe, expect, it } from 'vitest';
import { MIN_WINDOW_MS, othersBusyCoresSince, sampleCpu } from './idle-cores.js';

describe('othersBusyCoresSince', () => {
  it('cannot tell over a stretch shorter than MIN_WINDOW_MS, or without a sample', () => {
    expect(othersBusyCoresSince(undefined)).toBeUndefined();
    expect(othersBusyCoresSince(sampleCpu())).toBeUndefined();
  });

  it("counts the machine's busy time less this process's own: a busy loop here is not another process", () => {
    const s = sampleCpu();
    expect(s).toBeDefined();
    const end = performance.now() + MIN_WINDOW_MS + 50;
    let x = 0;
    while (performance.now() < end) x += Math.sqrt(x + 1);
    const others = othersBusyCoresSince(s)!;
    expect(x).toBeGreaterThan(0);
    // whatever else runs on the machine, never more than its cores; this loop itself is left out (at most a tick's rounding)
    expect(others).toBeGreaterThanOrEqual(0);
    expect(others).toBeLessThanOrEqual(s!.cores);
  });
});
