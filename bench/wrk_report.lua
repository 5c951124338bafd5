-- wrk calls done() once the run is over: one line that bench/_harness.py parses.
-- Latencies are in microseconds. errors.status counts responses with a status of 400 or more.
done = function(summary, latency, requests)
  io.write(string.format(
    "LVZHI_RESULT requests=%d duration_us=%d p50_us=%.1f p99_us=%.1f "
      .. "status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.timeout))
end
