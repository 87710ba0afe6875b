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

# ---- Exclusive drops (onecard drops): an operator drop of 1 unit, a claim, its retry, a refusal,
# the confirmation, the slot's status and results; then a lottery draw verified from its seed.
ddb="$dir/drops.db"
out=$("$onecard" drops open --db "$ddb" --now 2025-06-01T00:00:00 --drop mini --product "Mini speaker" \
  --date 2025-06-10 --time 10:00 --units 1 --hold-minutes 10); code=$?
check "drops open" "0 opened drop mini (first_come, 1 units a slot); next slot 2025-06-10T10:00:00+08:00" "$code $out"
out=$("$onecard" drops claim --db "$ddb" --now 2025-06-10T10:00:00 --drop mini m1)
check "drops claim holds a unit" \
"m1 held: 1 unit(s) of mini, slot 2025-06-10T10:00:00+08:00, units [0], confirm before 2025-06-10T10:10:00+08:00" "$out"
out=$("$onecard" drops claim --db "$ddb" --now 2025-06-10T10:01:00 --drop mini m1)
check "a retried claim gets the stored answer" \
"m1 held: 1 unit(s) of mini, slot 2025-06-10T10:00:00+08:00, units [0], confirm before 2025-06-10T10:10:00+08:00 (repeated: the stored claim)" "$out"
out=$("$onecard" drops claim --db "$ddb" --now 2025-06-10T10:02:00 --drop mini m2 2>&1); code=$?
check "sold out is a clear refusal" "1 onecard: sold_out (drop): drop mini has no unit left in this slot" "$code $out"
out=$("$onecard" drops claim --db "$ddb" --now 2025-06-03T10:00:00 --drop fold-phone m1 2>&1); code=$?
check "the paid-members drop refuses an unpaid member" \
"1 onecard: paid_plan_required (member): drop fold-phone is for paid members only; member \"m1\" has no active paid plan" "$code $out"
"$onecard" drops confirm --db "$ddb" --now 2025-06-10T10:05:00 --drop mini m1 >/dev/null
out=$("$onecard" drops status --db "$ddb" --now 2025-06-10T12:00:00 --drop mini)
check "drops status" "mini slot 2025-06-10T10:00:00+08:00 (closed): units 1 held 0 confirmed 1 available 0 released 0 expired 0 claims 1 registrations 0" "$out"
out=$("$onecard" drops results --db "$ddb" --now 2025-06-10T12:00:00 --drop mini --format csv)
check "drops results as CSV" "member,status,quantity,units,claimed_at,hold_until,decided_at
m1,confirmed,1,0,2025-06-10T10:00:00+08:00,2025-06-10T10:10:00+08:00,2025-06-10T10:05:00+08:00" "$out"
"$onecard" drops open --db "$ddb" --now 2025-06-01T00:00:00 --drop lot --product Sneaker --mode lottery \
  --date 2025-06-12 --time 10:00 --units 3 --limit 2 --window-minutes 30 >/dev/null
for r in "r1 2" "r2 1" "r3 2" "r4 1"; do
  set -- $r
  "$onecard" drops register --db "$ddb" --now 2025-06-12T10:05:00 --drop lot --quantity "$2" "$1" >/dev/null
