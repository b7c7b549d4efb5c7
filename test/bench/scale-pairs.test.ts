import { describe, expect, it } from 'vitest';
import { tscPairsWanted } from '../../bench/scale.js';

const opts = { min: 1, max: 5, bound: 1.05, noise: 0.05 };

describe('bench scale: how many tsc after-vs-before pairs settle the CPU verdict', () => {
  it('runs the asked pairs first', () => {
    expect(tscPairsWanted([], opts)).toBe(1);
    expect(tscPairsWanted([0.9], { ...opts, min: 3 })).toBe(3);
  });

  it('one pair far from the bound settles it, either way', () => {
    expect(tscPairsWanted([0.98], opts)).toBe(1);
    expect(tscPairsWanted([1.12], opts)).toBe(1);
  });

  it('one pair within the noise of the bound asks for three, three that disagree for the most', () => {
    expect(tscPairsWanted([1.05], opts)).toBe(3);
    expect(tscPairsWanted([1.01], opts)).toBe(3);
    expect(tscPairsWanted([1.01, 1.04, 0.99], opts)).toBe(3);
    expect(tscPairsWanted([1.01, 1.07, 0.99], opts)).toBe(5);
    expect(tscPairsWanted([1.01, 1.07, 0.99, 1.06, 1.0], opts)).toBe(5);
  });

  it('never asks for more than the most, nor fewer than the asked', () => {
    expect(tscPairsWanted([1.05, 1.06, 1.0], { ...opts, max: 3 })).toBe(3);
    expect(tscPairsWanted([1.0, 1.2, 1.0, 1.2, 1.0, 1.2], opts)).toBe(6);
  });
});
