/**
 * The Lua scripts of the Redis bus. A script runs atomically, so "check the owner, assign the
 * run's next seq and the user's next offset, append to the user's stream, publish" can never be
 * seen half done by another instance.
 *
 * Numbers are formatted with %.0f: Lua's default conversion switches to exponent notation above
 * 1e14, and a seq or offset is an integer of up to 2^53.
 */

/**
 * Appends one event.
 * KEYS: 1 run meta, 2 user meta, 3 user stream, 4 user runs (zset), 5 all streams (zset), 6 sizes (hash), 7 total bytes.
 * ARGV: 1 userId, 2 threadId, 3 runId, 4 producer, 5 pseq, 6 pseq the producer saw acknowledged last,
 * 7 seq hint (last seq the producer saw acknowledged), 8 event type, 9 the run's ids JSON
 * (`,"runId":…,"threadId":…,"userId":…`), 10 the data tail (`}` or `,<members>}`), 11 ts (producer ms),
 * 12 channel, 13 a fresh epoch (used if the user has none), 14 max bytes per user, 15 max age ms,
 * 16 max total bytes, 17 user meta / ended run meta TTL ms, 18 open run meta TTL ms, 19 ended ('1'|'0'),
 * 20 runs listed per user at most, 21 key prefix, 22 bytes of bookkeeping counted per entry.
 * Returns {seq, offset, epoch, duplicate (0|1)}.
 *
 * Idempotency: each producer (one bus instance) numbers its publishes per run (pseq). A resend of
 * an applied publish whose reply was lost returns what it got (kept until the producer has seen it
 * acknowledged) and appends nothing; a publish whose predecessor has not been applied yet is
 * refused (SSOT_ORDER) and retried by the producer, so per-run order survives any reconnect.
 * Data loss (Redis restarted without persistence): the seq hint keeps a run's seq from going back;
 * the user's stream starts a new epoch (clients hear "reset").
 * Writes happen only after every check, so an error never leaves a seq without its event.
 */
