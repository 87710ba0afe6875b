#!/usr/bin/env bash
# HTTP benchmarks of `onecard serve` with wrk on loopback (docs/performance.md, "HTTP server"):
# builds Release, starts the server on a fresh database in $BENCH_DIR (default /tmp, a real disk
# so that fsync means something), and runs each scenario below with 64 connections. Prints the
# machine, every command line, wrk's output and a RESULT line per scenario; then the server's own
# /metrics for events and store commits (how many requests shared each fsync).
#
#   scripts/bench-server.sh                 # 30 s per scenario
#   DURATION=10 scripts/bench-server.sh     # shorter
#   scripts/bench-server.sh member_profile  # only the named scenarios (ingest ones fill the db)
#
# A scenario is one line of SCENARIOS: a name, its Lua script in bench/wrk/ and environment
# settings for the script. To add one, add its script and line.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
build=build/bench
duration=${DURATION:-30}
connections=${CONNECTIONS:-64}
threads=${WRK_THREADS:-2}
dir=$(mktemp -d "${BENCH_DIR:-/tmp}/onecard-bench-server.XXXXXX")

SCENARIOS=(
  "ingest_single   ingest_single.lua  ONECARD_BENCH_RUN=1"
  "ingest_batch    ingest_batch.lua   ONECARD_BENCH_RUN=1 ONECARD_BENCH_BATCH=1000"
  "publish         -                  -"
  "member_profile  member_profile.lua -"
  "checkout_quote  checkout_quote.lua -"
  "drop_open       -                  -"
  "drop_claim      drop_claim.lua     ONECARD_BENCH_RUN=1"
)

if ! command -v wrk >/dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends wrk
fi

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DONECARD_TESTS=OFF >/dev/null
cmake --build "$build" --target onecard

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"
echo "nproc: $(nproc)"
lscpu | grep 'Model name' || true
free -h | head -2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
df -h "$dir" | tail -1
wrk --version 2>&1 | head -1 || true

secret=bench-secret
hash=$(printf '%s' "$secret" | sha256sum | cut -d' ' -f1)
printf '[[keys]]\nid = "bench"\nrole = "admin"\nsha256 = "%s"\n' "$hash" >"$dir/keys.toml"
# The bench's one key sends every request: its rate limit is raised out of the way.
printf '[server]\nrate_per_key_per_second = 1000000000\nrate_burst_per_key = 1000000000\n' \
  >"$dir/server.toml"
port=$((20000 + RANDOM % 20000))
server_log="$dir/server.log"
"$build/onecard" serve --db "$dir/bench.db" --keys "$dir/keys.toml" \
  --server-config "$dir/server.toml" --listen "127.0.0.1:$port" --no-access-log \
  --now 2026-01-01T00:00:00Z >"$server_log" 2>&1 &
server_pid=$!
cleanup() {
  kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 100); do
  grep -q listening "$server_log" && break
  sleep 0.1
done
grep listening "$server_log"
base="http://127.0.0.1:$port"

export ONECARD_WRK_DIR="$root/bench/wrk" ONECARD_BENCH_SECRET="$secret"
wanted=("$@")
for line in "${SCENARIOS[@]}"; do
  read -r name script settings <<<"$line"
  if [ "${#wanted[@]}" -gt 0 ] && [[ ! " ${wanted[*]} " == *" $name "* ]]; then continue; fi
  echo
  echo "== $name"
  if [ "$name" = publish ]; then
    # Publishes 2025-04 so that member profiles carry a latest publication.
    echo "curl -X POST $base/v1/publications -d '{\"month\":\"2025-04\"}'"
    /usr/bin/time -f "(wall %e s)" curl -sS -H "Authorization: Bearer $secret" \
      -X POST "$base/v1/publications" -d '{"month":"2025-04"}'
    echo
    continue
  fi
  if [ "$name" = drop_open ]; then
    # A first-come drop open at the server's --now (08:00 program time, +08:00) with more units
    # than the claims a run makes, no eligibility rule: every claim is a durable grant.
    drop='{"id":"bench-drop","product":"bench","date":"2026-01-01","time":"08:00",'
    drop+='"window_minutes":60,"units":2000000,"limit":1}'
    echo "curl -X POST $base/v1/drops -d '$drop'"
    curl -sS -H "Authorization: Bearer $secret" -X POST "$base/v1/drops" -d "$drop" | head -c 300
    echo
    continue
  fi
  env_settings=()
  [ "$settings" = "-" ] || read -r -a env_settings <<<"$settings"
  echo "${env_settings[*]} wrk -t$threads -c$connections -d${duration}s --timeout 60s -s bench/wrk/$script $base"
  env "${env_settings[@]}" wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 60s --latency \
    -s "bench/wrk/$script" "$base"
done

echo
echo "== server metrics"
curl -sS -H "Authorization: Bearer $secret" "$base/metrics" |
  grep -E '^onecard_(events_ingested_total|store_commit_duration_seconds_(sum|count)|http_requests_total)' |
  grep -v 'status="2' | grep -v '^$' || true
curl -sS -H "Authorization: Bearer $secret" "$base/metrics" |
  grep -E '^onecard_http_requests_total.*status="2' || true
