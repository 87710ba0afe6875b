-- POST /v1/events with a batch of JSONL events per request (ONECARD_BENCH_BATCH, default 1000).
local common = dofile(os.getenv("ONECARD_WRK_DIR") .. "/common.lua")
local run = os.getenv("ONECARD_BENCH_RUN") or "0"
local batch = tonumber(os.getenv("ONECARD_BENCH_BATCH") or "1000")

setup = common.setup

function init(args)
  counter = 0
  headers = { ["Authorization"] = "Bearer " .. common.secret,
              ["Content-Type"] = "application/x-ndjson" }
end

function request()
  local lines = {}
  for i = 1, batch do
    counter = counter + 1
    lines[i] = common.purchase(thread_number, "b" .. run, counter)
  end
  return wrk.format("POST", "/v1/events", headers, table.concat(lines, "\n"))
end

function done(summary, latency, requests)
  common.report(summary, latency, batch)
end
