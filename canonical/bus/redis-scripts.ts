/**
 * The Lua scripts of the Redis bus. A script runs atomically, so "check the owner, assign the
 * run's next seq and the user's next offset, append to the user's stream, publish" can never be
 * seen half done by another instance.
 *
 * Numbers are formatted with %d (or %.0f where a value may not be an integer): Lua's default
 * conversion switches to exponent notation above 1e14, and a seq or offset is an integer of up to
 * 2^53; %d also skips the C library's slower floating-point formatting.
 */

/**
 * A compact lean entry (APPEND_BATCH_LUA compact(): its 'l' item, issue 21 redis12) holds `m` — the event's piece of its
 * channel message, `<offset>|<seq>|<epoch>|<userId bytes>|<runId bytes>|<frame bytes>|<userId><runId><frame
 * JSON>` — and `t` (and maybe `c`) instead of `j`, `r`, `s`, `t`: compactEntry(m) gives its runId, its seq
 * (the string stored) and the frame's bytes (the frame is m's last that many bytes). Shared by the scripts
 * that read entries (redis-keys.ts parseStreamEntries reads it in Node).
 */
const COMPACT_ENTRY_LUA = `
local function compactEntry(v)
  local h, s, ul, rl, fl = string.match(v, '^(%d+|(%d+)|[^|]*|(%d+)|(%d+)|(%d+)|)')
  local at = #h + tonumber(ul)
  return string.sub(v, at + 1, at + tonumber(rl)), s, tonumber(fl)
end`;

/**
 * Appends a batch: the publishes one instance started in the same tick (events of many runs and
 * users, and unsequenced messages), in order, in one atomic call. Each item is checked on its own
 * and answers on its own; a refused item (owner, thread, order) does not stop the others.
 * KEYS: 1 all streams (zset), 2 sizes (hash), 3 total bytes. Each event's run and user keys are
 * named here from the key prefix, exactly as redisKeys() names them (a batch spans any number of
 * users and runs; the bus needs a single Redis primary anyway, see README).
 * ARGV: 1 a fresh epoch (for users without one), 2 max bytes per user, 3 max age ms, 4 max total
 * bytes, 5 user meta / ended run meta TTL ms, 6 open run meta TTL ms, 7 runs listed per user at
 * most, 8 key prefix, 9 bytes of bookkeeping counted per entry, 10 TTL refresh interval ms, 11 the
 * calling instance (written as 'w', the user's last writer, for every user it appends to); then
 * the items from ARGV[12] on:
 * - an event (11 args): 'e' (or 'E': agent_completed, the run ends), userId, threadId, runId,
 *   producer, pseq, pseq the producer saw acknowledged last, seq hint (last seq the producer saw
 *   acknowledged), the frame's head (`{"type":…,"runId":…,"threadId":…,"userId":…`), its rest
 *   (`","ts":<producer ms>` and the data's members, closing the epoch's string), the user's event
 *   shard (eventShard in redis-keys.ts);
 * - a replay (11 args, as an event): 'r', then an event the producer saw acknowledged just before
 *   the connection was lost (pseq, pseq - 1, seq - 1, head, rest…): appended again, with its seq,
 *   only if Redis has no answer of the producer for the run (Redis lost its data; the event's
 *   pub/sub copies may have died with it), else answered '=' and nothing is appended;
 * - a conditional event or replay (11 args): as above, its kind followed by `<offset>:<epoch>`
 *   ('e12:ab3…'): applies only if the caller is the user's last writer and the stream stands there
 *   (the caller's write lease, see redis.ts UserLease), else '!SSOT_LEASE' and nothing is read;
 * - a lean event (7 args, issue 21 redis12): 'l', the user's meta key, its stream key, the event's
 *   channel message piece (its header, then the frame JSON: COMPACT_ENTRY_LUA), the user's event shard,
 *   the offset, and '' or the entry's 'c' field (`<checkpoint>:<lean bytes since>`: see recover()) — a
 *   light event (below) of a user the caller sent nothing else of in flight: its writer checked, XADD
 *   of a compact entry ('m' that piece, 't', maybe 'c') under the offset, nothing else read or written
 *   (compact(), in the item loop); answers '+' or '!SSOT_LEASE';
 * - a lean agent_completed (10 args): 'k', the user's meta key, its stream key, runId, seq, the frame
 *   JSON, the user's event shard, the offset, the frame's channel message header, and '' or 'c': as a
 *   lean event, but its entry as a full item's ('j', 'r', 's', 't', maybe 'c'), and it also writes its
 *   run's meta (seq, 'x' 0, metaTtl) once appended;
 * - a new run's first event, lean (14 args): 'n', the lean item's other 9 (seq 1), then the run's
 *   record (as a light item writes it), threadId, userId, epoch: applies only if the run has no meta
 *   and no record yet ('!SSOT_LEASE run' otherwise), then writes the run's meta and its record (first());
 * - a light event through the general path (12 args): 'L', userId, the run's new record (`<seq>:<offset>:0:<pseq>:0:<producer>:<thread>`), runId, the
 *   record the caller's previous light item of the run wrote ('' after a full item), the user's
 *   offset before it, seq, the frame JSON (built by the caller), epoch, the user's event shard, the
 *   offset, the frame's channel message header (announce()) — the caller assigned seq and offset
 *   under its write lease; answers '+' or '!SSOT_LEASE' (see light()). Every number comes as the
 *   caller formatted it (as %d does), so the usual light item compares strings and parses or
 *   formats no number: a tonumber() costs Redis two strtod() calls and a %d one sprintf(), ~1 µs
 *   per event for the eight and four the item took;
 * - a pack (10 + 3 per event): 'p' (lean) or 'P' (through the general path), a user's light items
 *   of the call sent together — one stream entry and one piece of the channel message for all of
 *   them, applied or refused whole (see pack() below; answers a line per item);
 * - a message (4 args): 'm', channel, payload, the user's event shard.
 * Fan-out: the events of the call are published once per event channel touched (`<prefix>events:<shard>`,
 * a batch per message: see redis-keys.ts), at the end of the call — or, for a shard, just before a
 * message of one of its users, so a user's frames keep their order.
 * Returns one string, a line per item: `<seq>:<offset>:<epoch>` for an event (a resend of an
 * applied one answers the same), `#<receivers>` for a message, `!<error>` for a refused event
 * ('SSOT_OWNER <user>', 'SSOT_THREAD <thread>', 'SSOT_ORDER expected <pseq>', 'SSOT_LEASE', or a Redis error raised
 * while appending it) — one string rather than a table per item: cheaper to build and to read.
 *
 * The user's meta is a checkpoint: lean items write none of it, and every item through the general
 * path first brings the user's position, size and runs' records up to the stream's tail (recover()).
 * Per event, only what is per event runs per event: XADD, and the run's record in its owner's meta
 * (`r:<runId>` = `<seq>:<offset>:<valid until>:<pseq>:<kept>:<producer>:<thread>`: its last seq and
 * offset, and the last producer's last publish), read and written with the user's position, size
 * and TTL refresh time — one HMGET and one HSET per user and call. The run's meta (owner, thread,
 * where it starts in the stream, kept answers, seq as a lower bound) is read and written only on
 * the run's slow path: its first event, when its TTL refresh is due (every refresh interval; the
 * record's 'valid until'), agent_completed, a producer other than the record's, pipelined
 * publishes of one run, or a resend. The fast path needs no owner read: a record exists only in
 * its owner's meta, and while it is valid the run's meta surely lives (its TTL was set activeTtl
 * beyond that time) and so still names that owner. The global bounds are read and written once per
 * call (only the fields that changed). TTLs are refreshed at most once per
 * refresh interval (field `x` of the user's and the run's meta: when the next refresh is due),
 * each set one interval longer than its bound (a user's meta and stream two: lean items append up
 * to half an interval past the user's last general item without refreshing), so a key still
 * outlives its last event by at least its TTL (stored events older than maxAgeMs are trimmed and
 * never read, whatever the key's TTL); a user's stream lives as long as its meta (metaTtl), so the
 * entries after a checkpoint never expire before the meta that needs them.
 * A user's recency in the streams zset is written at the same time, as the end of the next interval
 * (`x` + refresh): an upper bound of its last append, lean ones included, so a user whose score is
 * older than maxAgeMs has nothing younger stored, and the least recently active go first.
 * A user keeps at most maxRuns records (checked when its offset passes a multiple of 64 on the general path): the least recently active go,
 * their seq written to their run's meta.
 *
 * Idempotency: each producer (one bus instance) numbers its publishes per run (pseq). The run's
 * record keeps the last producer's last publish applied and what it got, the run's meta that of
 * any other producer (`p:<producer>` = `<pseq>:<seq>:<offset>:<epoch>`, moved there when another
 * producer appends), so a resend of it (its reply was lost) returns that and appends
 * nothing. Only while the producer has several publishes of one run unacknowledged (it sent the
 * next before the previous reply came) is an older result kept too (`m:<producer>:<pseq>`, the lowest
 * one possibly kept in `k:<producer>`; the record's `kept` says so), dropped once the producer says it
 * saw it acknowledged. A
 * publish whose predecessor has not been applied yet is refused (SSOT_ORDER) and retried by the
 * producer, so per-run order survives any reconnect.
 * Data loss (Redis restarted without persistence): the seq hint keeps a run's seq from going back;
 * the user's stream starts a new epoch (clients hear "reset").
 * An item's writes happen only after its checks, so a refusal never leaves a seq without its event.
 */
