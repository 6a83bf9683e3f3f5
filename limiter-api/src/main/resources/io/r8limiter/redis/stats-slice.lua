-- Reads one slice's offender summary whole: at most its capacity of members, so the call stays short.
-- KEYS[1]: the slice's offender sorted set; KEYS[2]: its error hash.
-- Returns {members and denials, lowest first; every field and value of the error hash}.
return {redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES'), redis.call('HGETALL', KEYS[2])}
