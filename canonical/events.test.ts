import { describe, expect, it } from 'vitest';
import { buildEnvelope, CRITICAL_EVENT_TYPES, envelopeJson, RESERVED_ENVELOPE_KEYS, envelopeJsonFrom, envelopeJsonRoom, isAscii, runIdsJson, runIdsText, serialiseEventData, writeEnvelopeJson } from './events.js';
import { InvalidEventError } from './errors.js';

const header = { type: 'tool_completed' as const, runId: 'run-"1"', threadId: 't\\1', userId: 'ünïcode-ü', seq: 7, offset: 41, epoch: 'k3x9a1.2', ts: 1_700_000_000_123 };

describe('serialising an event once', () => {
  it('splices the data JSON into the envelope JSON byte-for-byte like JSON.stringify(buildEnvelope())', () => {
    const data = { toolName: 'orders.get', results: { nested: [1, 'two', null] }, durationMs: 12.5, note: 'line\nbreak "quoted"' };
    const json = envelopeJson(header, serialiseEventData('tool_completed', data));
    expect(json).toBe(JSON.stringify(buildEnvelope(header, data)));
    expect(envelopeJson({ ...header, type: 'agent_thinking' }, '{}')).toBe(JSON.stringify(buildEnvelope({ ...header, type: 'agent_thinking' }, {} as never)));
  });

  it('runIdsJson is the ids part of JSON.stringify, plain ids or not', () => {
    const odd = ['run-1', 'a"b', 'a\\b', 'tab\there', 'del\u007f', 'é', '\ud800', 'x'.repeat(300), ' sp ace '];
    for (const runId of odd) for (const userId of ['u-1', 'ü"']) {
      expect(runIdsJson(runId, 'thread-1', userId)).toBe(`,${JSON.stringify({ runId, threadId: 'thread-1', userId }).slice(1, -1)}`);
      // Its ASCII flag (writeEnvelopeJson copies ASCII ids as latin1) is the text's, whichever pass found it.
      const t = runIdsText(runId, 'thread-1', userId);
      expect(t.json).toBe(runIdsJson(runId, 'thread-1', userId));
      expect(t.ascii).toBe(isAscii(t.json));
    }
    expect(runIdsText('run-1', 'thread-1', 'u-1').ascii).toBe(true);
    expect(runIdsText('a"b', 'thread-1', 'u-1').ascii).toBe(true); // escaped, still ASCII
    expect(runIdsText('é', 'thread-1', 'u-1').ascii).toBe(false);
  });

  it('writes the same frame as bytes (writeEnvelopeJson) as envelopeJsonFrom does as text: non-ASCII ids and data, empty data, every number shape', () => {
    const ids = [
      ['run-1', 'thread-1', 'user-1'],
      ['run-"1"', 't\\1', 'ünïcode-ü'],
      ['r-🙂', 'th\u2028', 'u-é'],
    ] as const;
    const datas = ['{}', '{"a":1}', JSON.stringify({ reasoning: 'é 🙂 "q" \n \u0000', n: [1.5, -2, 1e21] }), JSON.stringify({ big: 'x'.repeat(70_000) })];
    const numbers = [0, 1, 9, 10, 99, 100, 12345, 1_700_000_000_123, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 1.5, -1, -0, 1e21, NaN];
    for (const [runId, threadId, userId] of ids) {
      const idsJson = runIdsJson(runId, threadId, userId);
      for (const dataJson of datas) {
        // Each number twice in a row: the second frame's ts reuses the first's digits (and must still be exact).
        for (const [i, n] of numbers.flatMap((x) => [x, x]).entries()) {
          const type = CRITICAL_EVENT_TYPES[i % CRITICAL_EVENT_TYPES.length]!;
          const epoch = 'k3x9a1.2';
          const room = envelopeJsonRoom(idsJson, isAscii(idsJson), epoch, dataJson);
          const buf = Buffer.alloc(room + 8, 0xff);
          const end = writeEnvelopeJson(buf, 3, type, idsJson, isAscii(idsJson), n, 7, epoch, n, dataJson);
          const expected = Buffer.from(envelopeJsonFrom(type, idsJson, n, 7, epoch, n, dataJson));
          expect(buf.subarray(3, end).equals(expected)).toBe(true);
          expect(end - 3).toBeLessThanOrEqual(room);
          // Nothing outside [at, end) is written.
          expect(buf[2]).toBe(0xff);
          expect(buf[end]).toBe(0xff);
        }
      }
    }
  });

  it('refuses data that would replace the envelope when serialised, or cannot be serialised', () => {
    const withToJson = { agentName: 'a', toJSON: () => ({}) };
    expect(() => serialiseEventData('agent_started', withToJson)).toThrow(InvalidEventError);
    // A function `then` would make the envelope a thenable that `await emit()` calls.
    expect(() => serialiseEventData('agent_started', { agentName: 'a', then: () => undefined })).toThrow(/"then"/);
    for (const key of RESERVED_ENVELOPE_KEYS) {
      expect(() => serialiseEventData('agent_started', { agentName: 'a', [key]: 1 }), key).toThrow(/envelope field/);
    }
    // Only those exact keys: near misses are ordinary data.
    for (const key of ['types', 'Type', 'run_id', 'tS', 'seq ', 'epochs', 'user']) {
      expect(() => serialiseEventData('agent_started', { agentName: 'a', [key]: 1 }), key).not.toThrow();
    }
    expect(() => serialiseEventData('agent_started', { agentName: 'a', big: 1n })).toThrow(/not JSON-serialisable/);
    const cyclic: Record<string, unknown> = { agentName: 'a' };
    cyclic.self = cyclic;
    expect(() => serialiseEventData('agent_started', cyclic)).toThrow(/not JSON-serialisable/);
  });
});

