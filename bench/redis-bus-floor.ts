/**
 * What redis-server alone spends per event for the shapes a lean append could take — a model of the
 * bus's per-event work, not the bus: 100 users per call, one event per user and call (the redis-bus
 * bench's calls), each event appended to its user's own stream under an explicit id, the call's
 * frames published on one channel. redis-server CPU (INFO cpu) per event, so the network reads and
 * writes count too. Shapes, alternated within each round:
 *   lean     — as the append script's lean() today: 10 arguments per event (kind, meta and stream keys,
 *              run, seq, frame, shard, offset, channel header, checkpoint), HGET of the user's writer,
 *              XADD of 5 fields (j r s t c), header and frame queued for the channel message;
 *   compact  — the same with 5 arguments (meta and stream keys, id, the channel piece = header + frame,
 *              shard) and a 2-field entry (the piece, t): fewer Lua strings, fewer XADD arguments;
 *   one-arg  — compact's fields in one argument per call, split in Lua (string.find / string.sub);
 *   no-xadd  — compact without its XADD: the script's floor around the append;
 *   plain    — no script: pipelined `XADD <stream> NOMKSTREAM <id> e <piece> t <ms>` (no fence but the id).
 *   node --import tsx bench/redis-bus-floor.ts [rounds=6] [shape,shape…] [capped]   (under `chrt -r 1` on a shared machine)
 * `capped`: every XADD also trims its stream (`MAXLEN ~ 40`), so redis-server reuses memory as one whose
 * streams reached their bounds does; without it the streams only grow, as a server filling up (and as
 * the bench's trials, each on fresh keys).
 */
import { loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { redisCpuSeconds } from './redis-cpu.js';

const USERS = 100;
const CALLS = 100;
/**
 * A model script: `loop` walks the call's events, each through `step` (the writer's check, the append,
 * the channel message's pieces, the answer); the channel message is published once per call.
 */
const script = (loop: string) => `
local out, pend, nowS = {}, {}, '1700000000000'
${loop}
redis.call('PUBLISH', 'ch', table.concat(pend))
return table.concat(out, '\\n')`;
const step = (meta: string, xadd: string, pieces: string) => `
  if redis.call('HGET', ${meta}, 'w') ~= 'me' then out[#out + 1] = '!' else
    ${xadd}
    ${pieces}
    out[#out + 1] = '+'
  end`;
const overArgs = (per: number, body: string) => `local a, n = 1, #ARGV
while a <= n do${body}
  a = a + ${per}
end`;
const CAP = process.argv[4] === 'capped' ? ['MAXLEN', '~', '40'] : [];
const capLua = CAP.map((x) => `'${x}', `).join('');
const COMPACT_XADD = `redis.pcall('XADD', ARGV[a + 1], 'NOMKSTREAM', ${capLua}ARGV[a + 2], 'e', ARGV[a + 3], 't', nowS)`;
const LEAN = script(overArgs(10, step(
  'ARGV[a + 1]',
  `redis.pcall('XADD', ARGV[a + 2], 'NOMKSTREAM', ${capLua}ARGV[a + 7] .. '-0', 'j', ARGV[a + 5], 'r', ARGV[a + 3], 's', ARGV[a + 4], 't', nowS, 'c', ARGV[a + 9])`,
  'pend[#pend + 1] = ARGV[a + 8]; pend[#pend + 1] = ARGV[a + 5]',
)));
const COMPACT = script(overArgs(5, step('ARGV[a]', COMPACT_XADD, 'pend[#pend + 1] = ARGV[a + 3]')));
const NO_XADD = script(overArgs(5, step('ARGV[a]', '', 'pend[#pend + 1] = ARGV[a + 3]')));
const ONE_ARG = script(`local s, find, sub = ARGV[1], string.find, string.sub
local i, n = 1, #s
while i <= n do
  local j = find(s, '\\n', i, true)
  local k = find(s, '\\n', j + 1, true)
  local l = find(s, '\\n', k + 1, true)
  local m = find(s, '\\n', l + 1, true)
  local piece = sub(s, l + 1, m - 1)${step(
    'sub(s, i, j - 1)',
    `redis.pcall('XADD', sub(s, j + 1, k - 1), 'NOMKSTREAM', ${capLua}sub(s, k + 1, l - 1), 'e', piece, 't', nowS)`,
    'pend[#pend + 1] = piece',
  )}
  i = m + 1
end`);

const redis = await startRedisServer();
const r = new Redis(redis.url);
const shas: Record<string, string> = {};
for (const [name, lua] of Object.entries({ lean: LEAN, compact: COMPACT, 'one-arg': ONE_ARG, 'no-xadd': NO_XADD })) shas[name] = (await r.script('LOAD', lua)) as string;
const SHAPES = ['lean', 'compact', 'one-arg', 'no-xadd', 'plain'] as const;
const shapes = process.argv[3] ? (process.argv[3].split(',') as (typeof SHAPES)[number][]) : [...SHAPES];
for (const s of shapes) if (!SHAPES.includes(s)) throw new RangeError(`unknown shape ${s} (one of ${SHAPES.join(', ')})`);
for (let u = 0; u < USERS; u++) {
  await r.hset(`m${u}`, 'w', 'me');
  for (const s of shapes) await r.xadd(`${s}:s${u}`, '1-0', 'x', '1');
}
const frame = (o: number, u: number) =>
  `{"type":"agent_thinking","runId":"run-${u}","threadId":"th-${u}","userId":"user-${u}","seq":${o},"offset":${o},"epoch":"k3j5x8w2q","ts":1700000000000,"data":{"reasoning":"step ${o}"}}`;
const header = (o: number, u: number, json: string) => `${o}|${o}|k3j5x8w2q|${`user-${u}`.length}|${`run-${u}`.length}|${json.length}|user-${u}run-${u}`;
const offsets: Record<string, number> = Object.fromEntries(shapes.map((s) => [s, 2]));

async function round(shape: (typeof SHAPES)[number]): Promise<number> {
  const c0 = await redisCpuSeconds(r);
  for (let c = 0; c < CALLS; c++) {
    const o = offsets[shape]!++;
    if (shape === 'plain') {
      const p = r.pipeline();
      for (let u = 0; u < USERS; u++) { const j = frame(o, u); p.xadd(`plain:s${u}`, 'NOMKSTREAM', ...CAP, `${o}-0`, 'e', header(o, u, j) + j, 't', '1700000000000'); }
      p.publish('ch', 'x');
      await p.exec();
      continue;
    }
    const args: string[] = [];
    for (let u = 0; u < USERS; u++) {
      const j = frame(o, u);
      const stream = `${shape}:s${u}`;
      if (shape === 'lean') args.push('l', `m${u}`, stream, `run-${u}`, String(o), j, '3', String(o), header(o, u, j), `1:${o * 200}`);
      else if (shape === 'one-arg') args.push(`m${u}\n${stream}\n${o}-0\n${header(o, u, j)}${j}\n`);
      else args.push(`m${u}`, stream, `${o}-0`, header(o, u, j) + j, '3');
    }
    const answer = String(await r.evalsha(shas[shape]!, 0, ...(shape === 'one-arg' ? [args.join('')] : args)));
    if (answer.includes('!')) throw new Error(`${shape}: a writer check failed`);
  }
  return (((await redisCpuSeconds(r)) - c0) * 1e6) / (CALLS * USERS);
}

const rounds = Number(process.argv[2] ?? 6);
const got: Record<string, number[]> = Object.fromEntries(shapes.map((s) => [s, []]));
for (let k = 0; k < rounds + 1; k++) {
  const order = k % 2 ? [...shapes].reverse() : [...shapes];
  const line: string[] = [];
  for (const s of order) {
    const us = await round(s);
    if (k > 0) got[s]!.push(us); // round 0 warms up
    line.push(`${s} ${us.toFixed(2)}`);
  }
  console.log(`${k === 0 ? 'warm-up' : `round ${k}`} (load ${loadavg()[0]!.toFixed(1)}): ${line.join(', ')} µs/event`);
}
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2; };
// Every shape appended every event (a refused XADD would cost less and flatter it).
for (const s of shapes) {
  if (s === 'no-xadd') continue;
  // Capped: the last entry's id says every call appended (XLEN only says the cap holds).
  const last = (await r.xrevrange(`${s}:s${USERS - 1}`, '+', '-', 'COUNT', 1))[0]?.[0];
  if (CAP.length > 0 && last !== `${1 + (rounds + 1) * CALLS}-0`) throw new Error(`${s}: the stream's last entry is ${last}, expected ${1 + (rounds + 1) * CALLS}-0`);
  const len = await r.xlen(`${s}:s${USERS - 1}`);
  if (CAP.length === 0 && len !== 1 + (rounds + 1) * CALLS) throw new Error(`${s}: ${len} entries in a stream, expected ${1 + (rounds + 1) * CALLS}`);
}
console.log(`medians (redis-server CPU µs per event): ${shapes.map((s) => `${s} ${median(got[s]!).toFixed(2)}`).join(', ')}`);
r.disconnect();
await redis.dispose();
