#include "store/sqlite/sqlite_plan_schema.h"

namespace onecard::sqlite {

std::string_view PlanSchemaSql() {
  // Every table leads its key with the member. Times are UTC microseconds, money minor units.
  return R"sql(
-- The current membership of each member who ever made a plan request (store/plan_store.h).
CREATE TABLE plan_memberships (
  member        TEXT PRIMARY KEY,
  status        TEXT NOT NULL,
  paid_until_us INTEGER NOT NULL,
  auto_renew    INTEGER NOT NULL,
  entries       INTEGER NOT NULL,
  version       INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
) WITHOUT ROWID;
-- What the renewal job looks for: auto renewal on, the plan in force, paid until a past moment.
CREATE INDEX plan_memberships_due ON plan_memberships (paid_until_us)
  WHERE auto_renew = 1 AND status IN ('active', 'expired');

-- Purchases, renewals and refunds: the plan's money, immutable. A refund names the charge it
-- refunds (refunded_seq) and repeats its score, publication, rule version and term.
CREATE TABLE plan_charges (
  member        TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  kind          TEXT NOT NULL,
  at_us         INTEGER NOT NULL,
  amount_minor  INTEGER NOT NULL,
  score         INTEGER NOT NULL,
  publication   INTEGER,
  rule_version  TEXT NOT NULL,
  term_start_us INTEGER NOT NULL,
  term_end_us   INTEGER NOT NULL,
  refunded_seq  INTEGER,
  automatic     INTEGER NOT NULL,
  PRIMARY KEY (member, seq)
) WITHOUT ROWID;
-- Economics sums a month of charges.
CREATE INDEX plan_charges_by_at ON plan_charges (at_us);

-- Suspensions, reinstatements and revocations, numbered in one sequence with the charges.
CREATE TABLE plan_status_changes (
  member TEXT NOT NULL,
  seq    INTEGER NOT NULL,
  kind   TEXT NOT NULL,
  at_us  INTEGER NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (member, seq)
) WITHOUT ROWID;

-- Idempotency keys of purchases, renewals and refunds, written in the transaction of their
-- entry: the request they were first used with and the entry they made.
CREATE TABLE plan_idempotency_keys (
  member  TEXT NOT NULL,
  key     TEXT NOT NULL,
  request TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  PRIMARY KEY (member, key)
) WITHOUT ROWID;
)sql";
}

}  // namespace onecard::sqlite
