import { describe, expect, it } from 'vitest';
import { formatRatio, measure } from '../../bench/harness.js';

const atLeast = { min: 0.3, text: '≥ 0.3x' };
const atMost = { max: 1.5, text: '≤ 1.5x' };

describe('bench: a printed ratio never reads as the other verdict', () => {
  it('prints three digits where they agree with the verdict', () => {
    expect(formatRatio(measure('m', 285, 1000, 'x', atLeast))).toBe('0.285');
    expect(formatRatio(measure('m', 300, 1000, 'x', atLeast))).toBe('0.300');
    expect(formatRatio(measure('m', 146, 100, 'x', atMost))).toBe('1.46');
  });

  it('prints more digits where rounding would cross the target', () => {
    const miss = measure('m', 162081, 540472, 'events/s', atLeast); // the 2026-12-05 20:07 redis-bus run
    expect(miss.pass).toBe(false);
    expect(formatRatio(miss)).toBe('0.2999');
    const over = measure('m', 1.5004, 1, 's', atMost);
    expect(over.pass).toBe(false);
    expect(formatRatio(over)).toBe('1.5004');
    expect(formatRatio(measure('m', 1.50004, 1, 's', atMost))).toBe('1.50004');
  });
});
