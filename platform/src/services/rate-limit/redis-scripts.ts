import { createHash } from 'node:crypto';

// Lua scripts of the Redis budget store. They implement the rules of
// memory-budget-store.ts; keep the two in step. The acquire scripts are in
// redis-acquire-scripts.ts.
//
// Every script reads the time with TIME, so processes with skewed clocks agree.
// Per budget i, KEYS[2i-1] is the data key (a sorted set of grant times for a sliding
// window, where a lease's entries carry its end time, or a hash {tokens, updatedAt} for
// a token bucket) and KEYS[2i] is the state hash
// {pauseUntil, backoffMs, interactiveAt, capRemaining, capUntil}. Times are epoch
// milliseconds of the Redis server.

/** A Lua script with its SHA1, for EVALSHA. */
export interface LuaScript {
  name: string;
  source: string;
  sha1: string;
}

export function defineScript(name: string, body: string): LuaScript {
  const source = `${PRELUDE}\n${body}`;
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}

// Redis 3.2 to 4 need effect replication switched on before TIME is followed by a write.
// From Redis 5 it is the default, and from Redis 7 the call does nothing.
const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local INF = math.huge
local EPSILON = 1e-9

local function window_of(algorithm, interval, margin)
  if algorithm == 'slidingWindow' then return interval + margin end
  return interval
end

-- Extends a key's time to live to at least ttl milliseconds.
local function keep_for(key, ttl)
  ttl = math.ceil(ttl)
  if ttl < 1000 then ttl = 1000 end
  local current = redis.call('PTTL', key)
  if current < ttl then redis.call('PEXPIRE', key, ttl) end
end

local function read_bucket(key, limit, interval)
  local bucket = redis.call('HMGET', key, 'tokens', 'updatedAt')
  local tokens = tonumber(bucket[1]) or limit
  local updated = tonumber(bucket[2]) or now
  return math.min(limit, tokens + math.max(0, now - updated) * limit / interval)
end

local function write_bucket(key, limit, interval, tokens)
  redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'updatedAt', string.format('%d', now))
  keep_for(key, (limit - tokens) * interval / limit + 1000)
end

-- Grants left before a provider reset, or INF when no reset is pending.
local function read_cap(state_key)
  local cap = redis.call('HMGET', state_key, 'capRemaining', 'capUntil')
  local cap_until = tonumber(cap[2]) or 0
  if cap_until > now then return tonumber(cap[1]) or 0, cap_until end
  return INF, 0
end

local function whole_ms(ms)
  if ms <= 0 then return 0 end
  if ms > 2147483647 then return 2147483647 end
  return math.ceil(ms)
end

