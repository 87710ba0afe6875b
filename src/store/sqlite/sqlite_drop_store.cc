#include "store/sqlite/sqlite_drop_store.h"

#include <functional>

#include "store/sqlite/sqlite_db.h"

namespace onecard {
namespace {

using sqlite::Database;
using sqlite::Statement;

Error StoreError(std::string message) {
  return MakeError(ErrorCode::kStoreError, "", std::move(message));
}

// Runs a statement that returns no rows and resets it; `changes` (if given) gets the rows changed.
Status Run(Database& db, Statement& statement, int64_t* changes = nullptr) {
  bool failed = false;
  while (statement.Step(&failed)) {
  }
  const std::string error = statement.error();
  statement.Reset();
  if (failed) return StoreError(error);
  if (changes != nullptr) *changes = sqlite3_changes64(db.handle());
  return Status::Ok();
}

std::string EncodeUnits(const std::vector<int32_t>& units) {
  std::string out;
  for (int32_t unit : units) {
    if (!out.empty()) out += ',';
    out += std::to_string(unit);
  }
  return out;
}

Result<std::vector<int32_t>> DecodeUnits(std::string_view text) {
  std::vector<int32_t> units;
  int64_t value = -1;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',') {
      if (value < 0) return MakeError(ErrorCode::kCorruptState, "units", "bad unit list");
      units.push_back(static_cast<int32_t>(value));
      value = -1;
    } else if (text[i] >= '0' && text[i] <= '9' && value < (int64_t{1} << 31) / 10) {
      value = (value < 0 ? 0 : value * 10) + (text[i] - '0');
    } else {
      return MakeError(ErrorCode::kCorruptState, "units", "bad unit list");
    }
  }
  return units;
}

class SqliteDropStore final : public DropStore {
 public:
  Status Open(const std::string& path);

  Status Apply(const DropBatch& batch) override;
  Result<std::vector<DropClaim>> LoadClaims(const DropSlotKey& slot) override;
  Result<std::vector<DropRegistration>> LoadRegistrations(const DropSlotKey& slot) override;
  Result<std::optional<DropDraw>> LoadDraw(const DropSlotKey& slot) override;
  Result<std::vector<DropSlotKey>> SlotsWithHoldsEndingBy(Instant by) override;
  Result<std::vector<DropRules>> LoadOperatorDrops() override;
  Status SaveOperatorDrop(const DropRules& rules, Instant created_at) override;

 private:
  Status InTransaction(const std::function<Status()>& body);
  Status InsertClaim(const DropClaim& claim);
  Status DecideClaim(const DropClaim& claim);
  Status InsertRegistration(const DropRegistration& registration);
  Status InsertDraw(const DropDraw& draw);

  Database db_;
  Statement insert_claim_;
  Statement insert_unit_;
  Statement decide_claim_;
  Statement delete_unit_;
  Statement insert_registration_;
};

Status SqliteDropStore::Open(const std::string& path) {
  Status status = db_.Open(path);
  if (!status.ok()) return status;
  for (std::string_view pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
    if (status = db_.Exec(pragma); !status.ok()) return status;
  }
  struct Entry {
    Statement* statement;
    std::string_view sql;
  };
  const Entry entries[] = {
      {&insert_claim_,
       "INSERT INTO drop_claims (member, drop_id, slot_us, quantity, units, status, claimed_at_us, "
       "hold_until_us, decided_at_us, from_draw) VALUES (?, ?, ?, ?, ?, 1, ?, ?, NULL, ?)"},
      {&insert_unit_,
       "INSERT INTO drop_units (drop_id, slot_us, unit, member) VALUES (?, ?, ?, ?)"},
      {&decide_claim_,
       "UPDATE drop_claims SET status = ?, decided_at_us = ? "
       "WHERE member = ? AND drop_id = ? AND slot_us = ? AND status = 1"},
      {&delete_unit_,
       "DELETE FROM drop_units WHERE drop_id = ? AND slot_us = ? AND unit = ? AND member = ?"},
      {&insert_registration_,
       "INSERT INTO drop_registrations (member, drop_id, slot_us, quantity, registered_at_us) "
       "VALUES (?, ?, ?, ?, ?)"},
  };
  for (const Entry& entry : entries) {
    auto prepared = db_.Prepare(entry.sql);
    if (!prepared.ok()) return prepared.error();
    *entry.statement = std::move(prepared).value();
  }
  return Status::Ok();
}

