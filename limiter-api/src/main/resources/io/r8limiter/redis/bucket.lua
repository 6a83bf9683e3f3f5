-- r8limiter token bucket, storage schema 2. The arithmetic mirrors io.r8limiter.internal.BucketMath and
-- BucketState.decide exactly: per limit, the state is the deficit below capacity in units where one token is
-- P units and one microsecond is T units, so every refill and debit is a whole number. Every value formed below
-- stays under 2^53, where Lua's doubles are exact; integer division goes through math.fmod, which is exact.
--
-- KEYS[1]  the bucket's hash: field t (server time in microseconds of the last write) and, per limit i,
--          d<i> (deficit) and k<i> ("capacity:T:P:period ms" of the limit it was written under, so that after a
--          policy change each limit finds its own stored deficit, whatever its position)
-- ARGV     mode (1 consume, 0 peek), cost, n, then capacity, T, P, refill period in ms and that same
--          "capacity:T:P:period" signature of each of the n limits
-- reply    {allowed, n, then remaining, reset ms, retry-after ms of each limit}, integers only
--
-- A bucket written under the same limits in the same order, the usual case, is read with one HMGET of exactly
-- its fields and written back without its signatures; any other goes through the matching of the slow path.

local function server_micros()
    local time = redis.call('TIME')
    return tonumber(time[1]) * 1000000 + tonumber(time[2])
end

-- floor(a / b) and the remainder, for integers 0 <= a and 0 < b below 2^53
local function divmod(a, b)
    local r = math.fmod(a, b)
    return (a - r) / b, r
end

local function ceil_div(a, b)
    local q, r = divmod(a, b)
    if r > 0 then
        return q + 1
    end
    return q
end

local function millis_until_refilled(deficit, t)
    if deficit <= 0 then
        return 0
    end
    return ceil_div(ceil_div(deficit, t), 1000)
end

-- the deficit after elapsed microseconds of refill; elapsed * t is formed only when it is below the deficit
local function refill(deficit, elapsed, t)
    if elapsed <= 0 or deficit == 0 then
        return deficit
    end
    if elapsed >= ceil_div(deficit, t) then
        return 0
    end
    return deficit - elapsed * t
end

