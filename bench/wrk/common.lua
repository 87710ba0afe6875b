-- Shared by the wrk scripts of scripts/bench-server.sh: the API key, unique event ids per wrk
-- thread, and a summary line in the same shape for every scenario. A script loads it with
--   dofile(os.getenv("ONECARD_WRK_DIR") .. "/common.lua")
local common = {}

-- The secret of the bench's admin key (scripts/bench-server.sh writes its SHA-256 to the keys file).
common.secret = os.getenv("ONECARD_BENCH_SECRET") or "bench-secret"
common.members = tonumber(os.getenv("ONECARD_BENCH_MEMBERS") or "10000")

local thread_count = 0
-- Gives each wrk thread a number, so that the event ids it makes never meet another thread's.
function common.setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

-- One purchase event as a JSON line. `n` makes the id unique within the thread; the member,
-- month, day, amount, shop and category vary with it so that folding does real work.
function common.purchase(thread_number, run, n)
  local id = string.format("w%s-t%d-%d", run, thread_number, n)
  local member = (n * 7919 + thread_number) % common.members
  local month = n % 12 + 1
  local day = n % 28 + 1
  return string.format(
    '{"id":"%s","type":"purchase","member":"m%d","at":"2025-%02d-%02dT10:00:00+08:00",' ..
    '"order":"o-%s","amount":"%d.%02d","site":"tmall","shop":"s%d","category":"c%d",' ..
    '"goods":"physical"}',
    id, member, month, day, id, 10 + n % 490, n % 100, n % 50, n % 20)
end

-- Prints requests/s, events/s (events per request × requests/s), latency percentiles and errors.
function common.report(summary, latency, events_per_request)
  local seconds = summary.duration / 1e6
  local rps = summary.requests / seconds
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read +
                 summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT requests_per_s=%.0f events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f " ..
    "requests=%d errors=%d\n",
    rps, rps * events_per_request, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, errors))
end

return common