-- Applies the writes a process queued instead of sending each alone (see
-- redis-write-queue.ts): count writes, whose keys start at KEYS[first_key] and whose
-- arguments are the 4 per write after ARGV[first_arg]: an operation and its 3 operands.
--   'complete', grant id, window ms: moves the grant's window entry to now where it
--     still exists and is older.
--   'release', lease id, first, last: deletes the unused lease entries first..last.
--   'refund', tokens, limit, interval ms: returns unused lease tokens to a bucket.
local function apply_writes(first_key, first_arg, count)
  for j = 0, count - 1 do
    local key = KEYS[first_key + j]
    local base = first_arg + 4 * j
    local operation = ARGV[base + 1]
    if operation == 'complete' then
      local member = ARGV[base + 2]
      local score = redis.call('ZSCORE', key, member)
      if score and tonumber(score) < now then
        redis.call('ZADD', key, 'XX', now, member)
        keep_for(key, tonumber(ARGV[base + 3]) + 1000)
      end
    elseif operation == 'release' then
      local members = {}
      for index = tonumber(ARGV[base + 3]), tonumber(ARGV[base + 4]) do members[#members + 1] = ARGV[base + 2] .. ':' .. index end
      if #members > 0 then redis.call('ZREM', key, unpack(members)) end
    elseif operation == 'refund' then
      local limit = tonumber(ARGV[base + 3])
      local interval = tonumber(ARGV[base + 4])
      local tokens = read_bucket(key, limit, interval)
      write_bucket(key, limit, interval, math.min(limit, tokens + tonumber(ARGV[base + 2])))
    end
  end
end
`;

/**
 * KEYS: one per queued write. ARGV: 4 per write, as `apply_writes` reads them. Applies
 * the writes and returns nothing.
 */
export const WRITES_SCRIPT = defineScript('apply-writes', 'apply_writes(1, 0, #KEYS)\nreturn {}');

/**
 * ARGV: window margin ms, placeholder id prefix, then per budget: algorithm, limit,
 * interval ms, provider remaining, reset ms (-1 for none), hold ms (-1 for one window).
 * Returns the new remaining allowance per budget.
 */
export const LOWER_REMAINING_SCRIPT = defineScript(
  'lower-remaining',
  `
local margin = tonumber(ARGV[1])
local id_prefix = ARGV[2]
local reply = {}

for i = 1, #KEYS / 2 do
  local data_key = KEYS[2 * i - 1]
  local state_key = KEYS[2 * i]
  local base = 2 + (i - 1) * 6
  local algorithm = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local interval = tonumber(ARGV[base + 3])
  local reported = tonumber(ARGV[base + 4])
  local reset = tonumber(ARGV[base + 5])
  local hold = tonumber(ARGV[base + 6])
  local window = window_of(algorithm, interval, margin)

  if reset >= 0 then
    -- The provider counts in fixed windows: at most reported more until its reset.
    redis.call('HSET', state_key, 'capRemaining', string.format('%d', reported), 'capUntil', string.format('%d', now + reset))
    keep_for(state_key, reset + 1000)
  elseif algorithm == 'slidingWindow' then
    redis.call('ZREMRANGEBYSCORE', data_key, '-inf', now - window)
    local believed = limit - redis.call('ZCARD', data_key)
    if reported < believed then
      if hold < 0 then hold = window end
      -- Placeholder entries stand for requests the provider counted and we did not;
      -- each expires hold ms from now.
      local placeholder_time = now + hold - window
      for j = 1, believed - reported do
        redis.call('ZADD', data_key, placeholder_time, id_prefix .. ':' .. j)
      end
      keep_for(data_key, math.max(window, hold) + 1000)
    end
  else
    local tokens = read_bucket(data_key, limit, interval)
    if reported < math.floor(tokens + EPSILON) then write_bucket(data_key, limit, interval, reported) end
  end

  local own
  if algorithm == 'slidingWindow' then
    own = limit - redis.call('ZCOUNT', data_key, '(' .. string.format('%d', now - window), '+inf')
  else
    own = math.floor(read_bucket(data_key, limit, interval) + EPSILON)
  end
  reply[i] = math.max(0, math.min(read_cap(state_key), own))
end
return reply
`,
);

/**
 * ARGV: provider wait ms (-1 for none), initial backoff ms, max backoff ms, max pause ms.
 * KEYS are state keys only. Returns the pause length per key in milliseconds.
 */
export const PAUSE_SCRIPT = defineScript(
  'pause',
  `
local retry_after = tonumber(ARGV[1])
local initial_backoff = tonumber(ARGV[2])
local max_backoff = tonumber(ARGV[3])
local max_pause = tonumber(ARGV[4])
local reply = {}

for i = 1, #KEYS do
  local state_key = KEYS[i]
  local state = redis.call('HMGET', state_key, 'pauseUntil', 'backoffMs')
  local pause_until = tonumber(state[1]) or 0
  local backoff = tonumber(state[2]) or 0

  if retry_after >= 0 then
    pause_until = math.max(pause_until, now + math.min(retry_after, max_pause))
  elseif pause_until <= now then
    -- A 429 during a pause came from a request sent before it, so only a 429 after the
    -- pause doubles the backoff, and only when it follows the last pause closely.
    if backoff > 0 and now - pause_until < max_backoff then
      backoff = math.min(backoff * 2, max_backoff)
    else
      backoff = initial_backoff
    end
    pause_until = now + math.min(backoff, max_pause)
  end

  redis.call('HSET', state_key, 'pauseUntil', string.format('%d', pause_until), 'backoffMs', string.format('%d', backoff))
  keep_for(state_key, pause_until - now + max_backoff + 1000)
  reply[i] = whole_ms(pause_until - now)
end
return reply
`,
);

/**
 * ARGV: window margin ms, then per budget: algorithm, limit, interval ms.
 * Returns {used, remaining, paused ms} per budget, flattened. Writes nothing.
 */
export const READ_SCRIPT = defineScript(
  'read',
  `
local margin = tonumber(ARGV[1])
local reply = {}

for i = 1, #KEYS / 2 do
  local data_key = KEYS[2 * i - 1]
  local state_key = KEYS[2 * i]
  local base = 1 + (i - 1) * 3
  local algorithm = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local interval = tonumber(ARGV[base + 3])
  local window = window_of(algorithm, interval, margin)

  local remaining
  if algorithm == 'slidingWindow' then
    local count = redis.call('ZCOUNT', data_key, '(' .. string.format('%d', now - window), '+inf')
    remaining = math.max(0, limit - count)
  else
    local tokens = read_bucket(data_key, limit, interval)
    remaining = math.floor(tokens + EPSILON)
  end
  remaining = math.max(0, math.min(read_cap(state_key), remaining))
  local pause_until = tonumber(redis.call('HGET', state_key, 'pauseUntil')) or 0

  reply[#reply + 1] = limit - remaining
  reply[#reply + 1] = remaining
  reply[#reply + 1] = whole_ms(pause_until - now)
end
return reply
`,
);