Status SqliteDropStore::InTransaction(const std::function<Status()>& body) {
  Status status = db_.Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  status = body();
  if (status.ok()) status = db_.Exec("COMMIT");
  if (!status.ok()) (void)db_.Exec("ROLLBACK");
  return status;
}

Status SqliteDropStore::InsertClaim(const DropClaim& claim) {
  insert_claim_.BindText(1, claim.member);
  insert_claim_.BindText(2, claim.drop);
  insert_claim_.BindInt(3, claim.slot.us);
  insert_claim_.BindInt(4, claim.quantity);
  insert_claim_.BindText(5, EncodeUnits(claim.units));
  insert_claim_.BindInt(6, claim.claimed_at.us);
  insert_claim_.BindInt(7, claim.hold_until.us);
  insert_claim_.BindInt(8, claim.from_draw ? 1 : 0);
  if (Status status = Run(db_, insert_claim_); !status.ok()) return status;
  for (int32_t unit : claim.units) {
    insert_unit_.BindText(1, claim.drop);
    insert_unit_.BindInt(2, claim.slot.us);
    insert_unit_.BindInt(3, unit);
    insert_unit_.BindText(4, claim.member);
    if (Status status = Run(db_, insert_unit_); !status.ok()) return status;
  }
  return Status::Ok();
}

Status SqliteDropStore::DecideClaim(const DropClaim& claim) {
  decide_claim_.BindInt(1, static_cast<int64_t>(claim.status));
  decide_claim_.BindInt(2, claim.decided_at.value_or(Instant{}).us);
  decide_claim_.BindText(3, claim.member);
  decide_claim_.BindText(4, claim.drop);
  decide_claim_.BindInt(5, claim.slot.us);
  int64_t changes = 0;
  if (Status status = Run(db_, decide_claim_, &changes); !status.ok()) return status;
  if (changes != 1) {
    return StoreError("the claim of " + claim.member + " on " + claim.drop + " is not held");
  }
  if (claim.status == DropClaimStatus::kConfirmed) return Status::Ok();
  for (int32_t unit : claim.units) {
    delete_unit_.BindText(1, claim.drop);
    delete_unit_.BindInt(2, claim.slot.us);
    delete_unit_.BindInt(3, unit);
    delete_unit_.BindText(4, claim.member);
    if (Status status = Run(db_, delete_unit_, &changes); !status.ok()) return status;
    if (changes != 1) return StoreError("unit " + std::to_string(unit) + " was not the claim's");
  }
  return Status::Ok();
}

Status SqliteDropStore::InsertRegistration(const DropRegistration& registration) {
  insert_registration_.BindText(1, registration.member);
  insert_registration_.BindText(2, registration.drop);
  insert_registration_.BindInt(3, registration.slot.us);
  insert_registration_.BindInt(4, registration.quantity);
  insert_registration_.BindInt(5, registration.registered_at.us);
  return Run(db_, insert_registration_);
}

