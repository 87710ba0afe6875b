#!/usr/bin/env python3
"""An independent cross-check of the 2011-12 publication of the online-retail year.

Not part of the test run (the project has no Python dependency): it re-derives every score from
the CSV with PRODUCT §2's rules, simplified to what this data set can exercise (one shop, one
category, physical goods, refunds naming no order, credit level 3), and compares them with
`onecard scores --format csv`. It was used to pin the figures in tests/unit/retail_replay_test.cc.

  zstd -dc data/online-retail/online_retail_2010-12_2011-12.csv.zst > /tmp/retail.csv
  onecard scores --db retail.db --month 2011-12 --format csv > /tmp/onecard.csv
  python3 tests/data/retail_cross_check.py /tmp/retail.csv /tmp/onecard.csv
"""
import collections
import csv
import sys
from decimal import Decimal, ROUND_HALF_UP

INSTANT = "2011-12-08 00:00:00"  # program-local; the CSV's times are read as program time
WINDOW = ("2010-12", "2011-11")


def invoices(path):
    found = collections.OrderedDict()
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            number, customer = row["InvoiceNo"], row["CustomerID"]
            if not customer or number.startswith("A"):
                continue
            invoice = found.setdefault(number, {
                "member": customer[:-2] if customer.endswith(".0") else customer,
                "at": row["InvoiceDate"], "sum": Decimal(0)})
            invoice["sum"] += Decimal(row["Quantity"]) * Decimal(row["UnitPrice"])
    return found


def scores(path):
    purchases, covered = collections.defaultdict(list), set()
    for number, invoice in invoices(path).items():
        amount = abs(invoice["sum"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if invoice["at"] < INSTANT:
            covered.add(invoice["member"])
        if not number.startswith("C"):
            purchases[invoice["member"]].append((invoice["at"], amount))
    result = {}
    for member in covered:
        days, active = collections.defaultdict(lambda: collections.defaultdict(int)), set()
        for at, amount in purchases.get(member, []):
            month = at[:7]
            if not WINDOW[0] <= month <= WINDOW[1]:
                continue
            points = min(50, int(amount // 10))  # floor(net × 0.1), at most 50 an order
            days[month][at[:10]] += points
            if amount > 0:
                active.add(month)
        shopping = 0
        for month, by_day in days.items():
            p = sum(by_day.values())
            d = sum(min(80, v) for v in by_day.values())
            shopping += min(200, d, min(120, p), min(120, p))  # one shop, one category
        result[member] = 200 + shopping + 5 * len(active)  # credit 3: base 200, × 1.0
    return result


def main():
    expected = scores(sys.argv[1])
    with open(sys.argv[2], newline="") as f:
        actual = {row["member"]: int(row["score"]) for row in csv.DictReader(f)}
    differ = sorted(m for m in set(expected) | set(actual) if expected.get(m) != actual.get(m))
    tiers = collections.Counter(
        "registered" if s < 300 else "standard" if s < 1000 else "super" for s in expected.values())
    print(f"{len(expected)} members, Σscore {sum(expected.values())}, {dict(tiers)}")
    print(f"{len(differ)} members differ" + (f", e.g. {differ[:5]}" if differ else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
