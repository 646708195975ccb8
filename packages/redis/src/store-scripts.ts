/**
 * Lua scripts of the Redis task store. Redis runs each script atomically, so no other command
 * runs between its reads and writes. A task is one hash, and KEYS[1] is always that hash.
 */

/** ARGV: ttlMs, then field/value pairs. Returns 1, or 0 when the id is taken. */
export const CREATE_TASK = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1
`;

/**
 * ARGV: limit. Returns nil for a missing task, else {allowed, fields} where allowed is 1 when
 * the request was counted and 0 once \`limit\` requests had been counted before it.
 */
export const COUNT_POLL = `
local polls = redis.call('HGET', KEYS[1], 'polls')
if not polls then return false end
local allowed = 0
if tonumber(polls) < tonumber(ARGV[1]) then
  redis.call('HINCRBY', KEYS[1], 'polls', 1)
  allowed = 1
end
return {allowed, redis.call('HGETALL', KEYS[1])}
`;

/**
 * ARGV: state, outcome JSON, completedAt, resultTtlMs, channel, task id. Moves a processing
 * task to its outcome, restarts its TTL and publishes the task id on the channel. Returns 1,
 * or 0 when the task is finished already or gone.
 */
export const COMPLETE_TASK = `
if redis.call('HGET', KEYS[1], 'state') ~= 'processing' then return 0 end
redis.call('HSET', KEYS[1], 'state', ARGV[1], 'outcome', ARGV[2], 'completedAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`;
