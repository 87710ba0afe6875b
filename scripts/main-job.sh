#!/usr/bin/env bash
# The main job: install, build (release), replay the real retail year into a fresh embedded
# database, publish 2011-12, and print the tier distribution and the top members explained.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DONECARD_TESTS=OFF \
  -DONECARD_BENCH=OFF >/dev/null
cmake --build build/release --target onecard

onecard=build/release/onecard
db=build/retail.db
rm -f "$db" "$db-wal" "$db-shm"

echo "== replaying the online-retail year (4,372 customers) into $db"
"$onecard" import online-retail --db "$db" data/online-retail/online_retail_2010-12_2011-12.csv.zst
echo
echo "== publishing 2011-12 (events before 2011-12-08 00:00 program time)"
"$onecard" publish --db "$db" --month 2011-12
echo
"$onecard" tiers --db "$db" --month 2011-12
echo
echo "== the top members and why"
"$onecard" scores --db "$db" --month 2011-12 --top 5 --explain
