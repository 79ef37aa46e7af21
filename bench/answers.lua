-- wrk script for the contest load: each request saves one answer of one of the members in
-- bench/out/answers.lua (a session, a CSRF cookie and an open attempt each), cycling through
-- them and through the twenty questions, as members answering at once would.
dofile("bench/out/answers.lua")
local threads = {}
local step = tonumber(os.getenv("WRK_THREADS") or "2")

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  n = offset
  ok = 0
  bad = 0
end

function request()
  n = n + step
  local a = answerers[(n % #answerers) + 1]
  local position = (math.floor(n / #answerers) % 20) + 1
  local body = string.format('{"position": %d, "response": "%s"}', position,
    ({"A", "B", "C", "D"})[(n % 4) + 1])
  local headers = {
    ["Cookie"] = a.cookie,
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/json",
    ["Accept-Language"] = "zh-hans",
  }
  return wrk.format("POST", "/assessment/attempts/" .. a.attempt .. "/answer/", headers, body)
end

function response(status, headers, body)
  if status == 200 then ok = ok + 1 else bad = bad + 1 end
end

function done(summary, latency, requests)
  local good, errors = 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    errors = errors + t:get("bad")
  end
  errors = errors + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout
  io.write(string.format("RESULT p50=%.1f p95=%.1f p99=%.1f rps=%.1f ok=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), good, errors))
end
