-- Reads the overrides and their version counter as one consistent state.
-- KEYS[1]: the overrides hash; KEYS[2]: the version counter. Returns {version, every field and value of the hash}.
return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('HGETALL', KEYS[1])}
