import { defineScript } from './redis-scripts.js';

// The acquire scripts of the Redis budget store. Both first apply the writes the
// process queued (`apply_writes` in redis-scripts.ts), so those take effect before this
// process's next grant without a command of their own.
//
// ARGV: priority, grant id, window margin ms, max backoff ms, lease size, lease ms,
// queued write count w, then 4 per queued write, then per budget: algorithm, limit,
// interval ms, bulk limit.
// KEYS: data key and state key per budget, the stored key of ACQUIRE_UNLESS_STORED_SCRIPT,
// then one key per queued write.
// Returns {granted 0|1, wait ms, units taken, remaining 1..n, wait 1..n}.
//
// A lease (lease size above 1) takes that many units at once, so that the process can hand
// them to its next requests without a round trip (see redis-leases.ts). It is taken only
// when the request is granted, no provider cap is pending on any budget, and every budget
// stays at most half used after it (half of the bulk limit while interactive traffic
// keeps its reserve). Window entries of a lease are named "<grant id>:<1..size>" and
// carry the time the lease ends, now + lease ms: every leased request is sent before then,
// so each entry counts at least one window from its request's send. A response after
// that time moves its entry later with a queued 'complete' write, as for a single grant.

// The body expects `count_budgets` and `budget_args` (the ARGV index before the first
// budget's arguments).
const ACQUIRE_BODY = `
local priority = ARGV[1]
local member = ARGV[2]
local margin = tonumber(ARGV[3])
local backoff_memory = tonumber(ARGV[4])
local lease_size = tonumber(ARGV[5])
local lease_ms = tonumber(ARGV[6])

local waits = {}
local remaining = {}
local tokens_of = {}
local caps = {}
local used_of = {}
local lease_room = {}
local max_wait = 0

for i = 1, count_budgets do
  local data_key = KEYS[2 * i - 1]
  local state_key = KEYS[2 * i]
  local base = budget_args + (i - 1) * 4
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
  if reserved then lease_room[i] = math.floor(bulk_limit / 2) else lease_room[i] = math.floor(limit / 2) end

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
    used_of[i] = count
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
    used_of[i] = limit - tokens
  end

  waits[i] = whole_ms(math.max(outside_wait, algorithm_wait))
  if waits[i] > max_wait then max_wait = waits[i] end

  if priority == 'interactive' then
    redis.call('HSET', state_key, 'interactiveAt', string.format('%d', now))
    keep_for(state_key, math.max(window, pause_until - now + backoff_memory) + 1000)
  end
end

local taken = 0
if max_wait == 0 then
  taken = 1
  if lease_size > 1 then
    taken = lease_size
    for i = 1, count_budgets do
      if caps[i] ~= INF or used_of[i] + lease_size > lease_room[i] + EPSILON then
        taken = 1
        break
      end
    end
  end

  for i = 1, count_budgets do
    local data_key = KEYS[2 * i - 1]
    local state_key = KEYS[2 * i]
    local base = budget_args + (i - 1) * 4
    local algorithm = ARGV[base + 1]
    local limit = tonumber(ARGV[base + 2])
    local interval = tonumber(ARGV[base + 3])
    local cap = caps[i]
    -- A lease is never taken under a cap, so a capped grant is always one unit.
    if cap ~= INF then
      cap = cap - 1
      redis.call('HINCRBY', state_key, 'capRemaining', -1)
    end
    if algorithm == 'slidingWindow' then
      if taken == 1 then
        redis.call('ZADD', data_key, now, member)
        keep_for(data_key, interval + margin + 1000)
      else
        local entries = {}
        for j = 1, taken do
          entries[#entries + 1] = now + lease_ms
          entries[#entries + 1] = member .. ':' .. j
        end
        redis.call('ZADD', data_key, unpack(entries))
        keep_for(data_key, lease_ms + interval + margin + 1000)
      end
      remaining[i] = math.max(0, math.min(cap, remaining[i] - taken))
    else
      local tokens = tokens_of[i] - taken
      write_bucket(data_key, limit, interval, tokens)
      remaining[i] = math.max(0, math.min(cap, math.floor(tokens + EPSILON)))
    end
  end
end

local reply = { max_wait == 0 and 1 or 0, max_wait, taken }
for i = 1, count_budgets do reply[#reply + 1] = remaining[i] end
for i = 1, count_budgets do reply[#reply + 1] = waits[i] end
return reply
`;

/** Takes one unit of every budget, or a lease of them. See the file comment for KEYS, ARGV and the reply. */
export const ACQUIRE_SCRIPT = defineScript(
  'acquire',
  `
local write_count = tonumber(ARGV[7])
local count_budgets = (#KEYS - write_count) / 2
apply_writes(2 * count_budgets + 1, 7, write_count)
local budget_args = 7 + 4 * write_count
${ACQUIRE_BODY}`,
);

/**
 * Reads the stored key (KEYS after the budget keys, such as a response cache entry). When
 * it contains a string, returns {2, the string} and takes nothing; otherwise acquires as
 * ACQUIRE_SCRIPT does. Queued writes are applied in both cases.
 */
export const ACQUIRE_UNLESS_STORED_SCRIPT = defineScript(
  'acquire-unless-stored',
  `
local write_count = tonumber(ARGV[7])
local count_budgets = (#KEYS - 1 - write_count) / 2
apply_writes(2 * count_budgets + 2, 7, write_count)
local stored = redis.call('GET', KEYS[2 * count_budgets + 1])
if stored then return { 2, stored } end
local budget_args = 7 + 4 * write_count
${ACQUIRE_BODY}`,
);
