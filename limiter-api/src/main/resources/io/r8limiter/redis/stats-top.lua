-- Sums the offender sets of a window and returns the most denied members with their counts.
-- KEYS[1]: a scratch key, deleted before returning; KEYS[2..]: the slices' offender sets.
-- ARGV[1]: how many members to return.
local slices = {}
for j = 2, #KEYS do
    slices[#slices + 1] = KEYS[j]
end
redis.call('ZUNIONSTORE', KEYS[1], #slices, unpack(slices))
redis.call('PEXPIRE', KEYS[1], 60000)
local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
redis.call('DEL', KEYS[1])
return top
