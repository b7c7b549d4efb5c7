import { describe, expect, it } from 'vitest';
import { measure } from '../../bench/harness.js';
import { updateReadmeTable } from '../../bench/readme-table.js';

const order = ['canonical', 'redis-bus', 'shim', 'scale'];
const readme = [
  '# x',
  '<!-- bench:start -->',
  'Measured 2026-12-02 on m.',
  '',
  '| suite | measure | figure | baseline | ratio | target | | measured |',
  '|---|---|---|---|---|---|---|---|',
  '| canonical | old canonical row | 1 x | 1 x | 1.00 | ≤ 2x | PASS | 2026-12-02 |',
  '| shim | old shim row | 1 x | 1 x | 1.00 | ≤ 2x | PASS | 2026-12-03 |',
  '| scale | a scale row | 2 x | 4 x | 0.500 | ≤ 1x | PASS | 2026-12-01 |',
  '<!-- bench:end -->',
  'after',
].join('\n');

const run = (suites: string[]) => ({
  machine: 'm2',
  at: '2026-12-05T21:00:00Z',
  results: suites.map((suite) => ({ suite, measures: [measure(`new ${suite} row`, 1, 2, 'x', { max: 1, text: '≤ 1x' })] })),
});

describe('bench --update-readme: the table', () => {
  it('a full run (no scale: behind a flag) replaces the suites it ran and keeps the scale rows with their date', () => {
    const out = updateReadmeTable(readme, run(['canonical', 'redis-bus', 'shim']), order);
    expect(out).toContain('| scale | a scale row | 2 x | 4 x | 0.500 | ≤ 1x | PASS | 2026-12-01 |');
    expect(out).not.toContain('old canonical row');
    expect(out).not.toContain('old shim row');
    const rows = out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| suite'));
    expect(rows.map((l) => l.split('|')[1]!.trim())).toEqual(['canonical', 'redis-bus', 'shim', 'scale']);
    expect(out).toMatch(/Measured 2026-12-05 on m2\. Rows of suites not run then/);
    expect(out.endsWith('<!-- bench:end -->\nafter')).toBe(true);
  });

  it('--only keeps every other suite', () => {
    const out = updateReadmeTable(readme, run(['shim']), order);
    expect(out).toContain('old canonical row');
    expect(out).toContain('a scale row');
    expect(out).toContain('| shim | new shim row | 1.00 x | 2.00 x | 0.500 | ≤ 1x | PASS | 2026-12-05 |');
    expect(out).not.toContain('old shim row');
  });

  it('names the missing markers', () => {
    expect(() => updateReadmeTable('# no table', run(['shim']), order)).toThrow(/no bench markers/);
  });
});