export const APPEND_BATCH_LUA = `
-- Globals the item functions read per event, as locals (their upvalues): a global is a hash lookup in
-- _G per use, an upvalue an index (issue 21 redis18: ~0.6k of redis-server's ~37k instructions per event).
local ARGV, redis, tonumber, type = ARGV, redis, tonumber, type
local pcall_ = redis.pcall
local streams, sizes, total = KEYS[1], KEYS[2], KEYS[3]
local freshEpoch = ARGV[1]
local maxUser, maxAge, maxTotal = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local metaTtl, activeTtl = ARGV[5], ARGV[6]
local maxRuns, prefix, overhead = tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9])
local refresh = tonumber(ARGV[10])
-- Bytes of a user's lean items between two checkpoints at most (lean(); redis.ts computes the same):
-- a checkpoint trims the user's stream to maxUser less that, so it never holds more than maxUser.
local leanBudget = math.floor(math.min(maxUser / 8, maxTotal / 64))
local userCap = maxUser - leanBudget
-- The calling instance: the user's last writer ('w' in its meta), which its conditional items check.
local writer = ARGV[11]
local format, match = string.format, string.match
local function fmt(n) return format('%d', n) end
${COMPACT_ENTRY_LUA}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowS = fmt(now)
local oldest = now - maxAge
local all = nil
local users, touched = {}, {}
-- The users whose lean items ('l', 'k', 'n') this call refuses, by meta key: those read by the general
-- path in this call (the sender sends 'L' for a user it sent a general item of earlier in the call;
-- lean() carries no userId), and those whose 'w' this call deleted (writerGone: a set read at the call's
-- start must not outlive a revocation in it; their meta's 'w' stays deleted until the write-back after
-- the items, so reading it would refuse them too — one table looked up per lean event instead of two).
local noLean = {}
local runTtl, runOrder = {}, {}
-- The lean items' writer check (in the item loop, for 'l' and 'k'; issue 21 redis18): the set 'leases:<writer>' holds
-- the meta keys of the users whose meta's 'w' names that writer — every change of a 'w' in this script
-- changes the sets too (writerIs, writerGone), so a member means its meta names this instance or is gone
-- (and then so is its stream, which expires with the meta and is deleted with it: NOMKSTREAM refuses).
-- One SMISMEMBER of the call's lean users replaces an HGET per lean event (a redis.call() per event: ~5k
-- of redis-server's ~40k instructions per event in the bench). A set, not a hash: a small hash is a
-- listpack, read by a linear scan per field (+10k instructions per event at 200 users, measured), a set
-- of strings a hashtable. Not a member (or no set, or a Redis without SMISMEMBER) refuses nothing: the
-- item reads its meta's 'w' as before and, if that names this instance, becomes a member at the end of
-- the call.
local leaseKey = prefix .. 'leases:' .. writer
-- leanMeta[i], member[i]: the call's i-th lean item's meta key and 1 if its user was a member when the
-- call began (leanAt counts the lean items as the item loop checks them; an item whose meta key is not
-- leanMeta[leanAt] reads its meta: a miscount can only cost a read).
local leanMeta, member, leanAt = {}, {}, 0
-- Meta keys whose membership in this instance's set changes (true: added, false: removed), in order;
-- and removals from other writers' sets (a takeover, drop()).
local ownFix, ownFixed, otherFix = {}, {}, {}
-- old: the writer the meta named before ('' none: a new user, or its meta lost and made again, so a stale
-- member may sit in any writer's set: it is removed from all of them), nil: this instance (a lean item's
-- meta read).
local unknownOld = {}
local function writerIs(meta, old)
  if ownFix[meta] == nil then ownFixed[#ownFixed + 1] = meta end
  ownFix[meta] = true
  if old == '' then unknownOld[#unknownOld + 1] = meta
  elseif old and old ~= writer then otherFix[#otherFix + 1] = {old, meta} end
end
local function writerGone(meta)
  if ownFix[meta] == nil then ownFixed[#ownFixed + 1] = meta end
  ownFix[meta] = false
  noLean[meta] = true
end
do
  local fields, nf, argv = leanMeta, 0, ARGV
  local a, n = 12, #argv
  while a <= n do
    local k = argv[a]
    if k == 'l' then nf = nf + 1; fields[nf] = argv[a + 1]; a = a + 7
    elseif k == 'k' then nf = nf + 1; fields[nf] = argv[a + 1]; a = a + 10
    elseif k == 'm' then a = a + 4
    elseif k == 'L' then a = a + 12
    elseif k == 'p' or k == 'P' then a = a + 10 + 3 * tonumber(argv[a + 5])
    elseif k == 'n' then a = a + 14
    else a = a + 11 end
  end
  -- An error (a key of another type, a Redis without SMISMEMBER) reads as no member. In chunks beyond
  -- 1000 (unpack has a stack limit; maxBatch keeps calls far below).
  if nf == 0 then
  elseif nf <= 1000 then
    local h = redis.pcall('SMISMEMBER', leaseKey, unpack(fields, 1, nf))
    if type(h) == 'table' and not h.err then member = h end
  else
    for i = 1, nf, 1000 do
      local h = redis.pcall('SMISMEMBER', leaseKey, unpack(fields, i, math.min(i + 999, nf)))
      if type(h) == 'table' and not h.err then
        for j = 1, #h do member[i + j - 1] = h[j] end
      end
    end
  end
end
-- Event channel messages being built (shard -> pieces), published at the end of the call.
local pending, shards = {}, {}
local function flush(shard)
  local p = pending[shard]
  if p and #p > 0 then
    redis.call('PUBLISH', prefix .. 'events:' .. shard, table.concat(p))
    pending[shard] = {nil, nil, nil, nil, nil, nil, nil, nil}
  end
end
-- The pieces of a shard's channel message (published at the end of the call), made on first use: its
-- array made for 8 (the constructor sizes it; # still finds the last piece), so the usual few pieces per
-- shard and call do not grow it 1, 2, 4, 8 (a table grown by one costs ~0.25k instructions, issue 21 redis24).
local function piecesOf(shard)
  local p = pending[shard]
  if not p then
    p = {nil, nil, nil, nil, nil, nil, nil, nil}
    pending[shard] = p
    shards[#shards + 1] = shard
  end
  return p
end
-- Queues an appended event's channel message, its header built. A light item's header comes built
-- from the publisher.
local function announceBuilt(shard, header, json)
  local p = piecesOf(shard)
  p[#p + 1] = header
  p[#p + 1] = json
end
-- The same for a piece that is header and frame in one string (a lean pack; an 'l' item in the item loop
-- appends its piece to piecesOf(shard) itself): one element.
local function announcePiece(shard, piece)
  local p = piecesOf(shard)
  p[#p + 1] = piece
end
local function announce(shard, o, s, epoch, userId, runId, json)
  announceBuilt(shard, format('%s|%s|%s|%d|%d|%d|%s%s', o, s, epoch, #userId, #runId, #json, userId, runId), json)
end
-- A run's record changed: written back once per call, with the user's meta.
local function setRecord(u, rf, rec)
  local d = u.dirty
  if not d[rf] then d[rf] = true; d[#d + 1] = rf end
  u.recs[rf] = rec
end

-- Lean light items (lean() below) write no meta: the user's meta ('off', 'b' and the runs' records) is
-- a checkpoint, and the stream's entries after 'off' are what they appended since. Brings u (off,
-- recs, and u.rb: their bytes, counted when the user is next written back) up to the stream's tail:
-- each run's record as its light items would have written it — the run's seq and offset from its
-- last entry, its pseq moved as far as its seq (a light item is its producer's next publish, seq
-- and pseq one above the previous one), producer and thread kept.
local function recover(u)
  local last = redis.call('XREVRANGE', u.stream, '+', '-', 'COUNT', 1)[1]
  if not last then return end
  local top = tonumber(match(last[1], '^(%d+)'))
  if top <= u.off then return end
  -- Per run its last seq and offset: for a single entry kept as read (the seq's string, the entry's
  -- id) and parsed once per run below, not per entry (the agent_completed of a run of 50 lean events
  -- reads 48 entries back; every tonumber() is two strtod() calls in Redis 7.0).
  local seqOf, offOf, runs = {}, {}, {}
  local bytes = 0
  local function saw(run, s, o)
    if not seqOf[run] then runs[#runs + 1] = run end
    seqOf[run], offOf[run] = s, o
  end
  -- A lean entry (lean() here, or redis.ts pushAhead) may carry 'c' = '<checkpoint>:<bytes>': its sender
  -- wrote every entry after that checkpoint offset, all single events of this entry's run, of those
  -- bytes in all (frames + overhead). When the meta's checkpoint is that offset (no other append came
  -- between: it would have moved it), the last entry says all the read-back would: no XRANGE.
  local lf = last[2]
  local cp, lb = nil, nil
  local lr, ls = nil, nil
  if #lf == 10 and lf[3] == 'r' and lf[5] == 's' and lf[9] == 'c' then
    cp, lb = match(lf[10], '^(%d+):(%d+)$')
    lr, ls = lf[4], lf[6]
  elseif #lf == 6 and lf[1] == 'm' and lf[5] == 'c' then
    -- A compact lean entry ('l' in the item loop: 'm', 't', 'c').
    cp, lb = match(lf[6], '^(%d+):(%d+)$')
    lr, ls = compactEntry(lf[2])
  end
  local entries
  if cp and lr and tonumber(cp) == u.off then
    saw(lr, ls, last[1])
    bytes = tonumber(lb)
    entries = {}
  else
    entries = redis.call('XRANGE', u.stream, fmt(u.off + 1) .. '-0', '+')
  end
  for _, e in ipairs(entries) do
    local f = e[2]
    if #f == 8 and f[1] == 'j' and f[3] == 'r' and f[5] == 's' then
      -- A single event as this bus writes it (j, r, s, t): read in place.
      local r = f[4]
      if not seqOf[r] then runs[#runs + 1] = r end
      seqOf[r], offOf[r] = f[6], e[1]
      bytes = bytes + #f[2] + overhead
    elseif f[1] == 'm' and (#f == 4 or #f == 6) then
      -- A compact lean entry (m, t, maybe c): its run, seq and frame bytes from m's header.
      local r, s, fl = compactEntry(f[2])
      if not seqOf[r] then runs[#runs + 1] = r end
      seqOf[r], offOf[r] = s, e[1]
      bytes = bytes + fl + overhead
    else
      local jl, r, s, n = 0, nil, nil, 1
      for i = 1, #f, 2 do
        local k = f[i]
        if k == 'j' then jl = #f[i + 1] elseif k == 'r' then r = f[i + 1] elseif k == 's' then s = f[i + 1] elseif k == 'n' then n = tonumber(f[i + 1]) end
      end
      local o = tonumber(match(e[1], '^(%d+)'))
      bytes = bytes + jl - (n - 1) + n * overhead
      if n == 1 then
        saw(r, tonumber(s), o)
      else
        local k = 0
        local seqs = {}
        for q in string.gmatch(s, '%d+') do seqs[#seqs + 1] = tonumber(q) end
        for run in string.gmatch(r, '[^\\n]+') do
          k = k + 1
          saw(run, seqs[k], o - n + k)
        end
      end
    end
  end
  for _, run in ipairs(runs) do
    local o = offOf[run]
    if type(o) == 'string' then
      offOf[run] = tonumber(match(o, '^(%d+)'))
      seqOf[run] = tonumber(seqOf[run])
    end
  end
  local need = {}
  for _, run in ipairs(runs) do
    if u.recs['r:' .. run] == nil then need[#need + 1] = 'r:' .. run end
  end
  if #need > 0 then
    local h = redis.call('HMGET', u.meta, unpack(need))
    for i, rf in ipairs(need) do u.recs[rf] = h[i] or false end
  end
  for _, run in ipairs(runs) do
    local rf = 'r:' .. run
    local rec = u.recs[rf]
    if rec then
      local rs, rp, tail = match(rec, '^(%d+):%d+:%d+:(%d+):%d:(.*)$')
      local s = seqOf[run]
      if rs and s > tonumber(rs) then
        setRecord(u, rf, fmt(s) .. ':' .. fmt(offOf[run]) .. ':0:' .. fmt(tonumber(rp) + s - tonumber(rs)) .. ':0:' .. tail)
      end
    end
  end
  if math.floor(top / 64) ~= math.floor(u.off / 64) then u.trim = true end
  u.off = top
  u.rb = bytes
end

-- A user's meta as read (and the record of the run of its first event in the call, in the same
-- read), brought up to its stream's tail (recover): nothing is written for a user until one of
-- its events appends (activate).
local function user(userId, rf)
  local u = users[userId]
  if u then return u end
  local base = prefix .. 'user:{' .. userId .. '}:'
  local meta = base .. 'meta'
  local h = redis.call('HMGET', meta, 'epoch', 'off', 'ot', 'x', 'b', rf, 'w')
  u = {id = userId, meta = meta, stream = base .. 'stream', epoch = h[1], off = tonumber(h[2] or '0'),
    ot = tonumber(h[3] or '0'), due = tonumber(h[4] or '0'), b = h[5], bytes = 0, epoch0 = h[1], ot0 = 0, due0 = 0,
    recs = {[rf] = h[6] or false}, dirty = {}, live = false, trim = false, w = h[7] or '', skew = 0, rb = 0}
  if u.epoch then recover(u) end
  users[userId] = u
  noLean[meta] = true
  return u
end

local function activate(u)
  if u.live then return end
  u.live = true
  if not all then all = tonumber(redis.call('GET', total) or '0') end
  -- 'b' mirrors the user's entry in the sizes hash (read here without a call of its own).
  local old = tonumber(u.b or redis.call('HGET', sizes, u.id) or '0')
  if not u.epoch then
    -- A new stream (first event, expired, or lost with the data): forget what was counted for the old one.
    u.epoch, u.off, u.ot, u.bytes, u.due = freshEpoch, 0, 0, 0, 0
    all = all - old
    redis.call('DEL', u.stream)
  else
    -- Plus what lean items appended since the checkpoint (recover), counted now.
    u.bytes = old + u.rb
    all = all + u.rb
  end
  -- What was read, so only what changed is written back.
  u.ot0, u.due0 = u.ot, u.due
  touched[#touched + 1] = u
end

  -- Per user: the oldest entries go beyond the byte bound or the age bound (never the new one).
  -- 'ot' (append time of the oldest entry stored) says whether anything is old without reading.
-- A conditional item that passed its check: if it then appends nothing (refused, or a resend
-- answered from what it got), the sender's prediction for the user's later items in this call is one
-- ahead ('skew'); a light item, whose offset is in its frame, needs none.
local checked, checkedOff = nil, 0

local function trim(u, o, size)
  if u.bytes > userCap or u.ot < oldest then
    local trimming = true
    while trimming do
      trimming = false
      for _, e in ipairs(redis.call('XRANGE', u.stream, '-', '+', 'COUNT', 16)) do
        local f = e[2]
        local jl, at, n = 0, 0, 1
        for i = 1, #f, 2 do
          if f[i] == 'j' then jl = #f[i + 1] elseif f[i] == 't' then at = tonumber(f[i + 1]) elseif f[i] == 'n' then n = tonumber(f[i + 1])
          elseif f[i] == 'm' then local _, _, fl = compactEntry(f[i + 1]); jl = fl end
        end
        if e[1] == o .. '-0' then
          -- Only the new entry is left: whatever was counted for entries that expired with the key goes.
          all = all + size - u.bytes
          u.bytes = size
          u.ot = at
          break
        end
        if u.bytes <= userCap and at >= oldest then u.ot = at break end
        redis.call('XDEL', u.stream, e[1])
        -- A pack's frames are joined by n - 1 newlines; each counts overhead bytes, as one entry each would.
        local sz = jl - (n - 1) + n * overhead
        u.bytes = u.bytes - sz
        all = all - sz
        trimming = true
      end
    end
  end
end

local function append(a)
  local kind = ARGV[a]
  local userId, threadId, runId, producer, pseqS = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local pseq, acked, hint = tonumber(pseqS), tonumber(ARGV[a + 6]), tonumber(ARGV[a + 7])
  local rf = 'r:' .. runId
  local u = user(userId, rf)
  if #kind > 1 then
    -- A conditional item ('<kind><offset>:<epoch>'): the sender predicted the user's stream from its
    -- own writes; it applies only if this instance is still the user's last writer and the stream
    -- stands where predicted (else an earlier item of its failed, or another instance wrote).
    local cb, ce = match(kind, '^.(%d+):(.*)$')
    if u.w ~= writer or u.epoch ~= ce or u.off + u.skew ~= tonumber(cb) then return '!SSOT_LEASE' end
    kind = string.sub(kind, 1, 1)
    checked, checkedOff = u, u.off
  end
  local rec = u.recs[rf]
  if rec == nil then
    rec = redis.call('HGET', u.meta, rf) or false
    u.recs[rf] = rec
  end
  -- The run's record in its owner's meta: <seq>:<offset>:<valid until>:<pseq>:<kept>:<producer>:<thread>
  -- (its last event, the last producer that appended and the publish it applied). It exists only
  -- in the owner's hash, and while 'valid until' (the run meta's TTL refresh time) is ahead the
  -- run's meta surely still names this owner: an event of the same producer, thread and next pseq
  -- needs nothing else (no read or write of the run's meta).
  local rs, ro, rvS, rv, rp, rk, rprod, rth
  local mine = false
  if rec then
    rs, ro, rvS, rp, rk, rprod, rth = match(rec, '^(%d+):(%d+):(%d+):(%d+):(%d):([^:]*):(.*)$')
    rs, rv, rp = tonumber(rs), tonumber(rvS), tonumber(rp)
    mine = rprod == producer
    if mine and rth == threadId and now < rv then
      if kind == 'r' then return '=' end
      -- A resend of the last applied publish (its reply was lost): what it got, nothing appended.
      if pseq == rp then return fmt(rs) .. ':' .. ro .. ':' .. u.epoch end
    end
  end
  local fast = mine and kind == 'e' and rth == threadId and now < rv and rk == '0' and pseq == rp + 1 and acked == rp

  local slow, fields, gone, v, vS, kept = nil, nil, nil, rv, rvS, '0'
  local seq = rs or 0
  if not fast then
    local runMeta = prefix .. 'run:{' .. runId .. '}:meta'
    local pk = 'p:' .. producer
    local m = redis.call('HMGET', runMeta, 'user', 'thread', 'seq', 'fe', 'x', pk, 'k:' .. producer)
    if m[1] and m[1] ~= userId then return '!SSOT_OWNER ' .. m[1] end
    if m[2] and m[2] ~= threadId then return '!SSOT_THREAD ' .. m[2] end
    -- The producer's last answer: in the owner's record if it was the last to append, else in the run's meta.
    local p = m[6]
    if p == '' then p = nil end
    -- A replay ('r'): appended again only if Redis forgot the producer's answers (it lost its data).
    if kind == 'r' and (mine or p) then return '=' end
    local last, lastGot = acked, nil
    if mine then
      last, lastGot = rp, fmt(rs) .. ':' .. ro .. ':' .. u.epoch
    elseif p then
      local i = string.find(p, ':', 1, true)
      last, lastGot = tonumber(string.sub(p, 1, i - 1)), string.sub(p, i + 1)
    end
    if pseq <= last then
      if pseq == last and lastGot then return lastGot end
      local k = redis.call('HGET', runMeta, 'm:' .. producer .. ':' .. pseqS)
      if k then return k end
    end
    if pseq ~= last + 1 then return '!SSOT_ORDER expected ' .. fmt(last + 1) end

    if not m[1] then fields = {'user', userId, 'thread', threadId} end
    -- Older results kept for the producer: those it saw acknowledged go; its predecessor's is kept
    -- while the producer has not seen that one acknowledged (its reply may still be lost).
    local low0 = tonumber(m[7])
    local low = low0
    if low and acked >= low then
      gone = {}
      for x = low, math.min(acked, last - 1) do gone[#gone + 1] = 'm:' .. producer .. ':' .. fmt(x) end
      low = acked + 1
    end
    if lastGot and last > acked then
      fields = fields or {}
      fields[#fields + 1] = 'm:' .. producer .. ':' .. fmt(last); fields[#fields + 1] = lastGot
      if not low or low > last then low = last end
    end
    if low and low >= pseq then low = nil end
    if low ~= low0 then
      if low then
        fields = fields or {}
        fields[#fields + 1] = 'k:' .. producer; fields[#fields + 1] = fmt(low)
      else
        gone = gone or {}
        gone[#gone + 1] = 'k:' .. producer
      end
    end
    if low then kept = '1' end
    -- The owner's record holds this producer's answer from now on; the previous writer's moves here.
    if p then
      gone = gone or {}
      gone[#gone + 1] = pk
    end
    if rec and not mine then
      fields = fields or {}
      fields[#fields + 1] = 'p:' .. rprod; fields[#fields + 1] = fmt(rp) .. ':' .. fmt(rs) .. ':' .. ro .. ':' .. u.epoch
    end
    if gone and #gone > 0 then redis.call('HDEL', runMeta, unpack(gone)) end
    -- The run's seq: the record's, or the meta's (a lower bound) when the record is gone.
    local ms = tonumber(m[3] or '0')
    if ms > seq then seq = ms end
    slow = {runMeta, m[4], m[5]}
  end

  if hint > seq then seq = hint end
  seq = seq + 1
  activate(u)
  local off = u.off + 1
  local s, o = fmt(seq), fmt(off)
  local json = ARGV[a + 8] .. ',"seq":' .. s .. ',"offset":' .. o .. ',"epoch":"' .. u.epoch .. ARGV[a + 9]
  redis.call('XADD', u.stream, o .. '-0', 'j', json, 'r', runId, 's', s, 't', nowS)
  u.off = off
  local size = #json + overhead
  u.bytes = u.bytes + size
  all = all + size

  trim(u, o, size)
  if off % 64 == 0 then u.trim = true end

  if slow then
    local key = slow[1]
    -- Where the run starts in the user's stream (per-run replay reads from there), once per epoch.
    if slow[2] ~= u.epoch then
      fields = fields or {}
      fields[#fields + 1] = 'fe'; fields[#fields + 1] = u.epoch
      fields[#fields + 1] = 'fo'; fields[#fields + 1] = o
    end
    -- An ended run's meta lives metaTtl from now (exactly); an open run's is refreshed when due.
    -- The record's 'valid until' is the next refresh: the meta outlives it by activeTtl.
    local ttl = nil
    v = tonumber(slow[3] or '0')
    vS = slow[3] or '0'
    if kind == 'E' then
      ttl, v, vS = metaTtl, 0, '0'
      fields = fields or {}
      fields[#fields + 1] = 'x'; fields[#fields + 1] = '0'
    elseif now >= v then
      ttl, v = tonumber(activeTtl) + refresh, now + refresh
      vS = fmt(v)
      fields = fields or {}
      fields[#fields + 1] = 'x'; fields[#fields + 1] = vS
    end
    -- The seq here is a lower bound for when the owner's record is gone (the user's meta expired).
    if fields then
      redis.call('HSET', key, 'seq', s, unpack(fields))
    else
      redis.call('HSET', key, 'seq', s)
    end
    if ttl then
      if not runTtl[key] then runOrder[#runOrder + 1] = key end
      runTtl[key] = ttl
    end
  end
  local got = s .. ':' .. o .. ':' .. u.epoch
  setRecord(u, rf, s .. ':' .. o .. ':' .. vS .. ':' .. pseqS .. ':' .. kept .. ':' .. producer .. ':' .. threadId)
  announce(ARGV[a + 10], o, s, u.epoch, userId, runId, json)
  return got
end

-- A light item: an event whose seq, offset and epoch its instance assigned itself, from its own
-- writes (the user's last writer, the run's last producer, lockstep): it appends only if all of
-- that still holds — the user's last writer is this instance, the stream's epoch and offset are
-- where the sender predicted, and the run's record is this producer's previous publish — else it
-- is refused (SSOT_LEASE) and the sender sends it again as a full item. Nothing else is read; the
-- frame, its record and its channel message header come built; no run meta is read or written (the
-- record's 'valid until' is 0, so the run's next full item checks and refreshes it).
-- ARGV (12): see APPEND_BATCH_LUA's header. Numbers are compared as the strings both sides
-- format alike (%d, JavaScript's String()): no parsing.
-- The users lean items appended to, by meta key (the total bound never drops a user appended to in this
-- call): a list, made a set only if the bounds find a user to drop (a set built per lean event cost ~1% of
-- redis-server's instructions per event, issue 21 redis18). The 'l' and 'k' items' users are not listed
-- here: the pre-pass's leanMeta lists them all, appended or refused (a table grown per event costs ~0.25k
-- instructions, issue 21 redis24), so a user whose lean item was refused is not dropped in this call either.
local leanList, nLean, leanSet = {}, 0, nil
local function leanUser(meta)
  if not leanSet then
    leanSet = {}
    for i = 1, nLean do leanSet[leanList[i]] = true end
    for i = 1, #leanMeta do leanSet[leanMeta[i]] = true end
  end
  return leanSet[meta]
end

-- Whether a run's record (<seq>:<offset>:<valid until>:<pseq>:<kept>:<producer>:...) is this
-- producer's publish before the light item at a: exactly the record the caller's previous light
-- item of the run wrote (one string comparison), or, after a full item (whose record's valid-until
-- and kept flag only Redis knows: ARGV[a + 4] empty), its seq, pseq and producer (once per run and
-- refresh interval).
local function previousOf(rec, prev, new)
  if prev ~= '' then return rec == prev end
  local s, p, producer = match(new, '^(%d+):%d+:0:(%d+):0:([^:]*):')
  local rs, rp, rprod = match(rec, '^(%d+):%d+:%d+:(%d+):%d:([^:]*):')
  return rprod ~= nil and rprod == producer and tonumber(rs) + 1 == tonumber(s) and tonumber(rp) + 1 == tonumber(p)
end
local function previous(rec, a)
  return previousOf(rec, ARGV[a + 4], ARGV[a + 2])
end

-- A lean light item ('l': written out in the item loop, 'k': lean(); for a user not otherwise touched in
-- this call so far): its writer checked (the item loop: the lease set, else one HGET of the user's 'w') and XADD under the offset the sender assigned — nothing else read or
-- written. The fence is the writer check and the stream itself: an entry at or above that offset
-- (another instance appended) makes XADD refuse the id, a stream gone (dropped, expired) makes
-- NOMKSTREAM refuse it; a refusal while this instance is still the writer revokes it ('w' deleted),
-- so nothing the sender predicted from it applies after. The user's position, size and the run's
-- record are left to the next item of the user through the general path, which reads them back
-- from the stream's tail (recover). The sender sends 'L' (the general path) when the user is due for
-- that: its TTLs, its bounds (bytes stored, age) and its records count are checked there, at least
-- every half TTL refresh interval and every maxBytesPerUser / 8 bytes of lean items (redis.ts), and
-- whenever an earlier item of the user is still unanswered (only the general path checks the offset
-- before the item, which is what fences items sent behind one that failed).
-- Raises nothing (the item loop runs it without a pcall, ~0.16 µs per event less): a Redis error
-- of its HGET (the meta of another type) fails the item with that error, as a raised one would.
--
-- The usual item ('l', issue 21 redis12; before, as 'k' in lean() below) is written out in the item loop
-- below, writer check, XADD and channel message piece: a Lua function call costs redis-server ~0.5-0.7k
-- instructions per event (of ~35k; callgrind, the bench's workload: issue 21 redis18, redis24). 7 arguments (no runId or seq of
-- their own, no separate frame and header) and a compact entry: 'm' the event's channel message piece
-- (its header names the run, the seq and the frame's bytes: COMPACT_ENTRY_LUA), 't', maybe 'c'. The same
-- piece is the channel message's, so the call carries the frame once and the entry has 2-3 fields
-- instead of 4-5. lean() ('k') is called after the same writer check; meta is the item's meta key.
local function lean(a, meta)
  local json = ARGV[a + 5]
  local c = ARGV[a + 9]
  local r
  if c == '' then
    r = redis.pcall('XADD', ARGV[a + 2], 'NOMKSTREAM', ARGV[a + 7], 'j', json, 'r', ARGV[a + 3], 's', ARGV[a + 4], 't', nowS)
  else
    r = redis.pcall('XADD', ARGV[a + 2], 'NOMKSTREAM', ARGV[a + 7], 'j', json, 'r', ARGV[a + 3], 's', ARGV[a + 4], 't', nowS, 'c', c)
  end
  if type(r) ~= 'string' then
    redis.call('HDEL', meta, 'w')
    writerGone(meta)
    return '!SSOT_LEASE'
  end
  if ARGV[a] == 'k' then
    -- agent_completed ('k'): its run's meta as a full item would leave it — the run's last seq, no
    -- refresh due ('x' 0), metaTtl from now. Not read: the run is this producer's, lockstep, within
    -- its light window (its owner checked by its first event). The event is appended whatever these
    -- answer (pcall: nothing raised after the XADD).
    local runMeta = prefix .. 'run:{' .. ARGV[a + 3] .. '}:meta'
    redis.pcall('HSET', runMeta, 'seq', ARGV[a + 4], 'x', '0')
    redis.pcall('PEXPIRE', runMeta, metaTtl)
  end
  announceBuilt(ARGV[a + 6], ARGV[a + 8], json)
  return '+'
end

-- A new run's first event, lean ('n', issue 21 redis11): a lean item (its user's writer checked, XADD
-- NOMKSTREAM under the offset the sender assigned) whose run must not exist yet — no run meta and no
-- record of it in the user's meta (a run id seen before goes the general path, which continues its seq)
-- — else '!SSOT_LEASE run' (resent as a full item: the owner and order checks then answer). Once
-- appended it writes what the general path leaves for a new run — the run's meta (owner, thread, seq,
-- where it starts: fe/fo, the next refresh 'x') and its TTL (activeTtl + refresh), and the run's record
-- in the user's meta as a light item writes it — but reads no checkpoint (no recover()) and writes no
-- position, size or TTL of the user (the next general item does, as after any lean item).
-- ARGV (14): the lean item's 10 ('n' first, seq 1), then the run's record, threadId, userId, epoch.
local openTtl, nextDue = nil, nil
local function first(a)
  local meta = ARGV[a + 1]
  if noLean[meta] then return '!SSOT_LEASE' end
  local runId = ARGV[a + 3]
  local rf = 'r:' .. runId
  local h = redis.call('HMGET', meta, 'w', rf)
  if h[1] ~= writer then return '!SSOT_LEASE' end
  local runMeta = prefix .. 'run:{' .. runId .. '}:meta'
  if h[2] or redis.call('EXISTS', runMeta) == 1 then return '!SSOT_LEASE run' end
  local o, s, json, c = ARGV[a + 7], ARGV[a + 4], ARGV[a + 5], ARGV[a + 9]
  local r
  if c == '' then
    r = redis.pcall('XADD', ARGV[a + 2], 'NOMKSTREAM', o, 'j', json, 'r', runId, 's', s, 't', nowS)
  else
    r = redis.pcall('XADD', ARGV[a + 2], 'NOMKSTREAM', o, 'j', json, 'r', runId, 's', s, 't', nowS, 'c', c)
  end
  if type(r) ~= 'string' then
    redis.call('HDEL', meta, 'w')
    writerGone(meta)
    return '!SSOT_LEASE'
  end
  nLean = nLean + 1
  leanList[nLean] = meta
  if not openTtl then
    openTtl = fmt(tonumber(activeTtl) + refresh)
    nextDue = fmt(now + refresh)
  end
  redis.call('HSET', runMeta, 'user', ARGV[a + 12], 'thread', ARGV[a + 11], 'seq', s, 'fe', ARGV[a + 13], 'fo', o, 'x', nextDue)
  redis.call('PEXPIRE', runMeta, openTtl)
  redis.call('HSET', meta, rf, ARGV[a + 10])
  announceBuilt(ARGV[a + 6], ARGV[a + 8], json)
  return '+'
end

local function light(a)
  local userId = ARGV[a + 1]
  local rf = 'r:' .. ARGV[a + 3]
  local u = user(userId, rf)
  local o0 = tonumber(ARGV[a + 5])
  if u.w ~= writer or u.epoch ~= ARGV[a + 8] or u.off ~= o0 or u.skew ~= 0 then return '!SSOT_LEASE' end
  local rec = u.recs[rf]
  if rec == nil then
    rec = redis.call('HGET', u.meta, rf) or false
    u.recs[rf] = rec
  end
  if not rec or not previous(rec, a) then return '!SSOT_LEASE' end
  activate(u)
  local o = ARGV[a + 10]
  local json = ARGV[a + 7]
  redis.call('XADD', u.stream, o .. '-0', 'j', json, 'r', ARGV[a + 3], 's', ARGV[a + 6], 't', nowS)
  u.off = o0 + 1
  local size = #json + overhead
  u.bytes = u.bytes + size
  all = all + size
  trim(u, o, size)
  if u.off % 64 == 0 then u.trim = true end
  setRecord(u, rf, ARGV[a + 2])
  announceBuilt(ARGV[a + 9], ARGV[a + 11], json)
  return '+'
end

-- A pack: a user's light items of this call (consecutive offsets, one per run) as one stream entry
-- (id: its last offset; 'j' the frames joined by a newline, 'r' the runs joined by a newline, 's'
-- the seqs joined by a comma, 'n' how many) and one piece of the shard's channel message (built by
-- the caller: each event's header and frame, as n light items would announce them). Checked as
-- its light items would be — the user's last writer, epoch and offset before it, each run's record
-- its producer's previous publish — and applied whole or refused whole ('!SSOT_LEASE' per item: the
-- caller resends each as a full item). One HMGET and one HSET of the user's meta (all its runs'
-- records), one XADD: the per-user and per-entry work is paid once for the n events.
-- ARGV (10 + 3 per event): 'p' (or 'P': the user's record count is due for a check), userId, epoch,
-- the user's offset before it, its last offset, n, frames, seqs, the user's event shard, the
-- channel message piece; per event: runId, the record its run's previous light item wrote ('' after
-- a full item), its new record.
local function lines(n, line)
  local t = {}
  for i = 1, n do t[i] = line end
  return table.concat(t, '\\n')
end

local function pack(a)
  local userId, epoch, before, o, nS = ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5]
  local n = tonumber(nS)
  local json = ARGV[a + 6]
  local size = #json - (n - 1) + n * overhead
  local runs, rfs = {}, {}
  for i = 1, n do
    local runId = ARGV[a + 7 + 3 * i]
    runs[i] = runId
    rfs[i] = 'r:' .. runId
  end
  local function ok(i, rec)
    local at = a + 7 + 3 * i
    return rec and previousOf(rec, ARGV[at + 1], ARGV[at + 2])
  end
  if ARGV[a] == 'p' and not users[userId] then
    -- As lean(): the user not otherwise touched in this call so far, its writer read and nothing else
    -- of its meta. A pack's id is its last offset, so XADD alone would take a pack whose first
    -- offsets are taken: the stream's last entry must be the offset before it (one read per pack).
    local base = prefix .. 'user:{' .. userId .. '}:'
    if redis.call('HGET', base .. 'meta', 'w') ~= writer then return lines(n, '!SSOT_LEASE') end
    local top = redis.call('XREVRANGE', base .. 'stream', '+', '-', 'COUNT', 1)[1]
    if not top or match(top[1], '^(%d+)') ~= before then
      redis.call('HDEL', base .. 'meta', 'w')
      writerGone(base .. 'meta')
      return lines(n, '!SSOT_LEASE')
    end
    local r = redis.pcall('XADD', base .. 'stream', 'NOMKSTREAM', o .. '-0', 'j', json, 'r', table.concat(runs, '\\n'), 's', ARGV[a + 7], 't', nowS, 'n', nS)
    if type(r) ~= 'string' then
      redis.call('HDEL', base .. 'meta', 'w')
      writerGone(base .. 'meta')
      return lines(n, '!SSOT_LEASE')
    end
    nLean = nLean + 1
    leanList[nLean] = base .. 'meta'
    announcePiece(ARGV[a + 8], ARGV[a + 9])
    return lines(n, '+')
  end
  local u = user(userId, rfs[1])
  if u.w ~= writer or u.epoch ~= epoch or u.off ~= tonumber(before) or u.skew ~= 0 then return lines(n, '!SSOT_LEASE') end
  for i = 1, n do
    local rec = u.recs[rfs[i]]
    if rec == nil then
      rec = redis.call('HGET', u.meta, rfs[i]) or false
      u.recs[rfs[i]] = rec
    end
    if not ok(i, rec) then return lines(n, '!SSOT_LEASE') end
  end
  activate(u)
  redis.call('XADD', u.stream, o .. '-0', 'j', json, 'r', table.concat(runs, '\\n'), 's', ARGV[a + 7], 't', nowS, 'n', nS)
  local o0 = u.off
  u.off = tonumber(o)
  u.bytes = u.bytes + size
  all = all + size
  trim(u, o, size)
  if math.floor(u.off / 64) ~= math.floor(o0 / 64) then u.trim = true end
  for i = 1, n do setRecord(u, rfs[i], ARGV[a + 9 + 3 * i]) end
  announceBuilt(ARGV[a + 8], ARGV[a + 9], '')
  return lines(n, '+')
end

local out, no = {}, 0
local a, n = 12, #ARGV
while a <= n do
  local k = ARGV[a]
  no = no + 1
  if k == 'l' or k == 'k' then
    -- A lean item's writer check, here once for both kinds ('l', 'k'). Not a member (or no set, a
    -- miscount): its meta's 'w' read; a Redis error of that HGET (the meta of another type) fails the
    -- item with that error, as a raised one would. Neither kind raises, so no pcall (nor the general
    -- path's bookkeeping).
    local meta = ARGV[a + 1]
    leanAt = leanAt + 1
    local r = nil
    if noLean[meta] then
      r = '!SSOT_LEASE'
    elseif member[leanAt] ~= 1 or leanMeta[leanAt] ~= meta then
      local w = redis.pcall('HGET', meta, 'w')
      if w == writer then
        writerIs(meta, nil)
      elseif type(w) == 'table' and w.err then
        r = '!' .. string.gsub(w.err, '[\\r\\n]', ' ')
      else
        r = '!SSOT_LEASE'
      end
    end
    if k == 'l' then
      -- compact(): the usual item (a compact entry, see lean() above), written out here. Its XADD id is
      -- the offset alone: XADD completes '<ms>' as '<ms>-0' (a string fewer made per event).
      if not r then
        local piece, c = ARGV[a + 3], ARGV[a + 6]
        local x
        if c == '' then
          x = pcall_('XADD', ARGV[a + 2], 'NOMKSTREAM', ARGV[a + 5], 'm', piece, 't', nowS)
        else
          x = pcall_('XADD', ARGV[a + 2], 'NOMKSTREAM', ARGV[a + 5], 'm', piece, 't', nowS, 'c', c)
        end
        -- Appended: the id, a string, whose .err is nil (strings index the string library); refused: false
        -- (NOMKSTREAM, the stream gone) or {err = ...} (the id not above the top). No type() call, which
        -- makes its answer's string per event.
        if x and not x.err then
          local shard = ARGV[a + 4]
          local p = pending[shard] or piecesOf(shard)
          p[#p + 1] = piece
          r = '+'
        else
          redis.call('HDEL', meta, 'w')
          writerGone(meta)
          r = '!SSOT_LEASE'
        end
      end
      out[no] = r
      a = a + 7
    else
      out[no] = r or lean(a, meta)
      a = a + 10
    end
  elseif k == 'm' then
    flush(ARGV[a + 3])
    out[no] = '#' .. redis.call('PUBLISH', ARGV[a + 1], ARGV[a + 2])
    a = a + 4
  else
    -- A Redis error of one item (a key of the wrong type, OOM) fails that item only: the others
    -- still apply, and each user's offset is written back below (its XADDs are in the stream).
    checked = nil
    local isLight = k == 'L'
    local isPack = k == 'p' or k == 'P'
    local isFirst = k == 'n'
    local ok, r = pcall(isLight and light or isPack and pack or isFirst and first or append, a)
    if checked and checked.off == checkedOff then checked.skew = checked.skew + 1 end
    if not ok then
      r = '!' .. string.gsub(tostring(type(r) == 'table' and r.err or r), '[\\r\\n]', ' ')
      -- A pack fails whole: one line per item.
      if isPack then r = lines(tonumber(ARGV[a + 5]), r) end
    end
    out[no] = r
    a = a + (isLight and 12 or isPack and 10 + 3 * tonumber(ARGV[a + 5]) or isFirst and 14 or 11)
  end
end
for _, shard in ipairs(shards) do flush(shard) end
-- The lease sets follow each 'w' this call changed (writerIs, writerGone): once per call, so an item
-- costs no call of its own for it. pcall: a set key of another type (its SMISMEMBER fails too, so it
-- refuses nothing) must not fail the call.
local function flushWriters()
  if #ownFixed == 0 and #otherFix == 0 then return end
  local registry = prefix .. 'lease-writers'
  if #unknownOld > 0 then
    -- Users whose meta named no writer (new, or lost and made again: another instance may still hold
    -- them as members from before): out of every other writer's set (the writers with a set are listed
    -- in the registry; one whose set expired is struck off).
    local ws = redis.pcall('SMEMBERS', registry)
    if type(ws) == 'table' and not ws.err then
      for _, w in ipairs(ws) do
        if w ~= writer then
          local key = prefix .. 'leases:' .. w
          for i = 1, #unknownOld, 1000 do redis.pcall('SREM', key, unpack(unknownOld, i, math.min(i + 999, #unknownOld))) end
          if redis.call('EXISTS', key) == 0 then redis.pcall('SREM', registry, w) end
        end
      end
    end
  end
  local add, rem = {}, {}
  for _, meta in ipairs(ownFixed) do
    if ownFix[meta] then add[#add + 1] = meta else rem[#rem + 1] = meta end
  end
  for i = 1, #add, 1000 do redis.pcall('SADD', leaseKey, unpack(add, i, math.min(i + 999, #add))) end
  for i = 1, #rem, 1000 do redis.pcall('SREM', leaseKey, unpack(rem, i, math.min(i + 999, #rem))) end
  -- The set lives as long as a user's meta from its last change (a writer gone away leaves nothing for
  -- longer); expired under a live writer, its lean items read their metas again and refill it.
  if #add > 0 then
    redis.pcall('PEXPIRE', leaseKey, tonumber(metaTtl) + 2 * refresh)
    redis.pcall('SADD', registry, writer)
  end
  for _, f in ipairs(otherFix) do redis.pcall('SREM', prefix .. 'leases:' .. f[1], f[2]) end
  ownFix, ownFixed, otherFix, unknownOld = {}, {}, {}, {}
end
flushWriters()
if not all then return table.concat(out, '\\n') end

local sized, recent = {}, {}
for i, u in ipairs(touched) do
  local offS, bS, d = fmt(u.off), fmt(u.bytes), u.dirty
  if #d == 1 and u.epoch == u.epoch0 and u.ot == u.ot0 and now < u.due and u.w == writer then
    -- The usual case: the user's position and size, and one run's record (no table, no unpack).
    redis.call('HSET', u.meta, 'off', offS, 'b', bS, d[1], u.recs[d[1]])
  else
    local fields = {'off', offS, 'b', bS}
    -- This instance is the user's last writer now: another's conditional and light items are refused.
    if u.w ~= writer then
      fields[#fields + 1] = 'w'; fields[#fields + 1] = writer
      writerIs(u.meta, u.w)
    end
    if u.epoch ~= u.epoch0 then fields[#fields + 1] = 'epoch'; fields[#fields + 1] = u.epoch end
    if u.ot ~= u.ot0 then fields[#fields + 1] = 'ot'; fields[#fields + 1] = fmt(u.ot) end
    local expire = nil
    if now >= u.due then
      u.due = now + refresh
      -- Lean items append for up to half an interval past a general item without refreshing (and
      -- the general item may come just before 'x'): one interval longer than before, for both. The
      -- stream lives as long as the meta, so the entries after the checkpoint are never lost while
      -- the meta that needs them lives (entries older than maxAge are trimmed and never read).
      expire = tonumber(metaTtl) + 2 * refresh
      recent[#recent + 1] = fmt(u.due + refresh); recent[#recent + 1] = u.id
    end
    if u.due ~= u.due0 then fields[#fields + 1] = 'x'; fields[#fields + 1] = fmt(u.due) end
    for _, rf in ipairs(d) do fields[#fields + 1] = rf; fields[#fields + 1] = u.recs[rf] end
    redis.call('HSET', u.meta, unpack(fields))
    -- After the HSET: a new user's meta exists only from it (a PEXPIRE before it set no TTL).
    if expire then
      redis.call('PEXPIRE', u.stream, expire)
      redis.call('PEXPIRE', u.meta, expire)
    end
  end
  sized[#sized + 1] = u.id; sized[#sized + 1] = bS
  -- One HSET (and at most one ZADD) for all the batch's users (in chunks: unpack has a stack limit).
  if #sized >= 1000 or i == #touched then
    redis.call('HSET', sizes, unpack(sized))
    if #recent > 0 then redis.call('ZADD', streams, unpack(recent)) end
    sized, recent = {}, {}
  end
  -- At most maxRuns run records per user (checked every 64 offsets): the least recently active go,
  -- their seq kept in their run's meta (while it lives) for a later event.
  if u.trim and redis.call('HLEN', u.meta) > maxRuns + 8 then
    local h = redis.call('HGETALL', u.meta)
    local rs = {}
    for j = 1, #h, 2 do
      if string.sub(h[j], 1, 2) == 'r:' then
        local s, o = match(h[j + 1], '^(%d+):(%d+):')
        rs[#rs + 1] = {h[j], tonumber(o), s}
      end
    end
    if #rs > maxRuns then
      table.sort(rs, function(x, y) return x[2] < y[2] end)
      for j = 1, #rs - maxRuns do
        redis.call('HDEL', u.meta, rs[j][1])
        local key = prefix .. 'run:{' .. string.sub(rs[j][1], 3) .. '}:meta'
        if redis.call('EXISTS', key) == 1 then redis.call('HSET', key, 'seq', rs[j][3]) end
      end
    end
  end
end
for _, key in ipairs(runOrder) do redis.call('PEXPIRE', key, runTtl[key]) end
flushWriters()

-- In total: users whose stream aged out are forgotten; beyond the bound, the stalest users' streams go whole.
local function drop(gone)
  -- The position and run records lean items left in the stream are written first (the stream goes).
  local base = prefix .. 'user:{' .. gone .. '}:'
  local h = redis.call('HMGET', base .. 'meta', 'off', 'w')
  local g = {meta = base .. 'meta', stream = base .. 'stream', off = tonumber(h[1] or '0'), recs = {}, dirty = {}, rb = 0}
  local off0 = g.off
  recover(g)
  if g.off ~= off0 then
    local fields = {'off', fmt(g.off)}
    for _, rf in ipairs(g.dirty) do fields[#fields + 1] = rf; fields[#fields + 1] = g.recs[rf] end
    redis.call('HSET', g.meta, unpack(fields))
  end
  local n = tonumber(redis.call('HGET', sizes, gone) or '0')
  all = all - n
  redis.call('HDEL', sizes, gone)
  redis.call('ZREM', streams, gone)
  redis.call('DEL', prefix .. 'user:{' .. gone .. '}:stream')
  -- A stream created again by a later append must get its TTL at once; its size starts again from 0.
  redis.call('HDEL', prefix .. 'user:{' .. gone .. '}:meta', 'x', 'b', 'w')
  if h[2] then redis.pcall('SREM', prefix .. 'leases:' .. h[2], base .. 'meta') end
end
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', streams, '-inf', '(' .. fmt(oldest), 'LIMIT', 0, 4)) do
  if not users[gone] and not leanUser(prefix .. 'user:{' .. gone .. '}:meta') then drop(gone) end
end
for _ = 1, 16 do
  if all <= maxTotal then break end
  local stalest = redis.call('ZRANGE', streams, 0, 0)[1]
  if not stalest or users[stalest] or leanUser(prefix .. 'user:{' .. stalest .. '}:meta') then break end
  drop(stalest)
end
redis.call('SET', total, fmt(all))
return table.concat(out, '\\n')
`;

