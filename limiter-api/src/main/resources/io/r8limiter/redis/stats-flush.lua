-- Adds one instance's batch of counts to a stats slice and (re)sets the slice's expiry in the same call.
-- KEYS[1]: the slice's totals hash (fields "policy|outcome"); KEYS[2]: the slice's offender sorted set.
-- ARGV[1]: expiry as a Unix time in milliseconds; ARGV[2]: number of total fields n;
-- then n pairs (field, delta); then pairs (offender member, denials).
local expire_at = ARGV[1]
local fields = tonumber(ARGV[2])
local i = 3
for _ = 1, fields do
    redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
    i = i + 2
end
if fields > 0 then
    redis.call('PEXPIREAT', KEYS[1], expire_at)
end
if i <= #ARGV then
    while i <= #ARGV do
        redis.call('ZINCRBY', KEYS[2], ARGV[i + 1], ARGV[i])
        i = i + 2
    end
    redis.call('PEXPIREAT', KEYS[2], expire_at)
end
return 1