done
out=$("$onecard" drops draw --db "$ddb" --now 2025-06-12T10:30:00 --drop lot --seed s33d)
check "drops draw" "drew lot slot 2025-06-12T10:00:00+08:00 with seed s33d: 4 registrants, 2 winners, 3 units" "$out"
# Tickets by hand: printf '%s\n%s\n%s\n%s' s33d lot 2025-06-12T10:00:00+08:00 r1 | sha256sum
ticket=$(printf '%s\n%s\n%s\n%s' s33d lot 2025-06-12T10:00:00+08:00 r1 | sha256sum | cut -d' ' -f1)
out=$("$onecard" drops verify-draw --db "$ddb" --now 2025-06-12T11:00:00 --drop lot | sed -n '2p;4p')
check "verify-draw re-runs the draw with sha256sum's tickets" "  #1 r1 ticket $ticket units [0 1]
the stored winners match the draw re-run from the seed" "$out"
# The paid plan. m1 scored 235 in 2012-01 (published at 2012-01-08): it pays the 888.00 band.
# 2012-01-10 + 365 days = 2013-01-09 (a leap year).
receipt='{"member":"m1","entry":{"seq":1,"kind":"purchase","at":"2012-01-10T00:00:00+08:00","amount":"888.00","score":235,"publication":"2012-01","rule_version":"88-2019.1","term":{"start":"2012-01-10T00:00:00+08:00","end":"2013-01-09T00:00:00+08:00"}},"status":"active","paid_until":"2013-01-09T00:00:00+08:00"}'
out=$("$onecard" plan buy --db "$db" --member m1 --key k1 --now 2012-01-10T00:00:00 --format json); code=$?
check "plan buy exit code" 0 "$code"
check "plan buy prints the purchase as JSON" "$receipt" "$out"
out=$("$onecard" plan buy --db "$db" --member m1 --key k1 --now 2012-02-01T00:00:00 --format json)
check "a retry with the same key prints the first answer" "$receipt" "$out"
out=$("$onecard" plan renew --db "$db" --member m1 --key k1 --now 2012-02-01T00:00:00 2>&1); code=$?
check "the same key for another request fails" "1" "$code"
check "and names the code and the field" \
  "onecard: idempotency_conflict (key): this key was used for another request (purchase)" "$out"
out=$("$onecard" plan buy --db "$db" --member m1 --key k2 --now 2012-02-01T00:00:00 2>&1)
check "a second purchase while paid is refused" \
  "onecard: plan_active (member): the member's plan runs until 2013-01-09T00:00:00+08:00; renew it instead of buying" "$out"
out=$("$onecard" plan status --db "$db" --member m1 --now 2012-02-01T00:00:00 | head -2)
check "plan status for people" \
"member m1: plan active (paid), automatic renewal off
term 2012-01-10T00:00:00+08:00 to 2013-01-09T00:00:00+08:00; paid until 2013-01-09T00:00:00+08:00" "$out"
out=$("$onecard" plan refund --db "$db" --member m1 --key f1 --now 2012-02-01T00:00:00 --format json)
check "plan refund ends the term" \
  '{"member":"m1","entry":{"seq":2,"kind":"refund","at":"2012-02-01T00:00:00+08:00","amount":"888.00","score":235,"publication":"2012-01","rule_version":"88-2019.1","term":{"start":"2012-01-10T00:00:00+08:00","end":"2013-01-09T00:00:00+08:00"},"refunded_seq":1},"status":"refunded","paid_until":"2012-02-01T00:00:00+08:00"}' "$out"
"$onecard" plan buy --db "$db" --member m3 --key b1 --auto-renew --now 2012-01-15T00:00:00 >/dev/null
out=$("$onecard" plan renew-due --db "$db" --now 2013-01-14T00:00:00 --format json)
check "renew-due renews what ended by --now" \
  '{"renewed":1,"lapsed":0,"more":false,"outcomes":[{"member":"m3","result":"renewed","entry":{"seq":2,"kind":"renewal","at":"2013-01-14T00:00:00+08:00","amount":"888.00","score":0,"publication":null,"rule_version":"88-2019.1","term":{"start":"2013-01-14T00:00:00+08:00","end":"2014-01-14T00:00:00+08:00"},"automatic":true}}]}' "$out"
# January 2012: m1 paid 888.00 and was refunded in February; m3 paid 888.00. Benefits cost nothing
# yet (no benefit tables exist). Paid members in January: m1 and m3; in February only m3 (m1's
# term was cut at 2012-02-01T00:00, the first instant of February, so it ends before it).
check "economics as CSV" \
"month,charges,fees,refunds,refunded,net_fees,paying_members,paid_members,subsidy,benefit_uses,benefit_members,net,net_fees_per_paid_member,subsidy_per_paid_member,net_per_paid_member
2012-01,2,1776.00,0,0.00,1776.00,2,2,0.00,0,0,1776.00,888.00,0.00,888.00" \
  "$("$onecard" economics --db "$db" --month 2012-01 --format csv)"
