-- POST /v1/checkout/quote for members the ingest scenarios created (m0 … m<members-1>), at random:
-- one 100.00 line of the Tmall shop flagged for the 95% price, with that benefit chosen. A quote
-- uses nothing up, so the same carts can be sent for as long as the run lasts.
local common = dofile(os.getenv("ONECARD_WRK_DIR") .. "/common.lua")

setup = common.setup

function init(args)
  math.randomseed(thread_number + 1)
  headers = { ["Authorization"] = "Bearer " .. common.secret,
              ["Content-Type"] = "application/json" }
  n = 0
end

function request()
  n = n + 1
  local body = string.format(
    '{"member":"m%d","order":"q-%d-%d","lines":[{"price":"100.00","quantity":1,' ..
    '"flags":["tmall_95"],"shop":"tmall"}],"choices":[{"benefit":"tmall_95"}]}',
    math.random(0, common.members - 1), thread_number, n)
  return wrk.format("POST", "/v1/checkout/quote", headers, body)
end

function done(summary, latency, requests)
  common.report(summary, latency, 0)
end
