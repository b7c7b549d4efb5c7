import { describe, expect, it } from 'vitest';
import { v8FlagsToSet } from './ts-load.js';

describe('the V8 flags ts-load.js sets for the parser', () => {
  it('turns allocation-site pretenuring off and lowers the inlining budget by default', () => {
    expect(v8FlagsToSet('')).toEqual(['--max-inlined-bytecode-size-cumulative=200', '--no-allocation-site-pretenuring']);
  });

  it('leaves a flag the user set, either way and in either spelling, as they set it', () => {
    expect(v8FlagsToSet('--allocation-site-pretenuring')).toEqual(['--max-inlined-bytecode-size-cumulative=200']);
    expect(v8FlagsToSet('--no-allocation_site_pretenuring --max_inlined_bytecode_size_cumulative=920')).toEqual([]);
    expect(v8FlagsToSet('--max-old-space-size=4096')).toHaveLength(2);
  });
});
