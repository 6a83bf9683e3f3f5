-- Removes a policy override and, if there was one, bumps the version and announces it.
-- KEYS[1]: the overrides hash; KEYS[2]: the version counter. ARGV[1]: policy name; ARGV[2]: the change channel.
-- Returns {1 if removed else 0, version, every field and value of the hash}.
local removed = redis.call('HDEL', KEYS[1], ARGV[1])
local version
if removed == 1 then
    version = redis.call('INCR', KEYS[2])
    redis.call('PUBLISH', ARGV[2], version)
else
    version = tonumber(redis.call('GET', KEYS[2]) or '0')
end
return {removed, version, redis.call('HGETALL', KEYS[1])}