check "economics as JSON" \
  '{"month":"2012-02","charges":0,"fees":"0.00","refunds":1,"refunded":"888.00","net_fees":"-888.00","paying_members":0,"paid_members":1,"subsidy":"0.00","benefit_uses":0,"benefit_members":0,"net":"-888.00","net_fees_per_paid_member":"-888.00","subsidy_per_paid_member":"0.00","net_per_paid_member":"-888.00"}' \
  "$("$onecard" economics --db "$db" --month 2012-02 --format json)"
out=$("$onecard" plan buy --db "$db" --member m1 --now 2012-03-01T00:00:00 2>&1); code=$?
check "a purchase needs a key (a usage error: CLI11's exit code)" "106 --key is required" \
  "$code $(echo "$out" | head -1)"
out=$("$onecard" plan status --db "$dir/typo.db" --member m1 2>&1); code=$?
check "the plan never creates a database" "1 no" "$code $([ -e "$dir/typo.db" ] && echo yes || echo no)"
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
check "another request under the key fails" "1 onecard: idempotency_conflict (key): key \"k1\" was used for another request (order \"o1\")" "$code $out"
out=$("$onecard" checkout reverse --db "$db" --member m1 --order o1 --now 2012-02-02T10:00:00)
check "checkout reverse" '{"member":"m1","order":"o1","reversed_at":"2012-02-02T10:00:00+08:00","replayed":false,"returned":[]}' "$out"
out=$("$onecard" benefits list --db "$db" --member m1 --format json | grep -o '{"benefit":"tmall_95"[^}]*}')
check "benefits list for a member" \
'{"benefit":"tmall_95","partner":"tmall","scenario":"buy","kind":"percent_discount","min_tier":"-","paid":"yes","availability":"not_paid","vouchers_left":"","cap_left":"1000.00","month_left":"","activation":""}' "$out"
out=$("$onecard" benefits activate --db "$db" --member m1 --benefit youku_vip 2>&1); code=$?
check "a member who has not paid cannot activate" "1" "$code"
# Points ledger (issue 5). 129.90 on the brand's shop earns 129 points (1 per unit, rounded
# down; m1's tier "registered" has no multiplier, the placeholder standing is never paid), pending
# for 15 days after the purchase (2025-03-16T10:00:00+08:00).
out=$(printf '%s\n' '{"type":"earn","program":"aurora_beauty","member":"m1","order":"b1","channel":"tmall_flagship","category":"skincare","amount":"129.90","at":"2025-03-01T10:00:00+08:00"}' |
  "$onecard" points earn --db "$db" --now 2025-03-02T00:00:00 -)
check "points earn summary" "accepted 1, duplicate 0, rejected 0; net points 129" "$out"
check "points pending in the return window" \
"m1 in aurora_beauty: 0 available, 129 pending (return window open), 0 held, debt 0" \
"$("$onecard" points balance --db "$db" --now 2025-03-02T00:00:00 m1)"
check "points expire job posts at the window's close" \
"posted 1 pending earnings (debt paid 0), voided 0 holds and exchanges, expired 0 points of 0 members" \
"$("$onecard" points expire --db "$db" --now 2025-03-16T10:00:00)"
out=$("$onecard" points redeem --db "$db" --id red-1 --member m1 --points 200 2>&1); code=$?
check "redeeming more than available fails" "1" "$code"
check "and says why" \
"onecard: insufficient_points (points): member \"m1\" has 129 points available, not 200" "$out"
out=$("$onecard" ledger verify --db "$db"); code=$?
check "ledger verify exit code" 0 "$code"
check "ledger verify" "2 batches, 2 transfers, 2 accounts, 1 programs: every invariant holds" "$out"

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
