-- GET /v1/members/{id} for members the ingest scenarios created (m0 … m<members-1>), at random.
local common = dofile(os.getenv("ONECARD_WRK_DIR") .. "/common.lua")

setup = common.setup

function init(args)
  math.randomseed(thread_number + 1)
  headers = { ["Authorization"] = "Bearer " .. common.secret }
end

function request()
  return wrk.format("GET", "/v1/members/m" .. math.random(0, common.members - 1), headers)
end

function done(summary, latency, requests)
  common.report(summary, latency, 0)
end
