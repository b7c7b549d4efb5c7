/**
 * splits[] at remove-adapters: a split class in its app module has the members it does not keep
 * rewritten through classes[].members wherever they are used (its kept members included) and then
 * deleted (split.ts). Fixtures in __testfixtures__/split: `<case>.input.ts` is the app module
 * (`src/app/<case>`, the split's `to`), `.output.ts` what the phase writes; each case also runs a
 * second time on its output (nothing changes) and as CRLF with a BOM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toCrlfBom } from '../../test/helpers/codemod-fixtures.js';
import { splitFixtures } from '../../test/helpers/split-fixtures.js';
import { legacyCalls } from './split.js';

const DIR = join(import.meta.dirname, '__testfixtures__/split');
const { run, manifestFor, describeCases } = splitFixtures(DIR, { experimentalDecorators: true });

describe('remove-adapters: split classes (splits[])', () => {
  describeCases();

  it('basic: the socket members go (a getter, a decorated method, one only a dropped member called), the kept ones and the constructor stay', () => {
    const { dropped } = run('basic', readFileSync(join(DIR, 'basic.input.ts'), 'utf8'));
    expect(dropped.sort()).toEqual(['Hub.isConnected', 'Hub.push', 'Hub.push2', 'Hub.pushAll', 'Hub.register', 'Hub.size', 'Hub.sockets']);
  });

  it('held: a templated member that stays only because a member that stays calls it is not rewritten in the kept members either (one state, not two)', () => {
    const r = run('held', readFileSync(join(DIR, 'held.input.ts'), 'utf8'));
    expect(r.after).toContain("this.record(this.isConnected(id) ? 'reconnect' : 'connect');");
    expect(r.after).not.toContain('hubOperations');
    expect(r.review.map((x) => x.message).join('\n')).toContain('splits: Hub.isConnected is not kept, but pushAll, which stays, uses it: it stays whole with it');
    expect(r.dropped).toEqual([]);
  });

  it('a member legacy code still calls (a frozen body, which remove-shim deletes) stays declared with what it reads, its uses in the class rewritten all the same: it holds nothing; the rest go (swarmstarv2)', () => {
    const frozen = new Map([['src/legacy/service.legacy.ts', "import { Hub } from '../app/basic';\nexport class Service {\n  constructor(private hub: Hub) {}\n  send(m: { type: string }, id: number): void {\n    this.hub.push(m, id);\n  }\n}\n"]]);
    const input = readFileSync(join(DIR, 'basic.input.ts'), 'utf8');
    const r = run('basic', input, frozen);
    expect(r.dropped.sort()).toEqual(['Hub.isConnected', 'Hub.pushAll', 'Hub.push2', 'Hub.register', 'Hub.size'].sort());
    expect(r.review.map((x) => x.message)).toContain('splits: Hub.push is not kept but legacy code still calls it (src/legacy/service.legacy.ts:5); it stays in the class until remove-shim deletes that code, and goes with it');
    expect(r.review.map((x) => x.message).some((m) => m.startsWith('splits: Hub.sockets is not kept; a member legacy code still calls reads it'))).toBe(true);
    // push stays with the socket map it reads; connect's uses (register, isConnected, push) go to the hub all the same
    expect(r.after).toContain('  push(message: Message, id: number): void {');
    expect(r.after).toContain('private readonly sockets');
    expect(r.after).not.toContain('this.push(');
    expect(r.after).not.toContain('this.register(');
    // a file not naming the class keeps nothing; a second run changes nothing; CRLF + BOM
    expect(legacyCalls(manifestFor('basic').splits, ['x.ts'], () => 'export const o = { push: 1 }; o.push;\n').size).toBe(0);
    expect(run('basic', r.after, frozen).after).toBe(r.after);
    expect(run('basic', toCrlfBom(input), frozen).after).toBe(toCrlfBom(r.after));
  });

  it('still-used: a member a kept one reaches without a template stays, named with the use; `const { size } = this` keeps size', () => {
    const r = run('still-used', readFileSync(join(DIR, 'still-used.input.ts'), 'utf8'));
    expect(r.dropped).toEqual(['Hub.push']);
    expect(r.review.map((x) => x.message).join('\n')).toMatch(/splits: Hub\.sockets is not kept and still used \(src\/app\/still-used\.ts:9/);
    expect(r.review.map((x) => x.message).join('\n')).toMatch(/splits: Hub\.size is not kept and still used/);
  });
});