/**
 * The user's stream position, creating its epoch if it has none: the meta's offset (a checkpoint)
 * or the stream's last entry if lean items appended after it (APPEND_BATCH_LUA: lean()).
 * KEYS: 1 user meta, 2 user stream. ARGV: 1 a fresh epoch, 2 meta TTL ms. Returns {epoch, offset}.
 */
export const POSITION_LUA = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'off', '0')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {ARGV[1], 0}
end
local off = tonumber(redis.call('HGET', KEYS[1], 'off') or '0')
local last = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)[1]
if last then
  local top = tonumber(string.match(last[1], '^(%d+)'))
  if top > off then off = top end
end
return {epoch, off}
`;

/**
 * A user's stream after a position (resume), in one atomic read. An entry's id is its last offset:
 * a pack (field n) holds offsets id - n + 1 .. id, so the entries returned may start with frames at
 * or before the position, which the caller drops. Only keys of the requesting user
 * are read (their names come from the authenticated user id), and on a gap the metas of the runs
 * listed in the user's own meta.
 * KEYS: 1 user meta, 2 user stream. ARGV: 1 the client's epoch, 2 its offset,
 * 3 max age ms, 4 a fresh epoch (if the user has none), 5 meta TTL ms, 6 key prefix, 7 runs listed at most.
 * Returns {epoch, head offset, status ('ok'|'trimmed'|'reset'), first stored offset (0: none),
 * entries (stored entries after the position, or all of them after a gap), lost runs [runId, lastSeq, availableFrom|0]..., truncated (0|1)}.
 */
export const READ_USER_LUA = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[4]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'off', '0')
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
end
local head = tonumber(redis.call('HGET', KEYS[1], 'off') or '0')
local t = redis.call('TIME')
local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[3])
local from = tonumber(ARGV[2])
local all = redis.call('XRANGE', KEYS[2], '-', '+')
${COMPACT_ENTRY_LUA}
-- The meta's offset is a checkpoint: lean items may have appended after it (APPEND_BATCH_LUA).
local lastEntry = all[#all]
if lastEntry then
  local top = tonumber(string.sub(lastEntry[1], 1, string.find(lastEntry[1], '-', 1, true) - 1))
  if top > head then head = top end
end
local status = 'ok'
if ARGV[1] ~= epoch or from > head then status = 'reset' end
local first = 0
local entries = {}
local firstSeq = {}
-- Each run's last seq and offset in the stream (its record in the meta may be a checkpoint behind them).
local lastSeq, lastOff = {}, {}
for _, e in ipairs(all) do
  local f = e[2]
  local at, r, s, n = 0, nil, nil, nil
  for i = 1, #f, 2 do
    if f[i] == 't' then at = tonumber(f[i + 1]) elseif f[i] == 'r' then r = f[i + 1] elseif f[i] == 's' then s = f[i + 1]
    elseif f[i] == 'n' then n = tonumber(f[i + 1]) elseif f[i] == 'm' then r, s = compactEntry(f[i + 1]) end
  end
  local eo = tonumber(string.sub(e[1], 1, string.find(e[1], '-', 1, true) - 1))
  if n then
    local seqs = {}
    for q in string.gmatch(s, '%d+') do seqs[#seqs + 1] = tonumber(q) end
    local k = 0
    for run in string.gmatch(r, '[^\\n]+') do
      k = k + 1
      lastSeq[run], lastOff[run] = seqs[k], eo - n + k
    end
  elseif r then
    lastSeq[r], lastOff[r] = tonumber(s), eo
  end
  if at >= oldest then
    -- The entry's id is its (last) offset; a pack (n) holds offsets id - n + 1 .. id, its runs and
    -- seqs in order. The caller drops a pack's frames at or before the position.
    local off = tonumber(string.sub(e[1], 1, string.find(e[1], '-', 1, true) - 1))
    if first == 0 then first = off - (n or 1) + 1 end
    if n then
      local seqs = {}
      for q in string.gmatch(s, '%d+') do seqs[#seqs + 1] = q end
      local k = 0
      for run in string.gmatch(r, '[^\\n]+') do
        k = k + 1
        if not firstSeq[run] then firstSeq[run] = tonumber(seqs[k]) end
      end
    elseif r and not firstSeq[r] then firstSeq[r] = tonumber(s) end
    if status == 'reset' or off > from then table.insert(entries, e) end
  end
end
local firstStored = first
if first == 0 then first = head + 1 end
local after = from
if status == 'reset' then after = 0 end
if status == 'ok' and from + 1 < first then status = 'trimmed' end
local lost = {}
local truncated = 0
if status ~= 'ok' then
  local limit = tonumber(ARGV[7])
  -- The user's runs with an event after the position (their records: r:<runId> = <seq>:<offset>:...),
  -- most recently active first.
  local h = redis.call('HGETALL', KEYS[1])
  local runs = {}
  for i = 1, #h, 2 do
    if string.sub(h[i], 1, 2) == 'r:' then
      local run = string.sub(h[i], 3)
      local s, o = string.match(h[i + 1], '^(%d+):(%d+):')
      s, o = tonumber(s), tonumber(o)
      if lastSeq[run] and lastSeq[run] > s then s, o = lastSeq[run], lastOff[run] end
      lastSeq[run] = nil
      if o > after then runs[#runs + 1] = {run, s, o} end
    end
  end
  -- Runs seen only in the stream (their record dropped by the records bound).
  for run, s in pairs(lastSeq) do
    if lastOff[run] > after then runs[#runs + 1] = {run, s, lastOff[run]} end
  end
  table.sort(runs, function(x, y) return x[3] > y[3] end)
  local n = 0
  for _, run in ipairs(runs) do
    local m = redis.call('HMGET', ARGV[6] .. 'run:{' .. run[1] .. '}:meta', 'seq', 'fo', 'fe')
    if m[1] and (m[3] ~= epoch or tonumber(m[2]) < first) then
      n = n + 1
      if n > limit then truncated = 1 break end
      table.insert(lost, {run[1], math.max(run[2], tonumber(m[1])), firstSeq[run[1]] or 0})
    end
  end
end
return {epoch, head, status, firstStored, entries, lost, truncated}
`;

