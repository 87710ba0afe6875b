-- POST /v1/drops/bench-drop/claims, one new member per request: the stampede over HTTP. The drop
-- is opened by scripts/bench-server.sh (its "drop_open" step) with more units than claims, so that
-- every claim is a durable grant; run it again after the units run out to measure refusals.
local common = dofile(os.getenv("ONECARD_WRK_DIR") .. "/common.lua")
local run = os.getenv("ONECARD_BENCH_RUN") or "0"

setup = common.setup

function init(args)
  counter = 0
  headers = { ["Authorization"] = "Bearer " .. common.secret,
              ["Content-Type"] = "application/json" }
end

function request()
  counter = counter + 1
  local member = string.format("d%s-t%d-%d", run, thread_number, counter)
  return wrk.format("POST", "/v1/drops/bench-drop/claims", headers,
                    string.format('{"member":"%s"}', member))
end

function done(summary, latency, requests)
  common.report(summary, latency, 1)
end