export const PUBLISH_EVENT_LUA = `
local runMeta, userMeta, stream, sizes, total = KEYS[1], KEYS[2], KEYS[3], KEYS[6], KEYS[7]
local producer = ARGV[4]
local m = redis.call('HMGET', runMeta, 'user', 'thread', 'seq', 'fe', 'p:' .. producer, 'a:' .. producer, 'm:' .. producer .. ':' .. ARGV[5])
if m[1] and m[1] ~= ARGV[1] then return redis.error_reply('SSOT_OWNER ' .. m[1]) end
if m[2] and m[2] ~= ARGV[2] then return redis.error_reply('SSOT_THREAD ' .. m[2]) end
if m[7] then
  -- A resend of an applied publish (its reply was lost): what it got, nothing appended.
  local a = string.find(m[7], ':', 1, true)
  local b = string.find(m[7], ':', a + 1, true)
  return {tonumber(string.sub(m[7], 1, a - 1)), tonumber(string.sub(m[7], a + 1, b - 1)), string.sub(m[7], b + 1), 1}
end
local pseq = tonumber(ARGV[5])
local acked = tonumber(ARGV[6])
local last = tonumber(m[5] or ARGV[6])
if pseq ~= last + 1 then return redis.error_reply('SSOT_ORDER expected ' .. string.format('%.0f', last + 1)) end
local fields = {'user', ARGV[1], 'thread', ARGV[2]}
-- Marks the producer has seen acknowledged are not needed any more.
local pruned = tonumber(m[6] or '0')
if acked > pruned then
  for x = pruned + 1, acked do redis.call('HDEL', runMeta, 'm:' .. producer .. ':' .. string.format('%.0f', x)) end
  table.insert(fields, 'a:' .. producer); table.insert(fields, string.format('%.0f', acked))
end

local seq = tonumber(m[3] or '0')
local hint = tonumber(ARGV[7])
if hint > seq then seq = hint end
seq = seq + 1
local u = redis.call('HMGET', userMeta, 'epoch', 'off', 'ot')
local epoch, offset, ot = u[1], tonumber(u[2] or '0'), tonumber(u[3] or '0')
if not epoch then
  -- A new stream (first event, expired, or lost with the data): forget what was counted for the old one.
  epoch = ARGV[13]
  offset = 0
  ot = 0
  local old = tonumber(redis.call('HGET', sizes, ARGV[1]) or '0')
  if old > 0 then redis.call('DECRBY', total, old) end
  redis.call('HDEL', sizes, ARGV[1])
  redis.call('DEL', stream, KEYS[4])
end
offset = offset + 1
local s = string.format('%.0f', seq)
local o = string.format('%.0f', offset)
local json = '{"type":"' .. ARGV[8] .. '"' .. ARGV[9] .. ',"seq":' .. s .. ',"offset":' .. o .. ',"epoch":"' .. epoch .. '","ts":' .. ARGV[11] .. ARGV[10]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('XADD', stream, o .. '-0', 'j', json, 'r', ARGV[3], 's', s, 't', string.format('%.0f', now))
local overhead = tonumber(ARGV[22])
local size = #json + overhead
local userBytes = redis.call('HINCRBY', sizes, ARGV[1], size)
local all = redis.call('INCRBY', total, size)

-- Per user: the oldest entries go beyond the byte bound or the age bound (never the new one).
-- 'ot' (append time of the oldest entry stored) says whether anything is old without reading.
local maxUser = tonumber(ARGV[14])
local oldest = now - tonumber(ARGV[15])
if userBytes > maxUser or ot < oldest then
  local trimming = true
  while trimming do
    trimming = false
    for _, e in ipairs(redis.call('XRANGE', stream, '-', '+', 'COUNT', 16)) do
      local f = e[2]
      local j, at = nil, 0
      for i = 1, #f, 2 do
        if f[i] == 'j' then j = f[i + 1] elseif f[i] == 't' then at = tonumber(f[i + 1]) end
      end
      if e[1] == o .. '-0' then
        -- Only the new entry is left: whatever was counted for entries that expired with the key goes.
        if userBytes ~= size then
          redis.call('HSET', sizes, ARGV[1], size)
          all = redis.call('INCRBY', total, size - userBytes)
          userBytes = size
        end
        ot = at
        break
      end
      if userBytes <= maxUser and at >= oldest then ot = at break end
      redis.call('XDEL', stream, e[1])
      local n = #j + overhead
      userBytes = redis.call('HINCRBY', sizes, ARGV[1], -n)
      all = redis.call('INCRBY', total, -n)
      trimming = true
    end
  end
end

redis.call('HSET', userMeta, 'epoch', epoch, 'off', o, 'ot', string.format('%.0f', ot))
redis.call('ZADD', KEYS[4], offset, ARGV[3])
local maxRuns = tonumber(ARGV[20])
if offset % 64 == 0 then redis.call('ZREMRANGEBYRANK', KEYS[4], 0, -(maxRuns + 1)) end
table.insert(fields, 'seq'); table.insert(fields, s)
table.insert(fields, 'p:' .. producer); table.insert(fields, ARGV[5])
table.insert(fields, 'm:' .. producer .. ':' .. ARGV[5]); table.insert(fields, s .. ':' .. o .. ':' .. epoch)
if m[4] ~= epoch then
  table.insert(fields, 'fe'); table.insert(fields, epoch)
  table.insert(fields, 'fo'); table.insert(fields, o)
end
redis.call('HSET', runMeta, unpack(fields))
local metaTtl = ARGV[17]
redis.call('PEXPIRE', stream, ARGV[15])
redis.call('PEXPIRE', userMeta, metaTtl)
redis.call('PEXPIRE', KEYS[4], metaTtl)
if ARGV[19] == '1' then redis.call('PEXPIRE', runMeta, metaTtl) else redis.call('PEXPIRE', runMeta, ARGV[18]) end

-- In total: users whose stream aged out are forgotten; beyond the bound, the stalest users' streams go whole.
redis.call('ZADD', KEYS[5], now, ARGV[1])
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', '(' .. string.format('%.0f', oldest), 'LIMIT', 0, 4)) do
  local n = tonumber(redis.call('HGET', sizes, gone) or '0')
  if n > 0 then all = redis.call('DECRBY', total, n) end
  redis.call('HDEL', sizes, gone)
  redis.call('ZREM', KEYS[5], gone)
  redis.call('DEL', ARGV[21] .. 'user:{' .. gone .. '}:stream')
end
local maxTotal = tonumber(ARGV[16])
for _ = 1, 16 do
  if all <= maxTotal then break end
  local stalest = redis.call('ZRANGE', KEYS[5], 0, 0)[1]
  if not stalest or stalest == ARGV[1] then break end
  local n = tonumber(redis.call('HGET', sizes, stalest) or '0')
  if n > 0 then all = redis.call('DECRBY', total, n) end
  redis.call('HDEL', sizes, stalest)
  redis.call('ZREM', KEYS[5], stalest)
  redis.call('DEL', ARGV[21] .. 'user:{' .. stalest .. '}:stream')
end

redis.call('PUBLISH', ARGV[12], 'e|' .. o .. '|' .. s .. '|' .. epoch .. '|' .. #ARGV[3] .. '|' .. ARGV[3] .. json)
return {seq, offset, epoch, 0}
`;

