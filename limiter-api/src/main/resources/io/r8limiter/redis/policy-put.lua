-- Sets a policy override under a new version and announces it, in one atomic call.
-- KEYS[1]: the overrides hash; KEYS[2]: the version counter.
-- ARGV[1]: policy name; ARGV[2]: "shadow|limits" as PolicyCodec writes them; ARGV[3]: the change channel.
-- Returns {version, every field and value of the hash}.
local version = redis.call('INCR', KEYS[2])
redis.call('HSET', KEYS[1], ARGV[1], '1|' .. version .. '|' .. ARGV[2])
redis.call('PUBLISH', ARGV[3], version)
return {version, redis.call('HGETALL', KEYS[1])}