-- ceil(r * b / c) for 0 <= r < c: r * b may pass 2^53, so multiply bit by bit, keeping quotient and remainder
local function mul_div_ceil(r, b, c)
    local bits = {}
    while b > 0 do
        local bit = math.fmod(b, 2)
        bits[#bits + 1] = bit
        b = (b - bit) / 2
    end
    local q, rem = 0, 0
    for i = #bits, 1, -1 do
        q = q * 2
        if rem >= c - rem then
            rem = rem - (c - rem)
            q = q + 1
        else
            rem = rem * 2
        end
        if bits[i] == 1 then
            if rem >= c - r then
                rem = rem - (c - r)
                q = q + 1
            else
                rem = rem + r
            end
        end
    end
    if rem > 0 then
        q = q + 1
    end
    return q
end

-- a deficit written under old_p units per token, in new_p units: the same missing fraction of a token per
-- token, rounded up, and never more than an empty bucket
local function convert(deficit, old_p, new_p, capacity)
    local full = capacity * new_p
    if old_p == new_p then
        return math.min(deficit, full)
    end
    local tokens, part = divmod(deficit, old_p)
    if tokens >= capacity then
        return full
    end
    return math.min(tokens * new_p + mul_div_ceil(part, new_p, old_p), full)
end

local function whole(s)
    local x = tonumber(s)
    if x == nil or x ~= math.floor(x) or x >= 9007199254740992 or x <= -9007199254740992 then
        return nil
    end
    return x
end

local function integer(x)
    return string.format('%.0f', x)
end

-- every limit stored under the bucket, in the order written: {d, c, u, p, w}; a limit whose fields do not parse
-- ends the list
local function stored_limits(key)
    local raw = redis.call('HGETALL', key)
    local hash = {}
    for k = 1, #raw, 2 do
        hash[raw[k]] = raw[k + 1]
    end
    local limits = {}
    local j = 1
    while true do
        local c, u, p, w = string.match(hash['k' .. j] or '', '^(%d+):(%d+):(%d+):(%d+)$')
        local limit = { d = whole(hash['d' .. j]), c = whole(c), u = whole(u), p = whole(p), w = whole(w) }
        if limit.d == nil or limit.c == nil or limit.u == nil or limit.p == nil or limit.w == nil then
            return limits
        end
        limits[j] = limit
        j = j + 1
    end
end

local key = KEYS[1]
local consume = ARGV[1] == '1'
local cost = whole(ARGV[2])
local n = whole(ARGV[3])
if cost == nil or cost <= 0 then
    return redis.error_reply('ERR r8limiter: cost must be positive but was ' .. tostring(ARGV[2]))
end
if n == nil or n < 1 or #ARGV < 3 + 5 * n then
    return redis.error_reply('ERR r8limiter: malformed limits')
end

local capacity, per_micro, per_token, period, signature = {}, {}, {}, {}, {}
local fields = { 't' }
for i = 1, n do
    local a = 5 * i - 1
    capacity[i] = whole(ARGV[a])
    per_micro[i] = whole(ARGV[a + 1])
    per_token[i] = whole(ARGV[a + 2])
    period[i] = whole(ARGV[a + 3])
    signature[i] = ARGV[a + 4]
    if capacity[i] == nil or per_micro[i] == nil or per_token[i] == nil or period[i] == nil
            or capacity[i] < 1 or per_micro[i] < 1 or per_token[i] < 1 or period[i] < 1 then
        return redis.error_reply('ERR r8limiter: malformed limit ' .. i)
    end
    if cost > capacity[i] then
        return redis.error_reply('ERR r8limiter: cost ' .. integer(cost) .. ' exceeds the capacity '
                .. integer(capacity[i]))
    end
    fields[2 * i] = 'd' .. i
    fields[2 * i + 1] = 'k' .. i
end
-- a signature stored past the n-th means the policy lost limits
fields[2 * n + 2] = 'k' .. (n + 1)

-- which stored limit each limit continues, as io.r8limiter.internal.LimitMatch decides: same rate and capacity,
-- then same rate, then same refill period, each kind offered to every limit before the next; then the last
-- unclaimed limit on each side, when there is exactly one of each. A limit with no partner starts full.
local function matches(kind, i, old)
    local same_rate = old.u == per_micro[i] and old.p == per_token[i]
    if kind == 1 then
        return same_rate and old.c == capacity[i]
    elseif kind == 2 then
        return same_rate
    end
    return old.w == period[i]
end

local function sources(old)
    local from, claimed = {}, {}
    for kind = 1, 3 do
        for i = 1, n do
            for j = 1, #old do
                if from[i] == nil and not claimed[j] and matches(kind, i, old[j]) then
                    from[i] = j
                    claimed[j] = true
                end
            end
        end
    end
    local open, open_count, unclaimed, unclaimed_count = nil, 0, nil, 0
    for i = 1, n do
        if from[i] == nil then
            open, open_count = i, open_count + 1
        end
    end
    for j = 1, #old do
        if not claimed[j] then
            unclaimed, unclaimed_count = j, unclaimed_count + 1
        end
    end
    if open_count == 1 and unclaimed_count == 1 then
        from[open] = unclaimed
    end
    return from
end

local stored = redis.call('HMGET', key, unpack(fields))
local now = server_micros()
local last = whole(stored[1])
local elapsed, time = 0, now
local same = last ~= nil and not stored[2 * n + 2]
if last ~= nil then
    elapsed = math.max(0, now - last)
    time = math.max(last, now)
    for i = 1, n do
        same = same and stored[2 * i + 1] == signature[i] and whole(stored[2 * i]) ~= nil
    end
end

-- the deficit each limit starts from: its own when the limits are unchanged, else its match's, converted
local start = {}
if same then
    for i = 1, n do
        start[i] = math.min(whole(stored[2 * i]), capacity[i] * per_token[i])
    end
else
    local old, from = {}, {}
    if last ~= nil then
        old = stored_limits(key)
        from = sources(old)
    end
    for i = 1, n do
        local j = from[i]
        start[i] = j ~= nil and convert(old[j].d, old[j].p, per_token[i], capacity[i]) or 0
    end
end

-- refill, then check every limit
local deficit = {}
local fits = true
for i = 1, n do
    deficit[i] = refill(start[i], elapsed, per_micro[i])
    if deficit[i] > (capacity[i] - cost) * per_token[i] then
        fits = false
    end
end

-- debit all or none, and report every limit
local take = fits and consume
local reply = { fits and 1 or 0, n }
local ttl = 0
for i = 1, n do
    if take then
        deficit[i] = deficit[i] + cost * per_token[i]
    end
    local room = capacity[i] * per_token[i] - deficit[i]
    local wait = 0
    if not fits then
        wait = millis_until_refilled(deficit[i] - (capacity[i] - cost) * per_token[i], per_micro[i])
    end
    local reset = millis_until_refilled(deficit[i], per_micro[i])
    reply[3 * i] = divmod(room, per_token[i])
    reply[3 * i + 1] = reset
    reply[3 * i + 2] = wait
    ttl = math.max(ttl, reset)
end

-- store the state with its expiry in this same call; a denial or a peek writes nothing. Unchanged limits keep
-- their signatures; a bucket of other limits is written afresh, so no field of a dropped limit stays behind.
if take then
    local state = { 't', integer(time) }
    for i = 1, n do
        state[#state + 1] = 'd' .. i
        state[#state + 1] = integer(deficit[i])
        if not same then
            state[#state + 1] = 'k' .. i
            state[#state + 1] = signature[i]
        end
    end
    if last ~= nil and not same then
        redis.call('DEL', key)
    end
    redis.call('HSET', key, unpack(state))
    redis.call('PEXPIRE', key, ttl)
elseif consume and last ~= nil and redis.call('PTTL', key) == -1 then
    -- only a key written by something else lacks an expiry; a bucket never outlives its time to full
    if ttl > 0 then
        redis.call('PEXPIRE', key, ttl)
    else
        redis.call('DEL', key)
    end
end
return reply
