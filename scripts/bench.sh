#!/usr/bin/env bash
# Reproduces docs/performance.md: builds Release and runs each benchmark at the issue's sizes,
# $BENCH_RUNS times each (default 3; report the min and max of the RESULT lines), printing the
# machine and every command line. Databases go to a temporary directory under $BENCH_DIR (default
# /tmp, which must be a real disk for fsync to mean anything) and are deleted.
#
#   scripts/bench.sh            # the published sizes (about 30-40 minutes on 2 idle cores)
#   scripts/bench.sh --quick    # the benchmarks' small defaults (about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/bench
dir=${BENCH_DIR:-/tmp}
runs=${BENCH_RUNS:-3}

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DONECARD_TESTS=OFF >/dev/null
cmake --build "$build" --target bench_ingest bench_publish bench_checkout bench_ledger

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo "(not a git checkout)")"
echo "nproc: $(nproc)"
lscpu | grep 'Model name' || true
free -h | head -2
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
df -h "$dir" | tail -1
sqlite3 --version 2>/dev/null || true

run() {
  for ((i = 1; i <= runs; i++)); do
    echo
    echo "== run $i of $runs: $*"
    echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f "(wall %e s, max RSS %M KiB)" "$@"
  done
}

if [[ "${1:-}" == "--quick" ]]; then
  run "$build/bench_ingest" --dir "$dir"
  run "$build/bench_publish" --dir "$dir"
  BUILD_DIR="$build" BENCH_DIR="$dir" bash scripts/bench-drops.sh --quick
  run "$build/bench_checkout" --dir "$dir"  # checkout (issue 3)
  run "$build/bench_ledger" --dir "$dir"
  exit 0
fi

# 1. Durable ingest: 2M events (50,000 members, 40 events/member/month) in batches of 10k and 100k.
run "$build/bench_ingest" --events 2000000 --members 50000 --mean 40 --batches 10000,100000 \
  --dir "$dir"
# 2-4. Publication, memory and the SQL baseline at 1M members (12 months, 1 event/member/month).
run "$build/bench_publish" --members 1000000 --mean 1 --threads 2 --dir "$dir"
# 2-3. 10M members, held resident as the engine holds them (about 250 bytes each); no SQL
# baseline at this size (it would take about half an hour).
run "$build/bench_publish" --members 10000000 --mean 1 --threads 2 --baseline 0 --dir "$dir"

# Drops: 1M claimers for 200 units and a 100,000-unit drop, with the PostgreSQL and Redis
# baselines (installed and started by the script itself).
echo
BUILD_DIR="$build" BENCH_DIR="$dir" bash scripts/bench-drops.sh
# 5. Checkout (issue 3): quote latency of a 10-line cart, group-commit throughput against one SQL
# transaction per order.
run "$build/bench_checkout" --quotes 200000 --members 100000 --threads 2 --window 8192 --baseline 2000 \
  --dir "$dir"
# 5. Points ledger (issue 5): durable transfers/s in batches of 10,000 (group commit) and the same
# workload as one SQL transaction per transfer, with the ratio.
run "$build/bench_ledger" --transfers 2000000 --batch 10000 --members 100000 --baseline 2000 \
  --dir "$dir"
