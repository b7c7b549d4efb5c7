/**
 * The Lua scripts of the Redis bus. A script runs atomically, so "assign the next seq, append
 * to the run's stream, publish to the user" can never be seen half done by another instance.
 */

/**
 * Appends one event. KEYS: 1 run meta hash, 2 run events stream, 3 user's recent-runs zset.
 * ARGV: 1 userId, 2 threadId, 3 runId, 4 producer id, 5 producer seq (pseq), 6 pseq the producer
 * last saw acknowledged, 7 seq hint (last seq the producer saw acknowledged), 8 body, 9 channel,
 * 10 maxlen, 11 trim mode ('~' or '='), 12 active TTL ms, 13 ended ('1' | '0'), 14 ended stream TTL ms,
 * 15 ended meta TTL ms, 16 recent-runs window ms, 17 recent-runs max.
 * Returns {seq, duplicate(0|1)}.
 *
 * Idempotency: each producer (one bus instance) numbers its publishes per run (pseq). A resend of
 * an already applied publish (its reply was lost with the connection) returns the seq it got and
 * appends nothing; a publish whose predecessor has not been applied yet is refused (SSOT_ORDER)
 * and retried by the producer, so per-run order survives any reconnect.
 * Data loss (Redis restarted without persistence): the seq hint keeps seq from going backwards.
 * Writes happen only after every check, so an error never leaves a seq without its event.
 */
export const PUBLISH_EVENT_LUA = `
local meta = KEYS[1]
local owner = redis.call('HGET', meta, 'user')
if owner and owner ~= ARGV[1] then return redis.error_reply('SSOT_OWNER ' .. owner) end
local thread = redis.call('HGET', meta, 'thread')
if thread and thread ~= ARGV[2] then return redis.error_reply('SSOT_THREAD ' .. thread) end
local pfield = 'p:' .. ARGV[4]
local pseq = tonumber(ARGV[5])
local mark = redis.call('HGET', meta, pfield)
if mark then
  local sep = string.find(mark, ':', 1, true)
  local lp = tonumber(string.sub(mark, 1, sep - 1))
  local ls = tonumber(string.sub(mark, sep + 1))
  if pseq <= lp then return {ls - (lp - pseq), 1} end
  if pseq ~= lp + 1 then return redis.error_reply('SSOT_ORDER expected ' .. (lp + 1)) end
elseif pseq ~= tonumber(ARGV[6]) + 1 then
  return redis.error_reply('SSOT_ORDER expected ' .. (tonumber(ARGV[6]) + 1))
end
local seq = tonumber(redis.call('HGET', meta, 'seq') or '0')
if not owner then
  local top = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', 1)
  if top[1] then
    local id = top[1][1]
    local n = tonumber(string.sub(id, 1, string.find(id, '-', 1, true) - 1))
    if n > seq then seq = n end
  end
end
local hint = tonumber(ARGV[7])
if hint > seq then seq = hint end
seq = seq + 1
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[11], ARGV[10], seq .. '-0', 'b', ARGV[8], 'f', now)
redis.call('HSET', meta, 'user', ARGV[1], 'thread', ARGV[2], 'seq', seq, pfield, pseq .. ':' .. seq)
if ARGV[13] == '1' then
  redis.call('PEXPIRE', KEYS[2], ARGV[14])
  redis.call('PEXPIRE', meta, ARGV[15])
else
  redis.call('PEXPIRE', KEYS[2], ARGV[12])
  redis.call('PEXPIRE', meta, ARGV[12])
end
redis.call('ZADD', KEYS[3], now, ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. (now - tonumber(ARGV[16])))
redis.call('ZREMRANGEBYRANK', KEYS[3], 0, -(tonumber(ARGV[17]) + 1))
redis.call('PEXPIRE', KEYS[3], ARGV[16])
redis.call('PUBLISH', ARGV[9], 'e|' .. seq .. '|' .. now .. '|' .. ARGV[8])
return {seq, 0}
`;

/**
 * Reads a run for replay in one atomic step. KEYS: 1 run meta, 2 run events. ARGV: 1 first stream id.
 * Returns {} for an unknown run, else {owner, thread, lastSeq, entries}.
 */
export const READ_RUN_LUA = `
local m = redis.call('HMGET', KEYS[1], 'user', 'thread', 'seq')
if not m[1] then return {} end
return {m[1], m[2], m[3], redis.call('XRANGE', KEYS[2], ARGV[1], '+')}
`;
