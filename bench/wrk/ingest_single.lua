-- POST /v1/events with one event per request (each a new purchase).
local common = dofile(os.getenv("ONECARD_WRK_DIR") .. "/common.lua")
local run = os.getenv("ONECARD_BENCH_RUN") or "0"

setup = common.setup

function init(args)
  counter = 0
  headers = { ["Authorization"] = "Bearer " .. common.secret,
              ["Content-Type"] = "application/x-ndjson" }
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/events", headers,
                    common.purchase(thread_number, "s" .. run, counter))
end

function done(summary, latency, requests)
  common.report(summary, latency, 1)
end
