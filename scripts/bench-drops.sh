#!/usr/bin/env bash
# Drops under a stampede (docs/performance.md, "Drops"): onecard in process, then the two designs a
# team would build instead, in the same run, and the ratios:
#   - PostgreSQL: `UPDATE stock SET remaining = remaining - 1 WHERE … AND remaining > 0 RETURNING`
#     feeding an INSERT into claims keyed by (drop, member), one transaction per claim
#     (synchronous_commit on), driven by pgbench;
#   - Redis: one Lua script (SISMEMBER, GET, DECR, SADD) per claim, AOF on with
#     appendfsync always, driven by redis-benchmark.
# Both are installed from Debian (apt-get) when missing, run on 127.0.0.1 in a temporary directory
# (PostgreSQL as the unprivileged `postgres` user) and stopped afterwards.
#
#   scripts/bench-drops.sh                 # 1,000,000 claimers for 200 units; 100,000-unit drop
#   scripts/bench-drops.sh --quick         # 100,000 claimers; a 10,000-unit drop
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build/bench}
dir=${BENCH_DIR:-/tmp}
claimers=1000000 units=200 big_units=100000 big_claimers=120000
if [[ "${1:-}" == "--quick" ]]; then
  claimers=100000 big_units=10000 big_claimers=12000
fi
clients=64  # concurrent clients of both baselines

cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DONECARD_TESTS=OFF >/dev/null
cmake --build "$build" --target bench_drops

need=()
command -v redis-server >/dev/null || need+=(redis-server)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || need+=(postgresql)
command -v pgbench >/dev/null || need+=(postgresql-contrib)
if ((${#need[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${need[@]}" >/dev/null
fi
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "nproc: $(nproc)  load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== onecard: $build/bench_drops --claimers $claimers --units $units --big-units $big_units --big-claimers $big_claimers --dir $dir"
onecard_out=$("$build/bench_drops" --claimers "$claimers" --units "$units" \
  --big-units "$big_units" --big-claimers "$big_claimers" --dir "$dir")
echo "$onecard_out"
onecard_small=$(awk '/^RESULT stampede/ {print $3}' <<<"$onecard_out")
onecard_big=$(awk '/^RESULT big/ {print $3}' <<<"$onecard_out")

work=$(mktemp -d "$dir/onecard-bench-drops-XXXXXX")
chmod 755 "$work"
cleanup() {
  [[ -f "$work/pg/postmaster.pid" ]] && runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null || true
  [[ -f "$work/redis.pid" ]] && kill "$(cat "$work/redis.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- PostgreSQL
pgport=54329
mkdir "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pgbin/initdb" -D "$work/pg" -A trust >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pgport -k $work/pg -c max_connections=200 -c fsync=on -c synchronous_commit=on" start >/dev/null
psql() { runuser -u postgres -- "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U postgres -qAt "$@"; }
pgbench_run() {  # units, transactions → seconds
  psql -c "DROP TABLE IF EXISTS stock, claims; CREATE TABLE stock (drop_id int PRIMARY KEY, remaining int NOT NULL);
           CREATE TABLE claims (drop_id int, member bigint, PRIMARY KEY (drop_id, member));
           INSERT INTO stock VALUES (1, $1);"
  cat >"$work/claim.sql" <<'SQL'
\set member random(1, 1000000000000)
BEGIN;
WITH taken AS (UPDATE stock SET remaining = remaining - 1 WHERE drop_id = 1 AND remaining > 0 RETURNING drop_id)
INSERT INTO claims SELECT drop_id, :member FROM taken;
END;
SQL
  chmod 644 "$work/claim.sql"
  local per_client=$(( ($2 + clients - 1) / clients ))
  local start end
  start=$(date +%s.%N)
  runuser -u postgres -- pgbench -n -h 127.0.0.1 -p "$pgport" -U postgres -c "$clients" -j "$(nproc)" \
    -t "$per_client" -f "$work/claim.sql" postgres >"$work/pgbench.log"
  end=$(date +%s.%N)
  local sold
  sold=$(psql -c "SELECT count(*) FROM claims")
  echo "  pgbench: $((per_client * clients)) claims, $sold granted, $(grep -E '^tps' "$work/pgbench.log" | head -1)" >&2
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
}
echo
echo "== PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') + pgbench, $clients clients"
pg_small=$(pgbench_run "$units" "$claimers")
echo "  $claimers claimers for $units units: $pg_small s"
pg_big=$(pgbench_run "$big_units" "$big_claimers")
echo "  $big_claimers claimers for $big_units units: $pg_big s"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/pg" -m fast stop >/dev/null

# ---- Redis
redisport=63799
redis-server --port "$redisport" --bind 127.0.0.1 --dir "$work" --appendonly yes \
  --appendfsync always --save '' --daemonize yes --pidfile "$work/redis.pid" >/dev/null
for _ in $(seq 50); do redis-cli -p "$redisport" ping >/dev/null 2>&1 && break; sleep 0.1; done
lua='if redis.call("SISMEMBER", KEYS[2], ARGV[1]) == 1 then return 2 end
if tonumber(redis.call("GET", KEYS[1])) <= 0 then return 0 end
redis.call("DECR", KEYS[1]) redis.call("SADD", KEYS[2], ARGV[1]) return 1'
sha=$(redis-cli -p "$redisport" SCRIPT LOAD "$lua")
# -r is read as a C int by redis-benchmark: 10^12 overflowed and made every claim the same member.
redis_run() {  # units, claims → seconds
  redis-cli -p "$redisport" DEL stock claims >/dev/null
  redis-cli -p "$redisport" SET stock "$1" >/dev/null
  local start end
  start=$(date +%s.%N)
  redis-benchmark -p "$redisport" -c "$clients" -n "$2" -r 2000000000 -q \
    EVALSHA "$sha" 2 stock claims __rand_int__ >"$work/redis.log"
  end=$(date +%s.%N)
  echo "  redis-benchmark: $2 claims, $(redis-cli -p "$redisport" SCARD claims) granted, $(tr '\r' '\n' <"$work/redis.log" | grep -E 'requests per second' | tail -1)" >&2
  awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}'
}
echo
echo "== Redis $(redis-server --version | awk '{print $3}') + Lua, AOF appendfsync always, $clients clients"
redis_small=$(redis_run "$units" "$claimers")
echo "  $claimers claimers for $units units: $redis_small s"
redis_big=$(redis_run "$big_units" "$big_claimers")
echo "  $big_claimers claimers for $big_units units: $redis_big s"

echo
echo "== ratios (baseline time / onecard time; above 1 means onecard is faster)"
printf '%-44s %10s %12s %10s %14s %12s\n' workload onecard PostgreSQL Redis "PG/onecard" "Redis/onecard"
row() { printf '%-44s %9.3fs %11.3fs %9.3fs %13.1fx %11.1fx\n' "$1" "$2" "$3" "$4" \
  "$(awk -v a="$3" -v b="$2" 'BEGIN {print a / b}')" "$(awk -v a="$4" -v b="$2" 'BEGIN {print a / b}')"; }
row "$claimers claimers, $units units" "$onecard_small" "$pg_small" "$redis_small"
row "$big_claimers claimers, $big_units units" "$onecard_big" "$pg_big" "$redis_big"
