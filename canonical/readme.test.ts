import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeCodesMarkdown } from './index.js';

describe('README', () => {
  it('carries the close-code table exactly as close-codes.ts generates it', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    expect(readme).toContain(closeCodesMarkdown());
  });
});
