#include "store/sqlite/sqlite_benefit_schema.h"

namespace onecard::sqlite {

// Member-scoped tables lead their key with the member. Budget shards are the only hot global
// rows: a budget is split into shards so that concurrent commits touch different rows.
const std::string_view kBenefitSchemaSql = R"sql(
-- Each member's version: every batch that writes a member bumps it, conditional on the version
-- the checkout service read (the per-member serialisation point across processes).
CREATE TABLE checkout_members (
  member  TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per committed order, keyed by its idempotency key; record holds the encoded quote and
-- the windows of the use (core/checkout_record.h).
CREATE TABLE checkout_commits (
  member         TEXT NOT NULL,
  key            TEXT NOT NULL,
  order_id       TEXT NOT NULL,
  fingerprint    INTEGER NOT NULL,
  at_us          INTEGER NOT NULL,
  month          INTEGER NOT NULL,
  uses           INTEGER NOT NULL,
  cost           INTEGER NOT NULL,
  record         BLOB NOT NULL,
  reversed_at_us INTEGER,
  PRIMARY KEY (member, key)
) WITHOUT ROWID;
-- Economics (cost per month) reads the orders that used a benefit by month.
CREATE INDEX checkout_commits_by_month ON checkout_commits (month, member) WHERE uses > 0;

-- Used amount of each shard of each budget; period 0 is the total budget, else a month.
CREATE TABLE benefit_budget_shards (
  benefit TEXT NOT NULL,
  period  INTEGER NOT NULL,
  shard   INTEGER NOT NULL,
  used    INTEGER NOT NULL,
  PRIMARY KEY (benefit, period, shard)
) WITHOUT ROWID;

-- Subscription activations with the partner: one per member, benefit and paid term.
CREATE TABLE benefit_fulfilments (
  member          TEXT NOT NULL,
  benefit         TEXT NOT NULL,
  term_start_us   INTEGER NOT NULL,
  status          INTEGER NOT NULL,
  confirmation    TEXT NOT NULL,
  attempts        INTEGER NOT NULL,
  last_error      TEXT NOT NULL,
  requested_at_us INTEGER NOT NULL,
  confirmed_at_us INTEGER,
  month           INTEGER NOT NULL,
  cost            INTEGER NOT NULL,
  PRIMARY KEY (member, benefit, term_start_us)
) WITHOUT ROWID;
CREATE INDEX benefit_fulfilments_pending ON benefit_fulfilments (requested_at_us) WHERE status = 0;
CREATE INDEX benefit_fulfilments_by_month ON benefit_fulfilments (month, member);
)sql";

}  // namespace onecard::sqlite
