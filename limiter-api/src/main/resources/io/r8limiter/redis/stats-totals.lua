-- Reads the totals of every slice of a window in one call.
-- KEYS: the slices' totals hashes. Returns their fields and values, flattened.
local out = {}
for _, key in ipairs(KEYS) do
    local pairs_ = redis.call('HGETALL', key)
    for j = 1, #pairs_ do
        out[#out + 1] = pairs_[j]
    end
end
return out