/**
 * The user's stream position, creating its epoch if it has none.
 * KEYS: 1 user meta. ARGV: 1 a fresh epoch, 2 meta TTL ms. Returns {epoch, offset}.
 */
export const POSITION_LUA = `
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'off', '0')
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return {ARGV[1], 0}
end
return {epoch, tonumber(redis.call('HGET', KEYS[1], 'off') or '0')}
`;

/**
 * A user's stream after a position (resume), in one atomic read. Only keys of the requesting user
 * are read (their names come from the authenticated user id).
 * KEYS: 1 user meta, 2 user stream, 3 user runs. ARGV: 1 the client's epoch, 2 its offset,
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
local status = 'ok'
if ARGV[1] ~= epoch or from > head then status = 'reset' end
local all = redis.call('XRANGE', KEYS[2], '-', '+')
local first = 0
local entries = {}
local firstSeq = {}
for _, e in ipairs(all) do
  local f = e[2]
  local at, r, s = 0, nil, nil
  for i = 1, #f, 2 do
    if f[i] == 't' then at = tonumber(f[i + 1]) elseif f[i] == 'r' then r = f[i + 1] elseif f[i] == 's' then s = f[i + 1] end
  end
  if at >= oldest then
    local off = tonumber(string.sub(e[1], 1, string.find(e[1], '-', 1, true) - 1))
    if first == 0 then first = off end
    if r and not firstSeq[r] then firstSeq[r] = tonumber(s) end
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
  local runs = redis.call('ZREVRANGEBYSCORE', KEYS[3], '+inf', '(' .. string.format('%.0f', after), 'LIMIT', 0, limit + 1)
  local n = 0
  for _, runId in ipairs(runs) do
    local m = redis.call('HMGET', ARGV[6] .. 'run:{' .. runId .. '}:meta', 'seq', 'fo', 'fe')
    if m[1] and (m[3] ~= epoch or tonumber(m[2]) < first) then
      n = n + 1
      if n > limit then truncated = 1 break end
      table.insert(lost, {runId, tonumber(m[1]), firstSeq[runId] or 0})
    end
  end
end
return {epoch, head, status, firstStored, entries, lost, truncated}
`;

/**
 * One run of a user after a seq. The owner is checked first; another user's run and an unknown
 * one return the same empty answer without reading anything else.
 * KEYS: 1 run meta, 2 the requesting user's meta, 3 the requesting user's stream.
 * ARGV: 1 requesting userId, 2 runId, 3 after seq, 4 max age ms.
 * Returns {} (unknown) or {lastSeq, entries}.
 */
export const READ_RUN_LUA = `
local m = redis.call('HMGET', KEYS[1], 'user', 'seq', 'fo', 'fe')
if m[1] ~= ARGV[1] then return {} end
local lastSeq = tonumber(m[2] or '0')
local after = tonumber(ARGV[3])
if after >= lastSeq then return {lastSeq, {}} end
local start = '-'
if m[4] and m[4] == redis.call('HGET', KEYS[2], 'epoch') then start = m[3] .. '-0' end
local t = redis.call('TIME')
local oldest = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[4])
local out = {}
for _, e in ipairs(redis.call('XRANGE', KEYS[3], start, '+')) do
  local f = e[2]
  local at, r, s = 0, nil, 0
  for i = 1, #f, 2 do
    if f[i] == 't' then at = tonumber(f[i + 1]) elseif f[i] == 'r' then r = f[i + 1] elseif f[i] == 's' then s = tonumber(f[i + 1]) end
  end
  if r == ARGV[2] and s > after and at >= oldest then table.insert(out, e) end
end
return {lastSeq, out}
`;

/**
 * What a subscriber missed of a user's stream, read atomically with the stream's epoch (a stream
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
