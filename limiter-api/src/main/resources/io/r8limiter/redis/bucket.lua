-- r8limiter token bucket, storage schema 3. The arithmetic mirrors io.r8limiter.internal.BucketMath and
-- BucketState.decide exactly: per limit, the state is the deficit below capacity in units where one token is
-- P units and one microsecond is T units, so every refill and debit is a whole number. Every value formed below
-- stays under 2^53, where Lua's doubles are exact; integer division goes through math.fmod, which is exact. Such
-- a number handed to redis.call is written by Redis as its exact digits (it formats script numbers with %.17g,
-- not Lua's %.14g), so times and deficits are stored without formatting them here.
--
-- KEYS[1]  the bucket's hash: field t (server time in microseconds of the last write) and, per limit i,
--          d<i> (deficit) and k<i>, the signature of the limit it was written under: its capacity, refill tokens
--          and refill period in ms, in base 36, joined by colons ("2s:2s:1aao" is 100 per 60000 ms). After a
--          policy change each limit finds its own stored deficit by it, whatever its position.
-- ARGV     mode (1 consume, 0 peek), cost, n, then capacity, T, P, refill period in ms and the signature of each
--          of the n limits
-- reply    {allowed, n, then remaining, reset ms, retry-after ms of each limit}, integers only
--
-- A bucket written under the same limits in the same order, the usual case, is read with one HMGET of exactly
-- its fields and written back without its signatures; any other goes through the matching of the slow path.
-- Redis runs this whole text on every call, so the usual case is kept lean: library functions are read into
-- locals once per call, the helpers only the slow path needs are made only when it runs, and a single-limit
-- bucket is decided with plain numbers, building no table but its reply.

local tonumber, fmod, format = tonumber, math.fmod, string.format

-- the integer s holds, or nil when it holds none below 2^53 in magnitude (nan and inf are not whole)
local function whole(s)
    local x = tonumber(s)
    if x == nil or x % 1 ~= 0 or x >= 9007199254740992 or x <= -9007199254740992 then
        return nil
    end
    return x
end

-- ceil(a / b) for integers 0 <= a and 0 < b below 2^53; a - r is a multiple of b, so the division is exact
local function ceil_div(a, b)
    local r = fmod(a, b)
    if r > 0 then
        return (a - r) / b + 1
    end
    return (a - r) / b
end

local key = KEYS[1]
local consume = ARGV[1] == '1'
-- a cost of one and a single limit are the usual arguments, and a string compare is far cheaper than tonumber
local cost = ARGV[2] == '1' and 1 or whole(ARGV[2])
local n = ARGV[3] == '1' and 1 or whole(ARGV[3])
if cost == nil or cost <= 0 then
    return redis.error_reply('ERR r8limiter: cost must be positive but was ' .. tostring(ARGV[2]))
end
if n == nil or n < 1 or #ARGV < 3 + 5 * n then
    return redis.error_reply('ERR r8limiter: malformed limits')
end

-- the error reply for limit i when its figures are not all positive integers or cannot pay the cost, else nil
local function refused(i, c, u, p, w)
    if c == nil or u == nil or p == nil or w == nil or c < 1 or u < 1 or p < 1 or w < 1 then
        return redis.error_reply('ERR r8limiter: malformed limit ' .. i)
    end
    if cost > c then
        return redis.error_reply('ERR r8limiter: cost ' .. format('%.0f', cost) .. ' exceeds the capacity '
                .. format('%.0f', c))
    end
    return nil
end

-- the first limit's capacity, T, P and refill period: all the single-limit path below needs
local c1, u1, p1, w1 = whole(ARGV[4]), whole(ARGV[5]), whole(ARGV[6]), whole(ARGV[7])
local error1 = refused(1, c1, u1, p1, w1)
if error1 then
    return error1
end

-- The usual call: a single limit, on a bucket that is new or was written under that same limit. It is decided
-- here with plain numbers, in the same steps as the general path below, which handles every other call (several
-- limits, or a bucket stored under other limits); both are held to the Java engine by the differential test.
if n == 1 then
    local stored = redis.call('HMGET', key, 't', 'd1', 'k1', 'k2')
    local last = whole(stored[1])
    local d = last ~= nil and stored[3] == ARGV[8] and not stored[4] and whole(stored[2])
    if last == nil or d then
        local c, u, p = c1, u1, p1
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
        local time = now
        if last == nil then
            d = 0
        else
            local full = c * p
            if d > full then
                d = full
            end
            if now <= last then
                time = last
            elseif d > 0 then
                local elapsed = now - last
                if elapsed >= ceil_div(d, u) then
                    d = 0
                else
                    d = d - elapsed * u
                end
            end
        end
        local fits = d <= (c - cost) * p
        local take = fits and consume
        if take then
            d = d + cost * p
        end
        local reset, wait = 0, 0
        if d > 0 then
            reset = ceil_div(ceil_div(d, u), 1000)
        end
        local short = d - (c - cost) * p
        if not fits and short > 0 then
            wait = ceil_div(ceil_div(short, u), 1000)
        end
        if take then
            if last == nil then
                redis.call('HSET', key, 't', time, 'd1', d, 'k1', ARGV[8])
            else
                redis.call('HSET', key, 't', time, 'd1', d)
            end
            redis.call('PEXPIRE', key, reset)
        elseif consume and last ~= nil and redis.call('PTTL', key) == -1 then
            if reset > 0 then
                redis.call('PEXPIRE', key, reset)
            else
                redis.call('DEL', key)
            end
        end
        local room = c * p - d
        return { fits and 1 or 0, 1, (room - fmod(room, p)) / p, reset, wait }
    end
end

-- limit i: capacity lim[4i-3], T lim[4i-2], P lim[4i-1], refill period lim[4i]; its signature is ARGV[5i+3]
local lim = { c1, u1, p1, w1 }
for i = 2, n do
    local a, b = 5 * i - 1, 4 * i - 3
    lim[b], lim[b + 1], lim[b + 2], lim[b + 3] = whole(ARGV[a]), whole(ARGV[a + 1]), whole(ARGV[a + 2]),
            whole(ARGV[a + 3])
    local error_i = refused(i, lim[b], lim[b + 1], lim[b + 2], lim[b + 3])
    if error_i then
        return error_i
    end
end

-- t, then d<i> and k<i> of each limit, then k<n+1>: a signature stored past the n-th means the policy lost limits
local fields = { 't' }
for i = 1, n do
    fields[2 * i] = 'd' .. i
    fields[2 * i + 1] = 'k' .. i
end
fields[2 * n + 2] = 'k' .. (n + 1)
local stored = redis.call('HMGET', key, unpack(fields))
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local last = whole(stored[1])
local elapsed, time = 0, now
-- the deficit each limit starts from: its own when the limits are unchanged, else its match's, converted
local deficit = { 0 }
local same = last ~= nil and not stored[2 * n + 2]
if last ~= nil then
    if now > last then
        elapsed = now - last
    else
        time = last
    end
    for i = 1, n do
        local d = same and stored[2 * i + 1] == ARGV[5 * i + 3] and whole(stored[2 * i])
        same = d ~= nil and d ~= false
        if same then
            local full = lim[4 * i - 3] * lim[4 * i - 1]
            deficit[i] = d < full and d or full
        end
    end
end
if not same then
    for i = 1, n do
        deficit[i] = 0
    end
end
if last ~= nil and not same then
    local min = math.min

    -- floor(a / b) and the remainder, for integers 0 <= a and 0 < b below 2^53
    local function divmod(a, b)
        local r = fmod(a, b)
        return (a - r) / b, r
    end

    -- ceil(r * b / c) for 0 <= r < c: r * b may pass 2^53, so multiply bit by bit, keeping quotient and remainder
    local function mul_div_ceil(r, b, c)
        local bits = {}
        while b > 0 do
            local bit = fmod(b, 2)
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
    local function convert(d, old_p, new_p, capacity)
        local full = capacity * new_p
        if old_p == new_p then
            return min(d, full)
        end
        local tokens, part = divmod(d, old_p)
        if tokens >= capacity then
            return full
        end
        return min(tokens * new_p + mul_div_ceil(part, new_p, old_p), full)
    end

    -- a base-36 figure of a signature as a positive integer below 2^53, else nil
    local function figure(s)
        local x = s and whole(tonumber(s, 36))
        return x and x > 0 and x or nil
    end

    -- greatest common divisor of two positive integers below 2^53
    local function gcd(a, b)
        while b > 0 do
            a, b = b, fmod(a, b)
        end
        return a
    end

    -- every limit stored under the bucket, in the order written: {d, c, u, p, w}, with T and P derived from the
    -- refill as io.r8limiter.internal.BucketMath does; a limit whose fields do not parse ends the list
    local raw = redis.call('HGETALL', key)
    local hash = {}
    for k = 1, #raw, 2 do
        hash[raw[k]] = raw[k + 1]
    end
    local old = {}
    local j = 1
    while true do
        local c, r, w = string.match(hash['k' .. j] or '', '^(%w+):(%w+):(%w+)$')
        local limit = { d = whole(hash['d' .. j]), c = figure(c), w = figure(w) }
        r = figure(r)
        if limit.d == nil or limit.c == nil or r == nil or limit.w == nil or limit.w * 1000 >= 9007199254740992 then
            break
        end
        local g = gcd(r, limit.w * 1000)
        limit.u, limit.p = r / g, limit.w * 1000 / g
        old[j] = limit
        j = j + 1
    end

    -- which stored limit each limit continues, as io.r8limiter.internal.LimitMatch decides: same rate and
    -- capacity, then same rate, then same refill period, each kind offered to every limit before the next; then
    -- the last unclaimed limit on each side, when there is exactly one of each. A limit with no partner starts
    -- full.
    local function matches(kind, i, o)
        local same_rate = o.u == lim[4 * i - 2] and o.p == lim[4 * i - 1]
        if kind == 1 then
            return same_rate and o.c == lim[4 * i - 3]
        elseif kind == 2 then
            return same_rate
        end
        return o.w == lim[4 * i]
    end

    local from, claimed = {}, {}
    for kind = 1, 3 do
        for i = 1, n do
            for k = 1, #old do
                if from[i] == nil and not claimed[k] and matches(kind, i, old[k]) then
                    from[i] = k
                    claimed[k] = true
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
    for k = 1, #old do
        if not claimed[k] then
            unclaimed, unclaimed_count = k, unclaimed_count + 1
        end
    end
    if open_count == 1 and unclaimed_count == 1 then
        from[open] = unclaimed
    end

    for i = 1, n do
        local k = from[i]
        deficit[i] = k ~= nil and convert(old[k].d, old[k].p, lim[4 * i - 1], lim[4 * i - 3]) or 0
    end
end

-- refill (elapsed * T is formed only when it is below the deficit), then check every limit
local fits = true
for i = 1, n do
    local d, u = deficit[i], lim[4 * i - 2]
    if elapsed > 0 and d > 0 then
        if elapsed >= ceil_div(d, u) then
            d = 0
        else
            d = d - elapsed * u
        end
        deficit[i] = d
    end
    if d > (lim[4 * i - 3] - cost) * lim[4 * i - 1] then
        fits = false
    end
end

-- debit all or none, and report every limit
local take = fits and consume
local reply = { fits and 1 or 0, n, 0, 0, 0 }
local ttl = 0
for i = 1, n do
    local c, u, p = lim[4 * i - 3], lim[4 * i - 2], lim[4 * i - 1]
    if take then
        deficit[i] = deficit[i] + cost * p
    end
    local d = deficit[i]
    -- milliseconds until the bucket is full again, and until the cost fits when it did not
    local reset, wait = 0, 0
    if d > 0 then
        reset = ceil_div(ceil_div(d, u), 1000)
    end
    local short = d - (c - cost) * p
    if not fits and short > 0 then
        wait = ceil_div(ceil_div(short, u), 1000)
    end
    local room = c * p - d
    reply[3 * i] = (room - fmod(room, p)) / p
    reply[3 * i + 1] = reset
    reply[3 * i + 2] = wait
    if reset > ttl then
        ttl = reset
    end
end

-- store the state with its expiry in this same call; a denial or a peek writes nothing. Unchanged limits keep
-- their signatures; a bucket of other limits is written afresh, so no field of a dropped limit stays behind.
if take then
    local state = { 't', time }
    for i = 1, n do
        state[#state + 1] = 'd' .. i
        state[#state + 1] = deficit[i]
        if not same then
            state[#state + 1] = 'k' .. i
            state[#state + 1] = ARGV[5 * i + 3]
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
