import { describe, expect, it } from 'vitest';
import { FRAME_OVERHEAD_BYTES, ReplayBuffer, frameString } from './index.js';
import type { StoredFrame, UserReplay } from './index.js';

const append = (buf: ReplayBuffer, userId: string, runId: string, n = 1, pad = '') => {
  const out = [];
  for (let i = 0; i < n; i++) out.push(buf.append(userId, `th-${userId}`, runId, 'agent_thinking', { reasoning: `r${i}${pad}` }));
  return out;
};
const offsets = (frames: readonly StoredFrame[]) => frames.map((f) => f.offset);
const runSeqs = (frames: readonly StoredFrame[]) => frames.map((f) => `${f.runId}#${f.seq}`);

describe('ReplayBuffer: one stream per user', () => {
  it('numbers every event of a user gaplessly across runs (offset) and per run (seq), in one epoch', () => {
    const buf = new ReplayBuffer();
    const start = buf.position('u');
    expect(start.offset).toBe(0);
    append(buf, 'u', 'r1', 2);
    append(buf, 'u', 'r2', 1);
    append(buf, 'other', 'r3', 1); // another user's stream has its own offsets
    const last = append(buf, 'u', 'r1', 1)[0]!;
    expect([last.offset, last.seq, last.epoch]).toEqual([4, 3, start.epoch]);
    expect(buf.position('other').offset).toBe(1);
    expect(buf.position('other').epoch).not.toBe(start.epoch);
    const parsed = JSON.parse(frameString(last.text)) as Record<string, unknown>;
    expect(parsed).toMatchObject({ type: 'agent_thinking', runId: 'r1', userId: 'u', threadId: 'th-u', seq: 3, offset: 4, epoch: start.epoch, reasoning: 'r0' });
  });

  it('a run that writes again after its agent_completed (store-level) still gets its ids in the frame', () => {
    const buf = new ReplayBuffer();
    const done = buf.append('u-é', 'th "1"', 'r-done', 'agent_completed', { status: 'ok', finalResponse: null });
    const again = buf.append('u-é', 'th "1"', 'r-done', 'agent_thinking', { reasoning: 'late' });
    for (const [f, seq] of [[done, 1], [again, 2]] as const) {
      expect(JSON.parse(frameString(f.text))).toMatchObject({ runId: 'r-done', threadId: 'th "1"', userId: 'u-é', seq });
    }
    expect(buf.since('u-é', 'r-done', 0)).toMatchObject({ status: 'ok', lastSeq: 2 });
  });

  it('after(position) returns every later event of the user, runs started after the position included', () => {
    const buf = new ReplayBuffer();
    append(buf, 'u', 'open-run', 1);
    const away = buf.position('u');
    append(buf, 'u', 'open-run', 1);
    for (const run of ['born-1', 'born-2', 'born-3']) append(buf, 'u', run, 5);
    const r = buf.after('u', away);
    expect(r.status).toBe('ok');
    expect(runSeqs(r.frames)).toEqual(['open-run#2', ...['born-1', 'born-2', 'born-3'].flatMap((run) => [1, 2, 3, 4, 5].map((s) => `${run}#${s}`))]);
    expect(offsets(r.frames)).toEqual(Array.from({ length: 16 }, (_, i) => i + 2));
    expect(r.position).toEqual(buf.position('u'));
    expect(buf.after('u', buf.position('u'))).toMatchObject({ status: 'ok', frames: [] });
  });

  it('bounds each user in bytes: the oldest frames go, a resume from before them gets a trimmed gap naming the runs', () => {
    const frameBytes = append(new ReplayBuffer(), 'u', 'old-run', 1, 'p'.repeat(200))[0]!.text.length + FRAME_OVERHEAD_BYTES;
    const buf = new ReplayBuffer({ maxBytesPerUser: frameBytes * 4 + 10 });
    const start = buf.position('u');
    append(buf, 'u', 'old-run', 3, 'p'.repeat(200));
    append(buf, 'u', 'new-run', 3, 'p'.repeat(200));
    append(buf, 'v', 'v-run', 2, 'p'.repeat(200)); // other users are not trimmed by u's bound
    expect(buf.userBytes('u')).toBeLessThanOrEqual(frameBytes * 4 + 10);
    const r = buf.after('u', start) as Extract<UserReplay, { status: 'gap' }>;
    expect(r).toMatchObject({ status: 'gap', reason: 'trimmed', fromOffset: 1, availableFrom: 3 });
    expect(runSeqs(r.frames)).toEqual(['old-run#3', 'new-run#1', 'new-run#2', 'new-run#3']);
    expect(r.runs).toEqual([{ runId: 'old-run', lastSeq: 3, availableFrom: 3 }]);
    expect(buf.after('v', { ...buf.position('v'), offset: 0 }).status).toBe('ok');
    // A resume from inside what is still stored is whole again.
    expect(buf.after('u', { epoch: start.epoch, offset: 2 }).status).toBe('ok');
  });

  it('bounds the total in bytes (chunks held + bookkeeping): the oldest frames of all users go first', () => {
    const maxBytes = 64 * 1024;
    const buf = new ReplayBuffer({ maxBytes });
    const a0 = buf.position('a');
    const b0 = buf.position('b');
    append(buf, 'a', 'ra', 400, 'p'.repeat(100));
    append(buf, 'b', 'rb', 100, 'p'.repeat(100));
    expect(buf.stats().bytes).toBeLessThanOrEqual(maxBytes);
    // a's early frames went first; b's (newer) are all there.
    expect(buf.after('a', a0)).toMatchObject({ status: 'gap', reason: 'trimmed' });
    expect(buf.after('b', b0)).toMatchObject({ status: 'ok' });
    const stats = buf.stats();
    expect(stats.frames).toBeLessThan(500);
    expect(stats.frames).toBeGreaterThan(100);
  });

  it('bounds by age; positions and run seqs outlive the frames, then expire into a new epoch', () => {
    let now = 1_000_000;
    const buf = new ReplayBuffer({ maxAgeMs: 1000, metaTtlMs: 60_000, now: () => now });
    const start = buf.position('u');
    append(buf, 'u', 'r', 3);
    now += 1500;
    const r = buf.after('u', start);
    expect(r).toMatchObject({ status: 'gap', reason: 'trimmed', availableFrom: null, frames: [], runs: [{ runId: 'r', lastSeq: 3, availableFrom: null }] });
    expect(buf.since('u', 'r', 0)).toEqual({ status: 'gap', frames: [], lastSeq: 3, fromSeq: 1, availableFrom: null });
    append(buf, 'u', 'r', 1); // seq and offset continue after the trim: never restart for a known run
    expect(buf.position('u')).toEqual({ epoch: start.epoch, offset: 4 });
    expect(buf.since('u', 'r', 0)).toMatchObject({ status: 'gap', availableFrom: 4, lastSeq: 4 });
    now += 61_000;
    expect(buf.since('u', 'r', 0)).toEqual({ status: 'unknown' });
    const later = buf.position('u');
    expect(later.epoch).not.toBe(start.epoch);
    expect(later.offset).toBe(0);
    // The old position is not in this stream: reset, with everything the new epoch has.
    append(buf, 'u', 'r2', 2);
    expect(buf.after('u', { epoch: start.epoch, offset: 4 })).toMatchObject({ status: 'gap', reason: 'reset', availableFrom: 1, fromOffset: 1 });
    expect(offsets(buf.after('u', { epoch: start.epoch, offset: 4 }).frames)).toEqual([1, 2]);
  });

  it('forgets runs and users idle beyond metaTtlMs without a lookup of them, also those made after a sweep that found nothing', () => {
    let now = 1_000_000;
    const buf = new ReplayBuffer({ maxAgeMs: 1000, metaTtlMs: 60_000, now: () => now });
    append(buf, 'u', 'r1');
    now += 30_000;
    append(buf, 'v', 'r2'); // a sweep is due (10 s) and nothing is idle for 60 s yet
    expect(buf.stats()).toMatchObject({ runs: 2, users: 2 });
    now += 31_000;
    append(buf, 'w', 'r3'); // u and r1 idle 61 s: swept
    expect(buf.stats()).toMatchObject({ runs: 2, users: 2 });
    expect(buf.userBytes('u')).toBe(0);
    now += 30_000;
    append(buf, 'w', 'r3'); // v and r2 (made after the first sweep) idle 61 s: swept too
    expect(buf.stats()).toMatchObject({ runs: 1, users: 1 });
    expect(buf.since('v', 'r2', 0)).toEqual({ status: 'unknown' });
  });

  it('keeps activity times exact with a fractional clock and past 2^31 ms of uptime', () => {
    let now = 1_000_000.25;
    const buf = new ReplayBuffer({ maxAgeMs: 1000, metaTtlMs: 60_000, now: () => now });
    now += 0.5;
    append(buf, 'u', 'r1');
    now += 59_999.9; // idle just under the ttl (a truncated activity time would read just over it)
    expect(buf.since('u', 'r1', 0)).toMatchObject({ lastSeq: 1 });
    now += 0.2;
    expect(buf.since('u', 'r1', 0)).toEqual({ status: 'unknown' });
    now = 1_000_000.25 + 2 ** 31 + 7; // beyond any 32-bit integer
    append(buf, 'v', 'r2');
    now += 60_000;
    expect(buf.since('v', 'r2', 0)).toMatchObject({ lastSeq: 1 });
    now += 1;
    expect(buf.since('v', 'r2', 0)).toEqual({ status: 'unknown' });
  });

  it('a position beyond the head, or an unknown epoch, is a reset rather than an empty ok', () => {
    const buf = new ReplayBuffer();
    append(buf, 'u', 'r', 2);
    const { epoch } = buf.position('u');
    expect(buf.after('u', { epoch, offset: 99 })).toMatchObject({ status: 'gap', reason: 'reset' });
    expect(buf.after('u', { epoch: 'nope', offset: 0 })).toMatchObject({ status: 'gap', reason: 'reset', availableFrom: 1 });
  });

  it('per-run replay: ok, gap, and another user\'s run answered exactly like an unknown one', () => {
    const buf = new ReplayBuffer();
    append(buf, 'owner', 'r', 5);
    append(buf, 'owner', 'other-run', 2);
    const res = buf.since('owner', 'r', 2);
    expect(res.status === 'ok' && runSeqs(res.frames)).toEqual(['r#3', 'r#4', 'r#5']);
    expect(buf.since('owner', 'r', 5)).toEqual({ status: 'ok', frames: [], lastSeq: 5 });
    expect(buf.since('someone-else', 'r', 0)).toEqual(buf.since('someone-else', 'no-such-run', 0));
    expect(buf.since('someone-else', 'r', 0)).toEqual({ status: 'unknown' });
    expect(() => append(buf, 'someone-else', 'r', 1)).toThrow(/another user/);
  });

  it('a run id "__proto__" is a run like any other', () => {
    const buf = new ReplayBuffer();
    const start = buf.position('u');
    append(buf, 'u', '__proto__', 3);
    expect(runSeqs(buf.after('u', start).frames)).toEqual(['__proto__#1', '__proto__#2', '__proto__#3']);
    expect(buf.since('u', '__proto__', 1).status).toBe('ok');
  });

  it('bounds users and runs remembered', () => {
    const buf = new ReplayBuffer({ maxRuns: 2, maxUsers: 2 });
    append(buf, 'u', 'r1');
    append(buf, 'u', 'r2');
    append(buf, 'u', 'r3');
    expect(buf.stats().runs).toBe(2);
    append(buf, 'v', 'r4');
    append(buf, 'w', 'r5');
    expect(buf.stats().users).toBe(2);
  });

  it('keeps every frame exact across ring growth (non-ASCII and large frames too)', () => {
    const buf = new ReplayBuffer({ maxBytes: 64 * 1024 * 1024, maxBytesPerUser: 32 * 1024 * 1024 });
    const users = ['ü-user', 'plain', 'emoji-🙂'];
    const starts = users.map((u) => buf.position(u));
    const expected = new Map<string, string[]>(users.map((u) => [u, []]));
    for (let i = 0; i < 5000; i++) {
      const u = users[i % 3]!;
      const reasoning = i % 97 === 0 ? 'x'.repeat(300_000) : `r${i} ${'é'.repeat(i % 50)} "q" \n 🙂`;
      append(buf, u, `run-${u}-${i % 7}`, 1, '');
      expected.get(u)!.push(`r0`);
      const data = i % 11 === 0 ? { reasoning: '', extra: [i, { n: null }] } : { reasoning };
      const f = buf.append(u, `th-${u}`, `run-${u}-${i % 7}`, 'agent_thinking', data);
      expected.get(u)!.push(data.reasoning);
      // The frame is exactly the envelope's JSON, serialised once.
      expect(frameString(f.text)).toBe(JSON.stringify(f.envelope));
      expect(f.envelope).toMatchObject({ ...data, seq: f.seq, offset: f.offset, epoch: f.epoch, ts: f.ts, userId: u });
    }
    users.forEach((u, k) => {
      const r = buf.after(u, starts[k]!);
      expect(r.status).toBe('ok');
      expect(r.frames.map((f) => (JSON.parse(frameString(f.text)) as { reasoning: string }).reasoning)).toEqual(expected.get(u));
      expect(offsets(r.frames)).toEqual(Array.from({ length: expected.get(u)!.length }, (_, i) => i + 1));
    });
  });


  it('replays each stored frame from its own chunk after older chunks were freed (the frame finds its chunk by id)', () => {
    // 64 KiB in total: 4 KiB chunks, so the store fills and frees dozens of them.
    const buf = new ReplayBuffer({ maxBytes: 64 * 1024 });
    const sent = new Map<string, string>(); // `${runId}#${seq}` → the frame as appended
    const starts = new Map(['a', 'b'].map((u) => [u, buf.position(u)]));
    for (let i = 0; i < 3000; i++) {
      const u = i % 3 === 0 ? 'b' : 'a';
      // Now and then a frame larger than a quarter chunk (a chunk of its own), between ordinary ones.
      const reasoning = i % 157 === 0 ? `big ${i} ${'é'.repeat(1500)}` : `r${i} ${'x'.repeat(i % 90)}`;
      const f = buf.append(u, `th-${u}`, `run-${u}-${Math.floor(i / 40)}`, 'agent_thinking', { reasoning });
      sent.set(`${f.runId}#${f.seq}`, frameString(f.text));
    }
    expect(buf.stats().bytes).toBeLessThanOrEqual(64 * 1024);
    let replayed = 0;
    for (const [u, start] of starts) {
      const r = buf.after(u, start);
      expect(r.status).toBe('gap'); // the oldest went
      expect(r.frames.length).toBeGreaterThan(10);
      for (const f of r.frames) expect(frameString(f.text)).toBe(sent.get(`${f.runId}#${f.seq}`));
      const lastRun = r.frames.at(-1)!.runId;
      const run = buf.since(u, lastRun, 0);
      for (const f of run.status === 'unknown' ? [] : run.frames) expect(frameString(f.text)).toBe(sent.get(`${f.runId}#${f.seq}`));
      replayed += r.frames.length;
    }
    expect(replayed).toBe(buf.stats().frames);
  });
  it('frames stay exact while many frame-table segments pass through a small window (segments reused, and after clear)', () => {
    // ~12,000 frames through a 48 KiB window: the head passes several 2,048-frame segments and the
    // table reuses the one it passed; replays must still find each frame's bookkeeping.
    const buf = new ReplayBuffer({ maxBytes: 48 * 1024 });
    const sent = new Map<string, string>();
    const check = (users: string[]) => {
      let replayed = 0;
      for (const u of users) {
        const r = buf.after(u, { epoch: buf.position(u).epoch, offset: 0 });
        const offs = offsets(r.frames);
        expect(offs.length).toBeGreaterThan(0);
        expect(offs).toEqual(Array.from({ length: offs.length }, (_, i) => offs[0]! + i)); // contiguous
        expect(offs.at(-1)).toBe(buf.position(u).offset);
        for (const f of r.frames) expect(frameString(f.text)).toBe(sent.get(`${f.runId}#${f.seq}`));
        const lastRun = r.frames.at(-1)!.runId;
        const run = buf.since(u, lastRun, 0);
        expect(run.status).not.toBe('unknown');
        for (const f of run.status === 'unknown' ? [] : run.frames) expect(frameString(f.text)).toBe(sent.get(`${f.runId}#${f.seq}`));
        replayed += r.frames.length;
      }
      expect(replayed).toBe(buf.stats().frames);
    };
    const fill = (from: number, to: number, users: string[]) => {
      for (let i = from; i < to; i++) {
        const u = users[i % users.length]!;
        const f = buf.append(u, `th-${u}`, `run-${u}-${Math.floor(i / 25)}`, 'agent_thinking', { reasoning: `r${i} ${'y'.repeat(i % 60)}` });
        sent.set(`${f.runId}#${f.seq}`, frameString(f.text));
      }
    };
    fill(0, 12_000, ['a', 'b', 'c']);
    check(['a', 'b', 'c']);
    buf.clear();
    expect(buf.stats().frames).toBe(0);
    fill(12_000, 17_000, ['d', 'e']);
    check(['d', 'e']);
  });

  it('stores a frame in fewer bytes than its JSON (the header is kept once per run and stream, not per frame), and replays the bytes sent live', () => {
    const buf = new ReplayBuffer({ maxBytes: 1024 * 1024 }); // 64 KiB chunks
    const start = buf.position('u-compact');
    const sent: Uint8Array[] = [];
    let frameBytes = 0;
    for (let i = 0; i < 2000; i++) {
      const f = buf.append('u-compact', 'thread-of-u-compact', `run-compact-${Math.floor(i / 5)}`, 'agent_thinking', { reasoning: `r${i} of the compact test` });
      sent.push(Buffer.from(f.bytes));
      frameBytes += f.bytes.length;
    }
    // Chunks held + FRAME_OVERHEAD_BYTES per frame: less than the frames' own bytes would take with it.
    expect(buf.stats().bytes).toBeLessThan(frameBytes + 2000 * FRAME_OVERHEAD_BYTES - 64 * 1024);
    const r = buf.after('u-compact', start);
    expect(r.status).toBe('ok');
    expect(r.frames.map((f) => Buffer.from(f.text as Uint8Array).toString())).toEqual(sent.map((b) => Buffer.from(b).toString()));
  });

  it('replays exactly the frames sent live: every type, quoted and non-ASCII ids, empty data, data stored whole (toJSON), completed runs, after a clear', () => {
    const buf = new ReplayBuffer();
    const users = ['ü "u"', 'plain-u'];
    const live = new Map<string, string>(); // `${runId}#${seq}` → the live frame's payload
    const liveFrames: { frame: Uint8Array; copy: Buffer }[] = [];
    const types = ['agent_started', 'agent_thinking', 'tool_executing', 'tool_completed', 'agent_completed'] as const;
    const inherited = Object.create({ toJSON: () => 'not an object' }) as Record<string, unknown>;
    inherited.reasoning = 'own key';
    const send = (round: number) => {
      for (const u of users) {
        for (const [k, type] of types.entries()) {
          const runId = `run-${u}-\u2028-🙂-${round}`;
          const data = k === 0 ? {} : k === 2 && round % 2 === 1 ? inherited : { reasoning: `é ${round} ${'"'.repeat(k)} \n`, n: [k, 1.5, null] };
          const f = buf.append(u, `th-${u}-ä`, runId, type, data as never);
          live.set(`${f.runId}#${f.seq}`, Buffer.from(f.bytes).toString());
          // The frame as sent (header + payload): its payload is the JSON.
          expect(Buffer.from(f.frame.subarray(f.frame.length - f.bytes.length)).equals(Buffer.from(f.bytes))).toBe(true);
          liveFrames.push({ frame: f.frame, copy: Buffer.from(f.frame) });
        }
      }
    };
    const check = (u: string, from: { epoch: string; offset: number }) => {
      const r = buf.after(u, from);
      expect(r.frames.length).toBeGreaterThan(0);
      for (const f of r.frames) expect(frameString(f.text)).toBe(live.get(`${f.runId}#${f.seq}`));
      for (const runId of new Set(r.frames.map((f) => f.runId))) {
        const s = buf.since(u, runId, 0);
        expect(s.status).toBe('ok');
        for (const f of s.status === 'unknown' ? [] : s.frames) expect(frameString(f.text)).toBe(live.get(`${f.runId}#${f.seq}`));
      }
    };
    const starts = users.map((u) => buf.position(u));
    for (let round = 0; round < 40; round++) send(round);
    users.forEach((u, i) => check(u, starts[i]!));
    // Live frames handed out earlier are not overwritten by later appends (their memory is not reused while held).
    for (let round = 40; round < 2000; round++) send(round);
    for (const { frame, copy } of liveFrames) expect(Buffer.from(frame).equals(copy)).toBe(true);
    buf.clear();
    const again = users.map((u) => buf.position(u));
    send(2000);
    users.forEach((u, i) => check(u, again[i]!));
  });

  it('rejects nonsense bounds', () => {
    expect(() => new ReplayBuffer({ maxBytesPerUser: 0 })).toThrow(RangeError);
    expect(() => new ReplayBuffer({ maxAgeMs: 1.5 })).toThrow(RangeError);
  });
});

