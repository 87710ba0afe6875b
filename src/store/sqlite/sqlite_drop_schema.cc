#include "store/sqlite/sqlite_drop_schema.h"

namespace onecard::sqlite {

std::string_view DropSchemaMigration() {
  // Member-scoped tables (claims, registrations) lead their key with the member. Unit rows are
  // keyed by the unit, so that the database itself refuses a unit sold twice; they exist only
  // while a claim holds or bought the unit.
  return R"sql(
CREATE TABLE drop_definitions (
  id               TEXT PRIMARY KEY,
  product          TEXT NOT NULL,
  mode             INTEGER NOT NULL,
  weekdays         INTEGER NOT NULL,
  date_day         INTEGER,
  minute_of_day    INTEGER NOT NULL,
  units_per_slot   INTEGER NOT NULL,
  per_member_limit INTEGER NOT NULL,
  window_minutes   INTEGER NOT NULL,
  hold_minutes     INTEGER NOT NULL,
  paid_plan        INTEGER NOT NULL,
  min_tier         TEXT NOT NULL,
  created_at_us    INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE drop_claims (
  member        TEXT NOT NULL,
  drop_id       TEXT NOT NULL,
  slot_us       INTEGER NOT NULL,
  quantity      INTEGER NOT NULL CHECK (quantity >= 1),
  units         TEXT NOT NULL,
  status        INTEGER NOT NULL CHECK (status BETWEEN 1 AND 4),
  claimed_at_us INTEGER NOT NULL,
  hold_until_us INTEGER NOT NULL,
  decided_at_us INTEGER,
  from_draw     INTEGER NOT NULL,
  PRIMARY KEY (member, drop_id, slot_us)
) WITHOUT ROWID;
CREATE INDEX drop_claims_by_slot ON drop_claims (drop_id, slot_us, member);
CREATE INDEX drop_claims_held ON drop_claims (hold_until_us, drop_id, slot_us) WHERE status = 1;

CREATE TABLE drop_units (
  drop_id TEXT NOT NULL,
  slot_us INTEGER NOT NULL,
  unit    INTEGER NOT NULL CHECK (unit >= 0),
  member  TEXT NOT NULL,
  PRIMARY KEY (drop_id, slot_us, unit)
) WITHOUT ROWID;

CREATE TABLE drop_registrations (
  member           TEXT NOT NULL,
  drop_id          TEXT NOT NULL,
  slot_us          INTEGER NOT NULL,
  quantity         INTEGER NOT NULL CHECK (quantity >= 1),
  registered_at_us INTEGER NOT NULL,
  PRIMARY KEY (member, drop_id, slot_us)
) WITHOUT ROWID;
CREATE INDEX drop_registrations_by_slot ON drop_registrations (drop_id, slot_us, member);

CREATE TABLE drop_draws (
  drop_id     TEXT NOT NULL,
  slot_us     INTEGER NOT NULL,
  seed        TEXT NOT NULL,
  drawn_at_us INTEGER NOT NULL,
  registrants INTEGER NOT NULL,
  winners     INTEGER NOT NULL,
  units_won   INTEGER NOT NULL,
  PRIMARY KEY (drop_id, slot_us)
) WITHOUT ROWID;
)sql";
}

}  // namespace onecard::sqlite
