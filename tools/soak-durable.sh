#!/usr/bin/env bash
# The durable soak of issue 14 / DESIGN.md §13: a real `tai-console --headless` on a data dir of
# its own, keyed payments over loopback HTTP from wrk for DURATION seconds, RSS sampled every
# 10 s; then a restart on the keys it wrote, timed from exec to "listening".
#
#   tools/soak-durable.sh [BINARY] [DURATION_S] [CONNECTIONS]
#
# Prints one line per sample and a summary: requests/s, RSS after the warm-up (the first 60 s, or
# a tenth of a short run) and at the end, the growth, the keys stored and the restart time.
set -euo pipefail
bin=${1:-build/dev/app/tai-console}
duration=${2:-600}
connections=${3:-64}
work=$(mktemp -d /tmp/tai-soak.XXXXXX)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))

cat > "$work/keyed.lua" <<'LUA'
-- Every request a new idempotency key; customers from a pool of 50 000, so the velocity rule
-- (5 a minute) stays out of it at ~1 000/s.
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  n = 0
end
function request()
  n = n + 1
  local body = string.format(
    '{"customer_id":"c%d","merchant_id":"m1","amount":"1.00","currency":"USD","idempotency_key":"soak-%d-%d"}',
    (n * 7 + tid) % 50000, tid, n)
  return wrk.format("POST", "/v1/payments", {["Content-Type"] = "application/json"}, body)
end
LUA

start_engine() {
  HOME="$work/home" "$bin" --headless --listen "127.0.0.1:$port" --load 0 --data-dir "$work/data" \
    >"$work/engine.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 200); do
    grep -q "listening on" "$work/engine.log" && return 0
    sleep 0.01
  done
  echo "soak: the engine did not start" >&2
  cat "$work/engine.log" >&2
  exit 1
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$pid/status"; }

start_engine
warmup=$(( duration >= 600 ? 60 : duration / 10 ))
wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$work/keyed.lua" "http://127.0.0.1:$port" \
  >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
t=0
rss_warm=""
while kill -0 $wrk_pid 2>/dev/null; do
  sleep 10
  t=$((t + 10))
  r=$(rss_kb)
  echo "t=${t}s rss=${r} kB"
  if [ -z "$rss_warm" ] && [ $t -ge $warmup ]; then rss_warm=$r; fi
done
wait $wrk_pid || true
rss_end=$(rss_kb)
rps=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.txt")
non2xx=$(awk '/Non-2xx/ {print $5}' "$work/wrk.txt")
kill -TERM $pid
wait $pid || true
keys=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from idempotency').fetchone()[0])" "$work/data/audit.sqlite")
db_mb=$(du -m "$work/data/audit.sqlite" | cut -f1)
t0=$(date +%s.%N)
start_engine
t1=$(date +%s.%N)
restart_s=$(python3 -c "print(f'{$t1 - $t0:.3f}')")
rss_restart=$(rss_kb)
echo "requests/s: $rps (non-2xx: ${non2xx:-0})"
echo "rss after warm-up (${warmup} s): $rss_warm kB, at the end: $rss_end kB, growth: $(( (rss_end - rss_warm) / 1024 )) MB"
echo "keys stored: $keys (database $db_mb MB)"
echo "restart on those keys: $restart_s s to listening, rss $rss_restart kB"
grep "started on" "$work/engine.log" | tail -1
