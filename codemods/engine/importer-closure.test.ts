import { describe, expect, it } from 'vitest';
import { withImporters } from './importer-closure.js';

describe('withImporters', () => {
  // a <- b <- c (c imports b imports a), d imports c, e stands apart, b and f import each other
  const importers = new Map<string, string[]>([
    ['a', ['b']],
    ['b', ['c', 'f']],
    ['c', ['d']],
    ['f', ['b']],
  ]);
  const of = (f: string) => importers.get(f);

  it('follows importers transitively, through a cycle, and leaves unrelated files out', () => {
    expect([...withImporters(['a'], of)].sort()).toEqual(['a', 'b', 'c', 'd', 'f']);
  });
  it('starts from every given file and reaches nothing below them', () => {
    expect([...withImporters(['c', 'e'], of)].sort()).toEqual(['c', 'd', 'e']);
  });
});
