-- The smallest token bucket worth comparing with: one hash with the tokens left and the time of the last update,
-- refilled from the server clock, written back with an expiry. No validation, no policy changes, floats allowed.
-- KEYS[1] the bucket; ARGV capacity, tokens per microsecond, cost; reply {allowed, tokens left}
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local stored = redis.call('HMGET', KEYS[1], 'v', 't')
local tokens = tonumber(stored[1]) or capacity
local last = tonumber(stored[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - last) * rate)
local allowed = 0
if tokens >= cost then
    tokens = tokens - cost
    allowed = 1
    redis.call('HSET', KEYS[1], 'v', tokens, 't', now)
    redis.call('PEXPIRE', KEYS[1], math.ceil((capacity - tokens) / rate / 1000) + 1)
end
return { allowed, math.floor(tokens) }
