/**
 * Lua scripts of the Redis work queue. Key layout under the prefix P:
 *
 * - `P:job:<taskId>` hash: type, task (JSON), attempts, leaseId ('' while waiting)
 * - `P:wait:<type>` list of waiting task ids, claimed from the head
 * - `P:leased` sorted set of lease ids scored by expiry time (ms since the epoch)
 * - `P:types` set of task types that were ever enqueued
 * - `P:outcome:<taskId>` JSON outcome, kept briefly for `waitForOutcome`
 * - channel `P:outcomes` carries `{"taskId":..,"outcome":..}` when an outcome is recorded
 *
 * A lease id is `<taskId>.<uuid>`, and a lease is current while the job's leaseId field equals
 * it and its score in `P:leased` is above the current time. Scripts build key names from the
 * prefix, so the queue needs a single Redis node (no Cluster).
 */

/** KEYS: job, wait list, types set. ARGV: taskId, type, task JSON, jobTtlMs. */
export const ENQUEUE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'type', ARGV[2], 'task', ARGV[3], 'attempts', 0, 'leaseId', '')
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
return 1
`;

/**
 * KEYS: leased set, types set. ARGV: prefix, now, leaseMs, max, maxAttempts, exhausted
 * outcome JSON, outcomeTtlMs, reclaim batch size, type count N, N types, then max lease
 * suffixes. Reclaims expired leases first: a job with attempts left goes back to the head of
 * its list, the others fail with the exhausted outcome. Returns {leases, failedTaskIds} where
 * each lease is {leaseId, taskId, type, task JSON, attempt, expiresAt}.
 */
export const CLAIM = `
local prefix = ARGV[1]
local now = tonumber(ARGV[2])
local leaseMs = tonumber(ARGV[3])
local max = tonumber(ARGV[4])
local maxAttempts = tonumber(ARGV[5])
local typeCount = tonumber(ARGV[9])

local failed = {}
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[8]))
for _, leaseId in ipairs(expired) do
  redis.call('ZREM', KEYS[1], leaseId)
  local taskId = string.match(leaseId, '^(%d+)%.')
  local jobKey = prefix .. 'job:' .. taskId
  local job = redis.call('HMGET', jobKey, 'type', 'attempts', 'leaseId')
  if job[1] and job[3] == leaseId then
    if tonumber(job[2]) >= maxAttempts then
      redis.call('DEL', jobKey)
      redis.call('SET', prefix .. 'outcome:' .. taskId, ARGV[6], 'PX', ARGV[7])
      redis.call('PUBLISH', prefix .. 'outcomes',
        '{"taskId":' .. taskId .. ',"outcome":' .. ARGV[6] .. '}')
      table.insert(failed, taskId)
    else
      redis.call('HSET', jobKey, 'leaseId', '')
      redis.call('LPUSH', prefix .. 'wait:' .. job[1], taskId)
    end
  end
end

local types = {}
for i = 1, typeCount do types[i] = ARGV[9 + i] end
if typeCount == 0 then types = redis.call('SMEMBERS', KEYS[2]) end
local nextSuffix = 10 + typeCount

local leases = {}
for _, taskType in ipairs(types) do
  local waitKey = prefix .. 'wait:' .. taskType
  while #leases < max do
    local taskId = redis.call('LPOP', waitKey)
    if not taskId then break end
    local jobKey = prefix .. 'job:' .. taskId
    local job = redis.call('HMGET', jobKey, 'task', 'leaseId')
    if job[1] and job[2] == '' then
      local attempt = redis.call('HINCRBY', jobKey, 'attempts', 1)
      local leaseId = taskId .. '.' .. ARGV[nextSuffix]
      nextSuffix = nextSuffix + 1
      redis.call('HSET', jobKey, 'leaseId', leaseId)
      redis.call('ZADD', KEYS[1], now + leaseMs, leaseId)
      table.insert(leases, {leaseId, taskId, taskType, job[1], attempt, tostring(now + leaseMs)})
    end
  end
  if #leases >= max then break end
end
return {leases, failed}
`;

/** Shared check: is ARGV[2] (a lease id) current at ARGV[3] (now)? Sets taskId and jobKey. */
const CURRENT_LEASE = `
local prefix = ARGV[1]
local leaseId = ARGV[2]
local score = redis.call('ZSCORE', KEYS[1], leaseId)
if not score or tonumber(score) <= tonumber(ARGV[3]) then return false end
local taskId = string.match(leaseId, '^(%d+)%.')
local jobKey = prefix .. 'job:' .. taskId
if redis.call('HGET', jobKey, 'leaseId') ~= leaseId then return false end
`;

/** KEYS: leased set. ARGV: prefix, leaseId, now. Returns {taskId, attempts, expiresAt} or nil. */
export const GET_LEASE = `${CURRENT_LEASE}
return {taskId, redis.call('HGET', jobKey, 'attempts'), score}
`;

/** KEYS: leased set. ARGV: prefix, leaseId, now, new expiry. Returns the new expiry or nil. */
export const EXTEND = `${CURRENT_LEASE}
redis.call('ZADD', KEYS[1], 'XX', ARGV[4], leaseId)
return ARGV[4]
`;

/** KEYS: leased set. ARGV: prefix, leaseId, now. Returns 1 or nil. */
export const RELEASE = `${CURRENT_LEASE}
redis.call('ZREM', KEYS[1], leaseId)
redis.call('HSET', jobKey, 'leaseId', '')
redis.call('HINCRBY', jobKey, 'attempts', -1)
redis.call('LPUSH', prefix .. 'wait:' .. redis.call('HGET', jobKey, 'type'), taskId)
return 1
`;

/**
 * KEYS: job, leased set. ARGV: prefix, taskId, outcome JSON or '' for none, outcomeTtlMs.
 * Removes the job from its list or the leased set, records the outcome when one is given and
 * publishes it. Returns 1 when the job existed, else 0.
 */
export const REMOVE_JOB = `
local prefix = ARGV[1]
local taskId = ARGV[2]
local job = redis.call('HMGET', KEYS[1], 'type', 'leaseId')
if job[1] then
  if job[2] == '' then
    redis.call('LREM', prefix .. 'wait:' .. job[1], 0, taskId)
  else
    redis.call('ZREM', KEYS[2], job[2])
  end
  redis.call('DEL', KEYS[1])
end
if ARGV[3] ~= '' then
  redis.call('SET', prefix .. 'outcome:' .. taskId, ARGV[3], 'PX', ARGV[4])
  redis.call('PUBLISH', prefix .. 'outcomes', '{"taskId":' .. taskId .. ',"outcome":' .. ARGV[3] .. '}')
end
if job[1] then return 1 end
return 0
`;
