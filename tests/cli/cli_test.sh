#!/usr/bin/env bash
# The `onecard` command as a user runs it: exit codes, the ingest summary and the line numbers of
# rejections, the exact CSV of `scores`, JSON output, and errors that name what was wrong.
# Usage: cli_test.sh PATH/TO/onecard
set -uo pipefail
onecard=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db="$dir/cli.db"
passed=0
failed=0

check() {  # check NAME EXPECTED ACTUAL
  if [ "$2" == "$3" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    printf 'FAILED %s\n--- expected\n%s\n--- actual\n%s\n' "$1" "$2" "$3"
  fi
}

cat >"$dir/events.jsonl" <<'JSONL'
{"id":"p1","type":"purchase","member":"m,2","at":"2011-12-15T10:00:00","order":"o1","amount":"57.99","site":"tmall","shop":"s1","category":"shoes","goods":"physical"}

{"id":"p2","type":"purchase","member":"m1","at":"2011-12-15T10:00:00","order":"o1","amount":"12.345","site":"tmall","shop":"s1","category":"shoes","goods":"physical"}
not json
{"id":"p3","type":"purchase","member":"m1","at":"2011-12-16T10:00:00","order":"o1","amount":"300.00","site":"tmall","shop":"s1","category":"shoes","goods":"physical"}
{"id":"p1","type":"purchase","member":"m,2","at":"2011-12-15T10:00:00","order":"o1","amount":"57.99","site":"tmall","shop":"s1","category":"shoes","goods":"physical"}
JSONL

out=$("$onecard" ingest --db "$db" "$dir/events.jsonl" 2>"$dir/err"); code=$?
check "ingest exit code" 0 "$code"
check "ingest summary" "accepted 2, duplicate 1, rejected 2" "$out"
check "ingest rejections name the line, the code and the field" \
"line 3: rejected invalid_amount (amount): amount \"12.345\" has more than two decimal places
line 4: rejected invalid_json: not valid JSON: syntax error" "$(sed 's/syntax error.*/syntax error/' "$dir/err")"

out=$("$onecard" publish --db "$db" --month 2012-01 --now 2012-01-08T00:00:00+08:00); code=$?
check "publish at the instant" 0 "$code"
out=$("$onecard" publish --db "$db" --month 2012-01 2>&1); code=$?
check "publishing twice fails" "1" "$code"
check "publishing twice says why" "onecard: already_published (month): 2012-01 is already published; publications are final" "$out"

# m1: 300.00 -> 30 points (one order, one day) + 5 active = 235. "m,2": 57.99 -> 5 + 5 = 210.
# Rows sorted bytewise: "m,2" (0x2C) before "m1" (0x31); the comma is quoted.
check "scores as CSV" \
"member,score,tier,shopping,reward,active,breadth,credit_level
\"m,2\",210,registered,5,0,5,0,3
m1,235,registered,30,0,5,0,3" "$("$onecard" scores --db "$db" --month 2012-01 --format csv)"

check "scores as JSON" \
'[{"member":"m1","score":235,"tier":"registered","shopping":30,"reward":0,"active":5,"breadth":0,"credit_level":3,"caps":[]}]' \
"$("$onecard" scores --db "$db" --month 2012-01 --format json --top 1)"

out=$("$onecard" scores --db "$dir/typo.db" --month 2012-01 2>&1); code=$?
check "a mistyped database is an error" "1" "$code"
check "and nothing is created" "no" "$([ -e "$dir/typo.db" ] && echo yes || echo no)"

out=$("$onecard" tiers --db "$db" --month 2011-13 2>&1); code=$?
check "a bad month is named" "onecard: invalid_month (month): month \"2011-13\" has a month number outside 01 to 12" "$out"

out=$("$onecard" member --db "$db" m1 | head -3)
check "member explains in words" \
"member m1: 1 event received, 1 publication

2012-01: score 235, tier registered" "$out"

out=$(printf '%s\n' '{"id":"v1","type":"visit","member":"m3","at":"2012-01-02T00:00:00","site":"eleme"}' |
  "$onecard" ingest --db "$db" -)
check "ingest reads standard input" "accepted 1, duplicate 0, rejected 0" "$out"

long_id=$(head -c 20000 /dev/zero | tr '\0' 'a')
out=$(printf '{"id":"%s"}\n' "$long_id" | "$onecard" ingest --db "$db" - 2>&1)
check "a line over 16 KiB is rejected, not read whole" \
"line 1: rejected line_too_long: line is longer than 16384 bytes
accepted 0, duplicate 0, rejected 1" "$out"

# Benefits and checkout (issue 3). The CLI's standing source knows the published tier only and
# treats nobody as paid until the paid plan is merged, so the paid-only 95% is declined.
cart='{"key":"k1","member":"m1","order":"o1","lines":[{"price":"100.00","quantity":1,"flags":["tmall_95"],"shop":"tmall"}],"shipping":"6.00","choices":[{"benefit":"tmall_95"}]}'
out=$(printf '%s' "$cart" | "$onecard" checkout quote --db "$db" --now 2012-02-01T10:00:00 -)
check "checkout quote: JSON in and out" \
'{"member":"m1","order":"o1","at":"2012-02-01T10:00:00+08:00","replayed":false,"applied":[],"lines":[{"line":0,"id":"","total":"100.00","discounts":[]}],"declined":[{"benefit":"tmall_95","reason":"not_paid"}],"subtotal":"100.00","discount":"0.00","tax":"0.00","shipping":"6.00","deposit":"0.00","total":"106.00"}' "$out"
printf '%s' "$cart" >"$dir/cart.json"
"$onecard" checkout commit --db "$db" --now 2012-02-01T10:00:00 "$dir/cart.json" >/dev/null
out=$("$onecard" checkout commit --db "$db" --now 2012-02-01T10:05:00 "$dir/cart.json" | grep -o '"replayed":[a-z]*')
check "checkout commit retried with its key is replayed" '"replayed":true' "$out"
out=$(sed 's/100.00/99.00/' "$dir/cart.json" | "$onecard" checkout commit --db "$db" - 2>&1); code=$?
check "another request under the key fails" "1 onecard: idempotency_key_reused (key): key \"k1\" was used for another request (order \"o1\")" "$code $out"
out=$("$onecard" checkout reverse --db "$db" --member m1 --order o1 --now 2012-02-02T10:00:00)
check "checkout reverse" '{"member":"m1","order":"o1","reversed_at":"2012-02-02T10:00:00+08:00","replayed":false,"returned":[]}' "$out"
out=$("$onecard" benefits list --db "$db" --member m1 --format json | grep -o '{"benefit":"tmall_95"[^}]*}')
check "benefits list for a member" \
'{"benefit":"tmall_95","partner":"tmall","scenario":"buy","kind":"percent_discount","min_tier":"-","paid":"yes","availability":"not_paid","vouchers_left":"","cap_left":"1000.00","month_left":"","activation":""}' "$out"
out=$("$onecard" benefits activate --db "$db" --member m1 --benefit youku_vip 2>&1); code=$?
check "a member who has not paid cannot activate" "1" "$code"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
