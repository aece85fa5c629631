-- wrk script for rolegate's HTTP benchmark (bench/run-http-bench.sh).
--   BODY_FILE       when set, POST this JSON body (else GET)
--   ROLEGATE_TOKEN  the bearer token
--   DELAY_MS        when set, each connection waits this long before its next request, to hold
--                   the load below the maximum (wrk has no fixed-rate mode)
-- done() prints one JSON line with the throughput and the latency percentiles in ms.
local body_file = os.getenv("BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "r"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("ROLEGATE_TOKEN") or "")

local pace = tonumber(os.getenv("DELAY_MS") or "0")
if pace > 0 then
  function delay()
    return pace
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests":%d,"errors":%d,"seconds":%.3f,"throughput":%.1f,"p50_ms":%.3f,"p99_ms":%.3f,"p999_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout, seconds,
    summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency:percentile(99.9) / 1000, latency.max / 1000))
end
