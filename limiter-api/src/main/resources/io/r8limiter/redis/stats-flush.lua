-- Adds one instance's batch of counts to a stats slice and (re)sets the slice's expiry in the same call.
-- The offenders of a slice form a weighted Space-Saving summary of at most ARGV[2] members: a member not yet
-- listed, arriving when the set is full, takes over the member with the fewest denials m, inheriting m as its
-- count and as its error, so every count stays at or above the truth and exceeds it by at most the error.
-- KEYS[1]: the slice's totals hash (fields "policy|outcome"); KEYS[2]: the slice's offender sorted set;
-- KEYS[3]: the slice's error hash (member -> error, "!evicted" once a member was taken over, "!extra" the sum of
-- the floors of the instances' own summaries, which every count of the slice may miss).
-- ARGV[1]: expiry as a Unix time in milliseconds; ARGV[2]: capacity; ARGV[3]: extra to add;
-- ARGV[4]: number of total fields n; then n pairs (field, delta); then triples (offender member, denials, error).
local expire_at = ARGV[1]
local capacity = tonumber(ARGV[2])
local extra = tonumber(ARGV[3])
local fields = tonumber(ARGV[4])
local i = 5
for _ = 1, fields do
    redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
    i = i + 2
end
if fields > 0 then
    redis.call('PEXPIREAT', KEYS[1], expire_at)
end
if i > #ARGV and extra == 0 then
    return 1
end
if extra > 0 then
    redis.call('HINCRBY', KEYS[3], '!extra', extra)
end
while i <= #ARGV do
    local member, denials, err = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
    if redis.call('ZSCORE', KEYS[2], member) then
        redis.call('ZINCRBY', KEYS[2], denials, member)
        if err > 0 then
            redis.call('HINCRBY', KEYS[3], member, err)
        end
    elseif redis.call('ZCARD', KEYS[2]) < capacity then
        redis.call('ZADD', KEYS[2], denials, member)
        if err > 0 then
            redis.call('HSET', KEYS[3], member, err)
        end
    else
        local smallest = redis.call('ZPOPMIN', KEYS[2])
        local floor = tonumber(smallest[2])
        redis.call('HDEL', KEYS[3], smallest[1])
        redis.call('ZADD', KEYS[2], floor + denials, member)
        redis.call('HSET', KEYS[3], member, floor + err, '!evicted', 1)
    end
    i = i + 3
end
redis.call('PEXPIREAT', KEYS[2], expire_at)
redis.call('PEXPIREAT', KEYS[3], expire_at)
return 1