describe('the emit chain of a run', () => {
  it('keeps call order across a refused emit in the middle, and sends exactly the data JSON it validated', async () => {
    const { createConnectionHub, createUserExecutionContext, createWebSocketManager } = await import('./index.js');
    const hub = createConnectionHub();
    const frames: string[] = [];
    hub.addConnection({ connectionId: 'c1', userId: 'chain-user', socket: { send: (d: string) => frames.push(d), readyState: 1 }, connectedAt: new Date() });
    const m = createWebSocketManager(createUserExecutionContext({ userId: 'chain-user', threadId: 'th', runId: 'chain-run' }), { hub });
    const params = { id: 1 };
    const results = await Promise.allSettled([
      m.emit('agent_started', { agentName: 'a' }),
      m.emit('tool_completed', { toolName: 'never-opened', results: null, durationMs: 0 }), // refused: no open call
      m.emit('tool_executing', { toolName: 't', parameters: params }),
      m.emit('agent_completed', { status: 'success', finalResponse: null }),
    ]);
    params.id = 2; // a change after emit() returned is not what was sent
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const sent = frames.map((f) => JSON.parse(f) as { type: string; seq: number; parameters?: { id: number } });
    expect(sent.map((e) => [e.type, e.seq])).toEqual([['agent_started', 1], ['tool_executing', 2], ['agent_completed', 3]]);
    expect(sent[1]!.parameters).toEqual({ id: 1 });
    await hub.close();
  });
});

describe('RunLifecycle', () => {
  it('pairs tool calls by name however they interleave', async () => {
    const { RunLifecycle } = await import('./index.js');
    const l = new RunLifecycle('r');
    const step = (type: 'agent_started' | 'tool_executing' | 'tool_completed', toolName = '') => {
      const data = (type === 'agent_started' ? { agentName: 'a' } : type === 'tool_executing' ? { toolName, parameters: {} } : { toolName, results: 1, durationMs: 1 }) as never;
      l.check(type, data);
      l.apply(type, data);
    };
    step('agent_started');
    step('tool_executing', 'A');
    step('tool_executing', 'B');
    step('tool_completed', 'A');
    step('tool_executing', 'B'); // B is open twice now
    step('tool_executing', 'A');
    expect(l.openToolNames().sort()).toEqual(['A', 'B']);
    step('tool_completed', 'B');
    step('tool_completed', 'B');
    expect(() => l.check('tool_completed', { toolName: 'B', results: 1, durationMs: 1 })).toThrow(/no open tool_executing/);
    step('tool_completed', 'A');
    expect(l.openToolNames()).toEqual([]);
  });
});
