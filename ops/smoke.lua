-- wrk script for ops/smoke.sh: POST /allow for USERS distinct users per thread, counting every status that
-- is not 2xx (a denial is a 200 with "allowed": false, so any other status is an error).
local threads = {}
local next_id = 0

function setup(thread)
    thread:set("thread_id", next_id)
    next_id = next_id + 1
    table.insert(threads, thread)
end

function init(args)
    users = tonumber(os.getenv("USERS") or "1000")
    counter = 0
    non2xx = 0
    statuses = ""
end

function request()
    counter = counter + 1
    local user = "smoke-" .. thread_id .. "-" .. (counter % users)
    return wrk.format("POST", "/allow?user_id=" .. user .. "&resource=default&cost=1")
end

function response(status, headers, body)
    if status < 200 or status > 299 then
        non2xx = non2xx + 1
        if #statuses < 200 then
            statuses = statuses .. status .. " "
        end
    end
end

function done(summary, latency, requests)
    local bad, seen = 0, ""
    for _, thread in ipairs(threads) do
        bad = bad + thread:get("non2xx")
        seen = seen .. thread:get("statuses")
    end
    local e = summary.errors
    io.write(string.format(
        "smoke-result requests=%d non2xx=%d socket_errors=%d p50_ms=%.2f p99_ms=%.2f statuses=[%s]\n",
        summary.requests, bad, e.connect + e.read + e.write + e.timeout, latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, seen))
end
