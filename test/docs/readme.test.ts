import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { closeCodesMarkdown } from '../../canonical/index.js';
import { phasesMarkdown } from '../../codemods/index.js';

test('the README close-code table is the one canonical/close-codes.ts generates', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = /<!-- close-codes:start[^>]*-->\n([\s\S]*?)<!-- close-codes:end -->/.exec(readme);
  expect(section, 'README.md has the close-codes markers').not.toBeNull();
  expect(section![1]!.trim()).toBe(closeCodesMarkdown().trim());
});

test('the README phase table is the one the phase registry generates', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = /<!-- phases:start[^>]*-->\n([\s\S]*?)<!-- phases:end -->/.exec(readme);
  expect(section, 'README.md has the phases markers').not.toBeNull();
  expect(section![1]!.trim()).toBe(phasesMarkdown().trim());
});
