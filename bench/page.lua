-- wrk script for one page: sends the session cookie in PAGE_COOKIE, counts status codes,
-- and prints one machine-readable line: p50/p95/p99 (ms), requests/s and errors.
local cookie = os.getenv("PAGE_COOKIE") or ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok = 0
  bad = 0
  if cookie ~= "" then
    wrk.headers["Cookie"] = cookie
  end
  wrk.headers["Accept-Language"] = "zh-hans"
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
