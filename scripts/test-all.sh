#!/usr/bin/env bash
# Every test: the main job first (release build, real data), then the whole suite (unit, scenario
# files, crash, HTTP, the CLI script) under AddressSanitizer and UndefinedBehaviorSanitizer.
# Benchmarks are built and run by scripts/bench.sh, not here.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/main-job.sh

cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DONECARD_SANITIZE=ON \
  -DONECARD_BENCH=OFF >/dev/null
cmake --build build/asan
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build/asan && ctest --output-on-failure --timeout 1200 -j2)
