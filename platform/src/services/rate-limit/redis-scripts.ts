import { createHash } from 'node:crypto';

// Lua scripts of the Redis budget store. They implement the rules of
// memory-budget-store.ts; keep the two in step.
//
// Every script reads the time with TIME, so processes with skewed clocks agree.
// Per budget i, KEYS[2i-1] is the data key (a sorted set of grant times for a sliding
// window, a hash {tokens, updatedAt} for a token bucket) and KEYS[2i] is the state hash
// {pauseUntil, backoffMs, interactiveAt, capRemaining, capUntil}. Times are epoch
// milliseconds of the Redis server.

/** A Lua script with its SHA1, for EVALSHA. */
export interface LuaScript {
  name: string;
  source: string;
  sha1: string;
}

function defineScript(name: string, body: string): LuaScript {
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
`;

// The body of the acquire scripts. It expects `count_budgets`, the number of budgets,
// whose keys are the first 2 * count_budgets KEYS.
// ARGV: priority, request id, window margin ms, max backoff ms, then per budget:
// algorithm, limit, interval ms, bulk limit.
// Returns {granted 0|1, wait ms, remaining 1..n, wait 1..n}.
const ACQUIRE_BODY = `
local priority = ARGV[1]
local member = ARGV[2]
local margin = tonumber(ARGV[3])
local backoff_memory = tonumber(ARGV[4])

local waits = {}
local remaining = {}
local tokens_of = {}
local caps = {}
local max_wait = 0

for i = 1, count_budgets do
  local data_key = KEYS[2 * i - 1]
  local state_key = KEYS[2 * i]
  local base = 4 + (i - 1) * 4
  local algorithm = ARGV[base + 1]
  local limit = tonumber(ARGV[base + 2])
  local interval = tonumber(ARGV[base + 3])
  local bulk_limit = tonumber(ARGV[base + 4])
  local window = window_of(algorithm, interval, margin)

  local state = redis.call('HMGET', state_key, 'pauseUntil', 'interactiveAt')
  local pause_until = tonumber(state[1]) or 0
  local interactive_at = tonumber(state[2])
  local reserved = priority == 'bulk' and interactive_at ~= nil and now - interactive_at < window
  local lapse = 0
  if reserved then lapse = interactive_at + window - now end
  local cap, cap_until = read_cap(state_key)
  local outside_wait = math.max(pause_until - now, 0)
  if cap <= 0 then outside_wait = math.max(outside_wait, cap_until - now) end
  caps[i] = cap

  local algorithm_wait
  if algorithm == 'slidingWindow' then
    -- The window is (now - window, now], so an entry at exactly now - window is out.
    redis.call('ZREMRANGEBYSCORE', data_key, '-inf', now - window)
    local count = redis.call('ZCARD', data_key)
    -- Time until fewer than max_count entries remain: the entry at index count - max_count must expire.
    local function wait_below(max_count)
      if max_count <= 0 then return INF end
      if count < max_count then return 0 end
      local entry = redis.call('ZRANGE', data_key, count - max_count, count - max_count, 'WITHSCORES')
      return tonumber(entry[2]) + window - now
    end
    if reserved then
      algorithm_wait = math.min(wait_below(bulk_limit), math.max(wait_below(limit), lapse))
    else
      algorithm_wait = wait_below(limit)
    end
    remaining[i] = math.max(0, math.min(cap, limit - count))
  else
    local tokens = read_bucket(data_key, limit, interval)
    local per_ms = limit / interval
    local function wait_for(needed)
      if needed > limit then return INF end
      if tokens + EPSILON >= needed then return 0 end
      return (needed - tokens) / per_ms
    end
    if reserved then
      algorithm_wait = math.min(wait_for(limit - bulk_limit + 1), math.max(wait_for(1), lapse))
    else
      algorithm_wait = wait_for(1)
    end
    remaining[i] = math.max(0, math.min(cap, math.floor(tokens + EPSILON)))
    tokens_of[i] = tokens
  end

  waits[i] = whole_ms(math.max(outside_wait, algorithm_wait))
  if waits[i] > max_wait then max_wait = waits[i] end

  if priority == 'interactive' then
    redis.call('HSET', state_key, 'interactiveAt', string.format('%d', now))
    keep_for(state_key, math.max(window, pause_until - now + backoff_memory) + 1000)
  end
end

if max_wait == 0 then
  for i = 1, count_budgets do
    local data_key = KEYS[2 * i - 1]
    local state_key = KEYS[2 * i]
    local base = 4 + (i - 1) * 4
    local algorithm = ARGV[base + 1]
    local limit = tonumber(ARGV[base + 2])
    local interval = tonumber(ARGV[base + 3])
    local cap = caps[i]
    if cap ~= INF then
      cap = cap - 1
      redis.call('HINCRBY', state_key, 'capRemaining', -1)
    end
    if algorithm == 'slidingWindow' then
      redis.call('ZADD', data_key, now, member)
      keep_for(data_key, interval + margin + 1000)
      remaining[i] = math.max(0, math.min(cap, remaining[i] - 1))
    else
      local tokens = tokens_of[i] - 1
      write_bucket(data_key, limit, interval, tokens)
      remaining[i] = math.max(0, math.min(cap, math.floor(tokens + EPSILON)))
    end
  end
end

local reply = { max_wait == 0 and 1 or 0, max_wait }
for i = 1, count_budgets do reply[#reply + 1] = remaining[i] end
for i = 1, count_budgets do reply[#reply + 1] = waits[i] end
return reply
`;

/** KEYS: data key and state key per budget. See ACQUIRE_BODY for ARGV and the reply. */
export const ACQUIRE_SCRIPT = defineScript('acquire', `local count_budgets = #KEYS / 2\n${ACQUIRE_BODY}`);

/**
 * KEYS: data key and state key per budget, then one more key, such as a response cache
 * entry. When that key contains a string, returns {2, the string} and takes nothing;
 * otherwise runs the acquire body (ARGV and reply as ACQUIRE_BODY).
 */
export const ACQUIRE_UNLESS_STORED_SCRIPT = defineScript(
  'acquire-unless-stored',
  `
local stored = redis.call('GET', KEYS[#KEYS])
if stored then return { 2, stored } end
local count_budgets = (#KEYS - 1) / 2
${ACQUIRE_BODY}`,
);

/**
 * KEYS are the sorted sets of the grant's sliding windows. ARGV: grant id, then per key
 * its window in ms. Moves the grant's entry to now where it still exists. Returns nothing.
 */
export const COMPLETE_SCRIPT = defineScript(
  'complete',
  `
local grant_id = ARGV[1]
for i = 1, #KEYS do
  local score = redis.call('ZSCORE', KEYS[i], grant_id)
  if score and tonumber(score) < now then
    redis.call('ZADD', KEYS[i], 'XX', now, grant_id)
    keep_for(KEYS[i], tonumber(ARGV[i + 1]) + 1000)
  end
end
return {}
`,
);

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