/**
 * One run of a user after a seq (packs that may hold the run are returned whole: the caller keeps
 * the run's frames after the seq). The owner is checked first; another user's run and an unknown
 * one return the same empty answer without reading anything else.
 * KEYS: 1 run meta, 2 the requesting user's meta, 3 the requesting user's stream.
 * ARGV: 1 requesting userId, 2 runId, 3 after seq, 4 max age ms.
 * Returns {} (unknown) or {lastSeq, entries}.
 */
export const READ_RUN_LUA = `${COMPACT_ENTRY_LUA}
local m = redis.call('HMGET', KEYS[1], 'user', 'seq', 'fo', 'fe')
if m[1] ~= ARGV[1] then return {} end
-- The run's last seq: its record in the owner's meta, or the meta's (a lower bound) without one,
-- or its entries after the meta's offset (a checkpoint: lean items append after it).
local u = redis.call('HMGET', KEYS[2], 'epoch', 'r:' .. ARGV[2], 'off')
local lastSeq = tonumber(m[2] or '0')
local rs = u[2] and tonumber(string.match(u[2], '^(%d+):'))
if rs and rs > lastSeq then lastSeq = rs end
for _, e in ipairs(redis.call('XRANGE', KEYS[3], string.format('%.0f', tonumber(u[3] or '0') + 1) .. '-0', '+')) do
  local f = e[2]
  local r, s, n = nil, nil, nil
  for i = 1, #f, 2 do
    if f[i] == 'r' then r = f[i + 1] elseif f[i] == 's' then s = f[i + 1] elseif f[i] == 'n' then n = f[i + 1]
    elseif f[i] == 'm' then r, s = compactEntry(f[i + 1]) end
  end
  if n then
    local seqs = {}
    for q in string.gmatch(s, '%d+') do seqs[#seqs + 1] = tonumber(q) end
    local k = 0
    for run in string.gmatch(r, '[^\\n]+') do
      k = k + 1
      if run == ARGV[2] and seqs[k] > lastSeq then lastSeq = seqs[k] end
    end
  elseif r == ARGV[2] and tonumber(s) > lastSeq then lastSeq = tonumber(s) end
end
local after = tonumber(ARGV[3])
if after >= lastSeq then return {lastSeq, {}} end
local start = '-'
if m[4] and m[4] == u[1] then start = m[3] .. '-0' end
local t = redis.call('TIME')
local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[4])
local out = {}
for _, e in ipairs(redis.call('XRANGE', KEYS[3], start, '+')) do
  local f = e[2]
  local at, r, s, n = 0, nil, nil, nil
  for i = 1, #f, 2 do
    if f[i] == 't' then at = tonumber(f[i + 1]) elseif f[i] == 'r' then r = f[i + 1] elseif f[i] == 's' then s = f[i + 1]
    elseif f[i] == 'n' then n = f[i + 1] elseif f[i] == 'm' then r, s = compactEntry(f[i + 1]) end
  end
  if at >= oldest then
    -- A pack (n) that may hold the run: the caller keeps only the run's frames after the seq.
    if n then
      if r and string.find('\\n' .. r .. '\\n', '\\n' .. ARGV[2] .. '\\n', 1, true) then table.insert(out, e) end
    elseif r == ARGV[2] and tonumber(s) > after then table.insert(out, e) end
  end
end
return {lastSeq, out}
`;

/**
 * What a subscriber missed of a user's stream (entries from the first one holding an offset after
 * the one given: a pack may start before it, the caller skips what it delivered), read atomically with the stream's epoch (a stream
 * that was lost and restarted meanwhile must not be read as a continuation of the old one).
 * KEYS: 1 user meta, 2 user stream. ARGV: 1 the epoch the subscriber knows, 2 the last offset it delivered.
 * Returns {epoch|false, entries}: entries after the offset in the same epoch, all of them in a new one.
 */
export const CATCH_UP_LUA = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then return {false, {}} end
if epoch == ARGV[1] then return {epoch, redis.call('XRANGE', KEYS[2], string.format('%.0f', tonumber(ARGV[2]) + 1) .. '-0', '+')} end
return {epoch, redis.call('XRANGE', KEYS[2], '-', '+')}
`;
