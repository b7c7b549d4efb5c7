import { describe, expect, it } from 'vitest';
import { autoWorkerCount } from './run.js';

describe('autoWorkerCount', () => {
  it('starts no worker on 2 cores or fewer, however idle: the second core is V8 background threads\' and the read-ahead thread\'s', () => {
    expect(autoWorkerCount(2)).toBe(0);
    expect(autoWorkerCount(2, 2, 0)).toBe(0);
    expect(autoWorkerCount(1, 1, 0)).toBe(0);
  });

  it('from 3 cores: one per core left beside the main thread, at most three', () => {
    expect(autoWorkerCount(3)).toBe(2);
    expect(autoWorkerCount(4)).toBe(3);
    expect(autoWorkerCount(16)).toBe(3);
    expect(autoWorkerCount(4, 4, 0)).toBe(3);
  });

  it('only as many as the cores other processes leave idle (half a core free counts)', () => {
    expect(autoWorkerCount(4, 4, 1)).toBe(2);
    expect(autoWorkerCount(4, 4, 2.6)).toBe(0);
    expect(autoWorkerCount(4, 4, 2.4)).toBe(1);
    expect(autoWorkerCount(4, 4, 4)).toBe(0);
  });
});