Status SqliteDropStore::InsertDraw(const DropDraw& draw) {
  auto insert = db_.Prepare(
      "INSERT INTO drop_draws (drop_id, slot_us, seed, drawn_at_us, registrants, winners, "
      "units_won) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!insert.ok()) return insert.error();
  insert->BindText(1, draw.drop);
  insert->BindInt(2, draw.slot.us);
  insert->BindText(3, draw.seed);
  insert->BindInt(4, draw.drawn_at.us);
  insert->BindInt(5, draw.registrants);
  insert->BindInt(6, draw.winners);
  insert->BindInt(7, draw.units_won);
  return Run(db_, *insert);
}

Status SqliteDropStore::Apply(const DropBatch& batch) {
  return InTransaction([&]() -> Status {
    for (const DropClaim& claim : batch.new_claims) {
      if (Status status = InsertClaim(claim); !status.ok()) return status;
    }
    for (const DropClaim& claim : batch.decided_claims) {
      if (Status status = DecideClaim(claim); !status.ok()) return status;
    }
    for (const DropRegistration& registration : batch.registrations) {
      if (Status status = InsertRegistration(registration); !status.ok()) return status;
    }
    for (const DropDraw& draw : batch.draws) {
      if (Status status = InsertDraw(draw); !status.ok()) return status;
    }
    return Status::Ok();
  });
}

Result<std::vector<DropClaim>> SqliteDropStore::LoadClaims(const DropSlotKey& slot) {
  auto query = db_.Prepare(
      "SELECT member, quantity, units, status, claimed_at_us, hold_until_us, decided_at_us, "
      "from_draw FROM drop_claims WHERE drop_id = ? AND slot_us = ? ORDER BY member");
  if (!query.ok()) return query.error();
  query->BindText(1, slot.drop);
  query->BindInt(2, slot.slot.us);
  std::vector<DropClaim> claims;
  bool failed = false;
  while (query->Step(&failed)) {
    DropClaim claim;
    claim.drop = slot.drop;
    claim.slot = slot.slot;
    claim.member = std::string(query->ColumnText(0));
    claim.quantity = query->ColumnInt(1);
    auto units = DecodeUnits(query->ColumnText(2));
    const std::optional<DropClaimStatus> status = ParseDropClaimStatus(query->ColumnInt(3));
    if (!units.ok() || !status.has_value() ||
        static_cast<int64_t>(units->size()) != claim.quantity) {
      return MakeError(ErrorCode::kCorruptState, "drop_claims",
                       "the claim of " + claim.member + " on " + slot.drop + " is unreadable");
    }
    claim.units = std::move(units).value();
    claim.status = *status;
    claim.claimed_at = Instant{query->ColumnInt(4)};
    claim.hold_until = Instant{query->ColumnInt(5)};
    if (!query->ColumnIsNull(6)) claim.decided_at = Instant{query->ColumnInt(6)};
    claim.from_draw = query->ColumnInt(7) != 0;
    claims.push_back(std::move(claim));
  }
  if (failed) return StoreError(query->error());
  return claims;
}

Result<std::vector<DropRegistration>> SqliteDropStore::LoadRegistrations(const DropSlotKey& slot) {
  auto query = db_.Prepare(
      "SELECT member, quantity, registered_at_us FROM drop_registrations "
      "WHERE drop_id = ? AND slot_us = ? ORDER BY member");
  if (!query.ok()) return query.error();
  query->BindText(1, slot.drop);
  query->BindInt(2, slot.slot.us);
  std::vector<DropRegistration> registrations;
  bool failed = false;
  while (query->Step(&failed)) {
    registrations.push_back(DropRegistration{slot.drop, slot.slot,
                                             std::string(query->ColumnText(0)), query->ColumnInt(1),
                                             Instant{query->ColumnInt(2)}});
  }
  if (failed) return StoreError(query->error());
  return registrations;
}

Result<std::optional<DropDraw>> SqliteDropStore::LoadDraw(const DropSlotKey& slot) {
  auto query = db_.Prepare(
      "SELECT seed, drawn_at_us, registrants, winners, units_won FROM drop_draws "
      "WHERE drop_id = ? AND slot_us = ?");
  if (!query.ok()) return query.error();
  query->BindText(1, slot.drop);
  query->BindInt(2, slot.slot.us);
  bool failed = false;
  if (!query->Step(&failed)) {
    if (failed) return StoreError(query->error());
    return std::optional<DropDraw>();
  }
  return std::optional<DropDraw>(DropDraw{slot.drop, slot.slot, std::string(query->ColumnText(0)),
                                          Instant{query->ColumnInt(1)}, query->ColumnInt(2),
                                          query->ColumnInt(3), query->ColumnInt(4)});
}

Result<std::vector<DropSlotKey>> SqliteDropStore::SlotsWithHoldsEndingBy(Instant by) {
  auto query = db_.Prepare(
      "SELECT DISTINCT drop_id, slot_us FROM drop_claims WHERE status = 1 AND hold_until_us <= ? "
      "ORDER BY drop_id, slot_us");
  if (!query.ok()) return query.error();
  query->BindInt(1, by.us);
  std::vector<DropSlotKey> slots;
  bool failed = false;
  while (query->Step(&failed)) {
    slots.push_back(DropSlotKey{std::string(query->ColumnText(0)), Instant{query->ColumnInt(1)}});
  }
  if (failed) return StoreError(query->error());
  return slots;
}

Result<std::vector<DropRules>> SqliteDropStore::LoadOperatorDrops() {
  auto query = db_.Prepare(
      "SELECT id, product, mode, weekdays, date_day, minute_of_day, units_per_slot, "
      "per_member_limit, window_minutes, hold_minutes, paid_plan, min_tier "
      "FROM drop_definitions ORDER BY id");
  if (!query.ok()) return query.error();
  std::vector<DropRules> drops;
  bool failed = false;
  while (query->Step(&failed)) {
    DropRules rules;
    rules.id = std::string(query->ColumnText(0));
    rules.product = std::string(query->ColumnText(1));
    rules.mode = query->ColumnInt(2) == 1 ? DropMode::kLottery : DropMode::kFirstCome;
    rules.schedule.weekdays = static_cast<uint8_t>(query->ColumnInt(3));
    if (!query->ColumnIsNull(4)) {
      rules.schedule.date = LocalDay{static_cast<int32_t>(query->ColumnInt(4))};
    }
    rules.schedule.minute_of_day = static_cast<int32_t>(query->ColumnInt(5));
    rules.units_per_slot = query->ColumnInt(6);
    rules.per_member_limit = query->ColumnInt(7);
    rules.window_minutes = static_cast<int32_t>(query->ColumnInt(8));
    rules.hold_minutes = static_cast<int32_t>(query->ColumnInt(9));
    rules.eligibility.paid_plan = query->ColumnInt(10) != 0;
    rules.eligibility.min_tier = std::string(query->ColumnText(11));
    drops.push_back(std::move(rules));
  }
  if (failed) return StoreError(query->error());
  return drops;
}

Status SqliteDropStore::SaveOperatorDrop(const DropRules& rules, Instant created_at) {
  return InTransaction([&]() -> Status {
    auto insert = db_.Prepare(
        "INSERT INTO drop_definitions (id, product, mode, weekdays, date_day, minute_of_day, "
        "units_per_slot, per_member_limit, window_minutes, hold_minutes, paid_plan, min_tier, "
        "created_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.error();
    Statement& s = *insert;
    s.BindText(1, rules.id);
    s.BindText(2, rules.product);
    s.BindInt(3, rules.mode == DropMode::kLottery ? 1 : 0);
    s.BindInt(4, rules.schedule.weekdays);
    if (rules.schedule.date.has_value()) {
      s.BindInt(5, rules.schedule.date->value);
    } else {
      s.BindNull(5);
    }
    s.BindInt(6, rules.schedule.minute_of_day);
    s.BindInt(7, rules.units_per_slot);
    s.BindInt(8, rules.per_member_limit);
    s.BindInt(9, rules.window_minutes);
    s.BindInt(10, rules.hold_minutes);
    s.BindInt(11, rules.eligibility.paid_plan ? 1 : 0);
    s.BindText(12, rules.eligibility.min_tier);
    s.BindInt(13, created_at.us);
    Status status = Run(db_, s);
    if (!status.ok() && status.error().message.find("UNIQUE") != std::string::npos) {
      return MakeError(ErrorCode::kDropExists, "id", "an operator drop " + rules.id + " exists");
    }
    return status;
  });
}

}  // namespace

Result<std::unique_ptr<DropStore>> OpenSqliteDropStore(const std::string& path) {
  auto store = std::make_unique<SqliteDropStore>();
  if (Status status = store->Open(path); !status.ok()) return status.error();
  return std::unique_ptr<DropStore>(std::move(store));
}

}  // namespace onecard