describe('ReplayBuffer: the runs a gap report lists', () => {
  it('lists exactly the remembered runs that lost events, however many runs of the user were forgotten before (maxRuns)', () => {
    // 3 frames kept per user (by bytes), 40 runs remembered at most; one user runs 200 one-event runs.
    const buf = new ReplayBuffer({ maxRuns: 40, maxBytesPerUser: 3 * (FRAME_OVERHEAD_BYTES + 500) });
    const start = buf.position('g');
    for (let i = 0; i < 200; i++) append(buf, 'g', `g-run-${i}`, 1, 'x'.repeat(300));
    const r = buf.after('g', start);
    expect(r.status).toBe('gap');
    if (r.status !== 'gap') return;
    expect(runSeqs(r.frames)).toEqual(['g-run-197#1', 'g-run-198#1', 'g-run-199#1']);
    // Runs whose events were all dropped and that the store still remembers: the 40 latest minus the 3 still stored.
    const listed = r.runs.map((x) => x.runId);
    expect(listed).toHaveLength(37);
    expect(listed[0]).toBe('g-run-196');
    expect(new Set(listed).size).toBe(37);
    expect(listed.every((id) => Number(id.slice(6)) >= 160 && Number(id.slice(6)) <= 196)).toBe(true);
    expect(buf.stats().runs).toBe(40);
  });
});
