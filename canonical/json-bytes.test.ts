import { describe, expect, it } from 'vitest';
import { writeJsonMembers } from './json-bytes.js';
import { ReplayBuffer } from './replay.js';

/** writeJsonMembers behind a `{`, as a string; undefined when the writer gives up. */
function written(data: object, room = 1 << 20): string | undefined {
  const buf = Buffer.alloc(room + 16, 0xff);
  buf[3] = 0x7b;
  const end = writeJsonMembers(buf, 4, 4 + room, data);
  if (end < 0) return undefined;
  expect(buf[3 - 1]).toBe(0xff); // nothing before `at`
  expect(buf[end]).toBe(0xff); // nothing after the end
  // The members start with a comma where the object's own brace would be followed by a key.
  const text = buf.subarray(4, end).toString('utf8');
  return text === '}' ? '{}' : `{${text.slice(1)}`;
}

const sym = Symbol('s');
const plain: Record<string, object> = {
  empty: {},
  scalars: { s: 'x', n: 1, f: 1.5, neg: -2, z: -0, big: 1e21, tiny: 5e-324, max: Number.MAX_SAFE_INTEGER, over: 2 ** 53 + 2, t: true, fa: false, nul: null },
  nonFinite: { nan: NaN, inf: Infinity, ninf: -Infinity },
  omitted: { u: undefined, fn: () => 1, sy: sym, kept: 1 },
  onlyOmitted: { u: undefined, fn() {} },
  escapes: { q: '"quoted"', bs: 'back\\slash', nl: 'line\nbreak\r\t\b\f', ctl: '\u0000\u0001\u001f\u007f', sl: '/slash/' },
  unicode: { e: 'é ü ß', cjk: '中文字', emoji: '🙂👍🏽', bom: '\ufeff', ls: '\u2028\u2029', mix: 'a\u0080b\u07ffc\u0800d\uffff' },
  surrogates: { lone: '\ud800', loneLow: '\udc00x', reversed: '\udc00\ud800', end: 'x\ud83d', pair: '\ud83d\ude42' },
  keys: { 'we"ird': 1, 'ü': 2, '': 3, '\n': 4, '🙂': 5 },
  integerKeys: { b: 1, 2: 'two', a: 3, 1: 'one', '-1': 'neg', '01': 'lead' },
  nested: { a: { b: { c: [1, [2, [3, {}]], { d: [] }] } }, e: [] },
  arrays: { holes: [1, , 3], odd: [undefined, () => 1, sym, null, NaN], strings: ['a', 'é', '"'] },
  nullProto: Object.assign(Object.create(null) as object, { x: 1, y: Object.assign(Object.create(null) as object, { z: 'ü' }) }),
  workload: { toolName: 'orders.get', results: { status: 'shipped', carrier: 'DHL', eta: '2026-11-24' }, durationMs: 12 },
};

describe('JSON as UTF-8 bytes (writeJsonMembers)', () => {
  it('writes exactly the bytes of JSON.stringify for plain data: escapes, unicode, lone surrogates, every number shape, what JSON omits, key order', () => {
    for (const [name, data] of Object.entries(plain)) expect(written(data), name).toBe(JSON.stringify(data));
  });

  it('reads each value once, getters included, and skips inherited enumerable properties', () => {
    let reads = 0;
    const withGetter = { get g() {
      reads++;
      return 'got';
    }, n: 1 };
    expect(written(withGetter)).toBe(JSON.stringify({ g: 'got', n: 1 }));
    expect(reads).toBe(1);
    const proto = Object.prototype as Record<string, unknown>;
    proto.polluted = 'x';
    try {
      expect(written({ a: 1, b: { c: 2 } })).toBe('{"a":1,"b":{"c":2}}');
    } finally {
      delete proto.polluted;
    }
  });

  it('gives up (-1) on what only JSON.stringify gets right: toJSON, class instances, Map, boxed values, bigint, cycles, deep nesting, too little room', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const giveUps: Record<string, object> = {
      date: { at: new Date(0) },
      toJSON: { v: { toJSON: () => 'x' } },
      ownToJSON: { toJSON: () => 'x' },
      arrayToJSON: { v: Object.assign([1], { toJSON: () => 'x' }) },
      instance: { v: new (class Point {
        x = 1;
      })() },
      map: { v: new Map([[1, 2]]) },
      boxed: { v: new String('s') },
      bigint: { v: 1n },
      cyclic,
      deep,
      notPlain: new (class Data {
        a = 1;
      })(),
      array: [1, 2],
    };
    for (const [name, data] of Object.entries(giveUps)) expect(written(data), name).toBeUndefined();
    // Room: the exact size fits (each kind of value checks its worst case, so allow that much); one byte less never overflows.
    const data = { s: 'x'.repeat(100) };
    expect(written(data, 1000)).toBe(JSON.stringify(data));
    for (let room = 0; room < 620; room++) {
      const out = written(data, room);
      if (out !== undefined) expect(out).toBe(JSON.stringify(data));
    }
    expect(written(data, 50)).toBeUndefined();
  });

  it('matches JSON.stringify on random plain data', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const chars = ['a', 'Z', '0', ' ', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', '中', '\ud83d', '\ude42', '\ud83d\ude42', '\u2028'];
    const str = () => Array.from({ length: Math.floor(rnd() * 8) }, () => chars[Math.floor(rnd() * chars.length)]).join('');
    const val = (depth: number): unknown => {
      const k = Math.floor(rnd() * (depth > 3 ? 6 : 8));
      switch (k) {
        case 0: return str();
        case 1: return Math.floor(rnd() * 1e6);
        case 2: return (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20);
        case 3: return rnd() < 0.5;
        case 4: return rnd() < 0.5 ? null : undefined;
        case 5: return [NaN, -0, Infinity, 2 ** 60][Math.floor(rnd() * 4)];
        case 6: return Array.from({ length: Math.floor(rnd() * 4) }, () => val(depth + 1));
        default: return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [rnd() < 0.2 ? String(Math.floor(rnd() * 9)) : str(), val(depth + 1)]));
      }
    };
    for (let i = 0; i < 2000; i++) {
      const data = Object.fromEntries(Array.from({ length: Math.floor(rnd() * 5) }, () => [str(), val(0)]));
      expect(written(data)).toBe(JSON.stringify(data));
    }
  });

  it('the replay store stores the same frames whether the byte writer or JSON.stringify serialised the data', () => {
    const store = new ReplayBuffer();
    const frameOf = (data: Record<string, unknown>, runId: string) => {
      store.append('u-1', 't-1', runId, 'agent_started', { agentName: 'a', ...data });
      return JSON.parse(store.after('u-1', { epoch: store.position('u-1').epoch, offset: store.position('u-1').offset - 1 }).frames[0]!.text.toString()) as Record<string, unknown>;
    };
    const fast = frameOf({ note: 'é\n🙂', n: [1, null] }, 'r-1');
    expect(fast).toMatchObject({ type: 'agent_started', runId: 'r-1', agentName: 'a', note: 'é\n🙂', n: [1, null], seq: 1, offset: 1 });
    const slow = frameOf({ at: new Date(0) }, 'r-2'); // a toJSON inside: the long way
    expect(slow).toMatchObject({ type: 'agent_started', runId: 'r-2', at: '1970-01-01T00:00:00.000Z', seq: 1, offset: 2 });
  });
});
