#include "store/sqlite/sqlite_plan_store.h"

#include <algorithm>
#include <string>
#include <utility>

#include "store/sqlite/sqlite_db.h"

namespace onecard {
namespace {

using sqlite::Database;
using sqlite::Statement;

// Runs a statement to its end and resets it; errors name the SQL that failed.
Status RunToEnd(Statement* statement) {
  bool failed = false;
  while (statement->Step(&failed)) {
  }
  Error error = MakeError(ErrorCode::kStoreError, "", statement->error());
  statement->Reset();
  if (failed) return error;
  return Status::Ok();
}

Error CorruptRow(std::string_view what) {
  return MakeError(ErrorCode::kCorruptState, "plan", "a stored plan row " + std::string(what));
}

constexpr std::string_view kChargeColumns =
    "seq, kind, at_us, amount_minor, score, publication, rule_version, term_start_us, "
    "term_end_us, refunded_seq, automatic";

class SqlitePlanStore final : public PlanStore {
 public:
  Status Open(const std::string& path);

  Result<std::optional<PlanPublishedScore>> LatestPublishedScore(std::string_view member,
                                                                 Instant at) override;
  Result<PlanMemberRecord> LoadMember(std::string_view member) override;
  Result<std::optional<PlanKeyRecord>> FindKey(std::string_view member,
                                               std::string_view key) override;
  Status Commit(const PlanWrite& write) override;
  Result<std::vector<std::string>> MembersDueForRenewal(Instant now, int64_t limit) override;
  Result<PlanFees> FeesBetween(Instant from, Instant to) override;

 private:
  Status Prepare();
  Result<std::optional<PlanMembershipRow>> ReadMembership(std::string_view member);
  Status ReadCharges(std::string_view member, std::vector<PlanEntry>* history);
  Status ReadStatusChanges(std::string_view member, std::vector<PlanEntry>* history);
  // The body of Commit, inside its transaction.
  Status WriteChange(const PlanWrite& write);
  Status InsertEntry(const std::string& member, const PlanEntry& entry);

  Database db_;
  Statement latest_score_;
  Statement load_membership_;
  Statement load_charges_;
  Statement load_status_changes_;
  Statement find_key_;
  Statement insert_key_;
  Statement insert_charge_;
  Statement insert_status_change_;
  Statement upsert_membership_;
  Statement due_;
};

Status SqlitePlanStore::Open(const std::string& path) {
  if (Status opened = db_.Open(path); !opened.ok()) return opened;
  for (std::string_view pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"}) {
    if (Status set = db_.Exec(pragma); !set.ok()) return set;
  }
  return Prepare();
}

Status SqlitePlanStore::Prepare() {
  struct Entry {
    Statement* statement;
    std::string sql;
  };
  const Entry entries[] = {
      {&latest_score_,
       "SELECT s.month, s.score, s.tier FROM published_scores s JOIN publications p "
       "ON p.month = s.month WHERE s.member = ?1 AND p.published_at_us <= ?2 "
       "ORDER BY s.month DESC LIMIT 1"},
      {&load_membership_,
       "SELECT status, paid_until_us, auto_renew, entries, version, updated_at_us "
       "FROM plan_memberships WHERE member = ?"},
      {&load_charges_, "SELECT " + std::string(kChargeColumns) +
                           " FROM plan_charges WHERE member = ? ORDER BY seq"},
      {&load_status_changes_,
       "SELECT seq, kind, at_us, reason FROM plan_status_changes WHERE member = ? ORDER BY seq"},
      {&find_key_, "SELECT request, seq FROM plan_idempotency_keys WHERE member = ? AND key = ?"},
      {&insert_key_,
       "INSERT INTO plan_idempotency_keys (member, key, request, seq) VALUES (?, ?, ?, ?)"},
      {&insert_charge_, "INSERT INTO plan_charges (member, " + std::string(kChargeColumns) +
                            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
      {&insert_status_change_,
       "INSERT INTO plan_status_changes (member, seq, kind, at_us, reason) VALUES (?, ?, ?, ?, ?)"},
      {&upsert_membership_,
       "INSERT OR REPLACE INTO plan_memberships (member, status, paid_until_us, auto_renew, "
       "entries, version, updated_at_us) VALUES (?, ?, ?, ?, ?, ?, ?)"},
      {&due_,
       "SELECT member FROM plan_memberships WHERE auto_renew = 1 AND "
       "status IN ('active', 'expired') AND paid_until_us <= ? "
       "ORDER BY paid_until_us, member LIMIT ?"},
  };
  for (const Entry& entry : entries) {
    auto prepared = db_.Prepare(entry.sql);
    if (!prepared.ok()) return prepared.error();
    *entry.statement = std::move(prepared).value();
  }
  return Status::Ok();
}

Result<std::optional<PlanPublishedScore>> SqlitePlanStore::LatestPublishedScore(
    std::string_view member, Instant at) {
  latest_score_.BindText(1, member);
  latest_score_.BindInt(2, at.us);
  bool failed = false;
  std::optional<PlanPublishedScore> found;
  if (latest_score_.Step(&failed)) {
    found =
        PlanPublishedScore{MonthKey{static_cast<int32_t>(latest_score_.ColumnInt(0))},
                           latest_score_.ColumnInt(1), std::string(latest_score_.ColumnText(2))};
  }
  Error error = MakeError(ErrorCode::kStoreError, "", latest_score_.error());
  latest_score_.Reset();
  if (failed) return error;
  return found;
}

Result<std::optional<PlanMembershipRow>> SqlitePlanStore::ReadMembership(std::string_view member) {
  Statement& s = load_membership_;
  s.BindText(1, member);
  bool failed = false;
  std::optional<PlanMembershipRow> row;
  if (s.Step(&failed)) {
    PlanMembershipRow value;
    value.member = std::string(member);
    bool known = false;
    for (PlanStatus status :
         {PlanStatus::kNone, PlanStatus::kActive, PlanStatus::kExpired, PlanStatus::kRefunded,
          PlanStatus::kSuspended, PlanStatus::kRevoked}) {
      if (PlanStatusName(status) == s.ColumnText(0)) {
        value.status = status;
        known = true;
      }
    }
    value.paid_until = Instant{s.ColumnInt(1)};
    value.auto_renew = s.ColumnInt(2) != 0;
    value.entries = s.ColumnInt(3);
    value.version = s.ColumnInt(4);
    value.updated_at = Instant{s.ColumnInt(5)};
    if (!known) {
      s.Reset();
      return CorruptRow("has an unknown membership status");
    }
    row = std::move(value);
  }
  Error error = MakeError(ErrorCode::kStoreError, "", s.error());
  s.Reset();
  if (failed) return error;
  return row;
}

Status SqlitePlanStore::ReadCharges(std::string_view member, std::vector<PlanEntry>* history) {
  Statement& s = load_charges_;
  s.BindText(1, member);
  bool failed = false;
  while (s.Step(&failed)) {
    PlanEntry entry;
    entry.seq = s.ColumnInt(0);
    const std::optional<PlanEntryKind> kind = ParsePlanEntryKind(s.ColumnText(1));
    if (!kind.has_value() || !(IsPlanCharge(*kind) || *kind == PlanEntryKind::kRefund)) {
      s.Reset();
      return CorruptRow("in plan_charges has an unknown kind");
    }
    entry.kind = *kind;
    entry.at = Instant{s.ColumnInt(2)};
    entry.amount = Money{s.ColumnInt(3)};
    entry.score = s.ColumnInt(4);
    if (!s.ColumnIsNull(5)) entry.publication = MonthKey{static_cast<int32_t>(s.ColumnInt(5))};
    entry.rule_version = std::string(s.ColumnText(6));
    entry.term = PlanTerm{Instant{s.ColumnInt(7)}, Instant{s.ColumnInt(8)}};
    if (!s.ColumnIsNull(9)) entry.refunded_seq = s.ColumnInt(9);
    entry.automatic = s.ColumnInt(10) != 0;
    history->push_back(std::move(entry));
  }
  Error error = MakeError(ErrorCode::kStoreError, "", s.error());
  s.Reset();
  if (failed) return error;
  return Status::Ok();
}

Status SqlitePlanStore::ReadStatusChanges(std::string_view member,
                                          std::vector<PlanEntry>* history) {
  Statement& s = load_status_changes_;
  s.BindText(1, member);
  bool failed = false;
  while (s.Step(&failed)) {
    PlanEntry entry;
    entry.seq = s.ColumnInt(0);
    const std::optional<PlanEntryKind> kind = ParsePlanEntryKind(s.ColumnText(1));
    if (!kind.has_value() || IsPlanCharge(*kind) || *kind == PlanEntryKind::kRefund) {
      s.Reset();
      return CorruptRow("in plan_status_changes has an unknown kind");
    }
    entry.kind = *kind;
    entry.at = Instant{s.ColumnInt(2)};
    entry.reason = std::string(s.ColumnText(3));
    history->push_back(std::move(entry));
  }
  Error error = MakeError(ErrorCode::kStoreError, "", s.error());
  s.Reset();
  if (failed) return error;
  return Status::Ok();
}

Result<PlanMemberRecord> SqlitePlanStore::LoadMember(std::string_view member) {
  // One read transaction, so that the row and the history are of the same moment.
  if (Status begun = db_.Exec("BEGIN"); !begun.ok()) return begun.error();
  PlanMemberRecord record;
  Status status = Status::Ok();
  auto membership = ReadMembership(member);
  if (!membership.ok()) {
    status = membership.error();
  } else {
    record.membership = std::move(membership).value();
    status = ReadCharges(member, &record.history);
    if (status.ok()) status = ReadStatusChanges(member, &record.history);
  }
  (void)db_.Exec(status.ok() ? "COMMIT" : "ROLLBACK");
  if (!status.ok()) return status.error();
  std::sort(record.history.begin(), record.history.end(),
            [](const PlanEntry& a, const PlanEntry& b) { return a.seq < b.seq; });
  for (size_t i = 0; i < record.history.size(); ++i) {
    if (record.history[i].seq != static_cast<int64_t>(i) + 1) {
      return CorruptRow("sequence has a gap or a repeat");
    }
  }
  const int64_t entries = record.membership ? record.membership->entries : 0;
  if (entries != static_cast<int64_t>(record.history.size())) {
    return CorruptRow("count differs from the membership's");
  }
  return record;
}

Result<std::optional<PlanKeyRecord>> SqlitePlanStore::FindKey(std::string_view member,
                                                              std::string_view key) {
  find_key_.BindText(1, member);
  find_key_.BindText(2, key);
  bool failed = false;
  std::optional<PlanKeyRecord> found;
  if (find_key_.Step(&failed)) {
    found = PlanKeyRecord{std::string(find_key_.ColumnText(0)), find_key_.ColumnInt(1)};
  }
  Error error = MakeError(ErrorCode::kStoreError, "", find_key_.error());
  find_key_.Reset();
  if (failed) return error;
  return found;
}

Status SqlitePlanStore::InsertEntry(const std::string& member, const PlanEntry& entry) {
  if (!IsPlanCharge(entry.kind) && entry.kind != PlanEntryKind::kRefund) {
    Statement& s = insert_status_change_;
    s.BindText(1, member);
    s.BindInt(2, entry.seq);
    s.BindText(3, PlanEntryKindName(entry.kind));
    s.BindInt(4, entry.at.us);
    s.BindText(5, entry.reason);
    return RunToEnd(&s);
  }
  Statement& s = insert_charge_;
  s.BindText(1, member);
  s.BindInt(2, entry.seq);
  s.BindText(3, PlanEntryKindName(entry.kind));
  s.BindInt(4, entry.at.us);
  s.BindInt(5, entry.amount.minor);
  s.BindInt(6, entry.score);
  if (entry.publication.has_value()) {
    s.BindInt(7, entry.publication->value);
  } else {
    s.BindNull(7);
  }
  s.BindText(8, entry.rule_version);
  s.BindInt(9, entry.term.start.us);
  s.BindInt(10, entry.term.end.us);
  if (entry.kind == PlanEntryKind::kRefund) {
    s.BindInt(11, entry.refunded_seq);
  } else {
    s.BindNull(11);
  }
  s.BindInt(12, entry.automatic ? 1 : 0);
  return RunToEnd(&s);
}

Status SqlitePlanStore::WriteChange(const PlanWrite& write) {
  const std::string& member = write.membership.member;
  auto current = ReadMembership(member);
  if (!current.ok()) return current.error();
  const int64_t version = current->has_value() ? (*current)->version : 0;
  if (version != write.expected_version) {
    return MakeError(ErrorCode::kConcurrentUpdate, "member",
                     "the member's plan changed while the request was decided");
  }
  if (write.key.has_value()) {
    auto existing = FindKey(member, *write.key);
    if (!existing.ok()) return existing.error();
    if (existing->has_value()) {
      return MakeError(ErrorCode::kConcurrentUpdate, "key",
                       "the key was used by a concurrent request");
    }
    insert_key_.BindText(1, member);
    insert_key_.BindText(2, *write.key);
    insert_key_.BindText(3, write.request);
    insert_key_.BindInt(4, write.entry.has_value() ? write.entry->seq : 0);
    if (Status inserted = RunToEnd(&insert_key_); !inserted.ok()) return inserted;
  }
  if (write.entry.has_value()) {
    if (Status inserted = InsertEntry(member, *write.entry); !inserted.ok()) return inserted;
  }
  const PlanMembershipRow& row = write.membership;
  Statement& s = upsert_membership_;
  s.BindText(1, member);
  s.BindText(2, PlanStatusName(row.status));
  s.BindInt(3, row.paid_until.us);
  s.BindInt(4, row.auto_renew ? 1 : 0);
  s.BindInt(5, row.entries);
  s.BindInt(6, write.expected_version + 1);
  s.BindInt(7, row.updated_at.us);
  return RunToEnd(&s);
}

Status SqlitePlanStore::Commit(const PlanWrite& write) {
  if (Status begun = db_.Exec("BEGIN IMMEDIATE"); !begun.ok()) return begun;
  Status status = WriteChange(write);
  if (status.ok()) status = db_.Exec("COMMIT");
  if (!status.ok()) (void)db_.Exec("ROLLBACK");
  return status;
}

Result<std::vector<std::string>> SqlitePlanStore::MembersDueForRenewal(Instant now, int64_t limit) {
  due_.BindInt(1, now.us);
  due_.BindInt(2, limit);
  std::vector<std::string> members;
  bool failed = false;
  while (due_.Step(&failed)) members.emplace_back(due_.ColumnText(0));
  Error error = MakeError(ErrorCode::kStoreError, "", due_.error());
  due_.Reset();
  if (failed) return error;
  return members;
}

Result<PlanFees> SqlitePlanStore::FeesBetween(Instant from, Instant to) {
  // Paid members: a charge's term, as a refund cut it short (a renewal refunded before its term
  // began ends before it starts), overlaps [from, to).
  auto query = db_.Prepare(R"sql(
SELECT
  (SELECT count(*) FROM plan_charges
     WHERE kind IN ('purchase', 'renewal') AND at_us >= ?1 AND at_us < ?2),
  (SELECT coalesce(sum(amount_minor), 0) FROM plan_charges
     WHERE kind IN ('purchase', 'renewal') AND at_us >= ?1 AND at_us < ?2),
  (SELECT count(DISTINCT member) FROM plan_charges
     WHERE kind IN ('purchase', 'renewal') AND at_us >= ?1 AND at_us < ?2),
  (SELECT count(*) FROM plan_charges WHERE kind = 'refund' AND at_us >= ?1 AND at_us < ?2),
  (SELECT coalesce(sum(amount_minor), 0) FROM plan_charges
     WHERE kind = 'refund' AND at_us >= ?1 AND at_us < ?2),
  (SELECT count(DISTINCT c.member) FROM plan_charges c
     LEFT JOIN plan_charges r
       ON r.member = c.member AND r.kind = 'refund' AND r.refunded_seq = c.seq
     WHERE c.kind IN ('purchase', 'renewal') AND c.term_start_us < ?2
       AND min(c.term_end_us, coalesce(r.at_us, c.term_end_us)) > max(?1, c.term_start_us))
)sql");
  if (!query.ok()) return query.error();
  query->BindInt(1, from.us);
  query->BindInt(2, to.us);
  bool failed = false;
  if (!query->Step(&failed)) {
    return MakeError(ErrorCode::kStoreError, "", query->error());
  }
  PlanFees fees;
  fees.charges = query->ColumnInt(0);
  fees.charged = Money{query->ColumnInt(1)};
  fees.paying_members = query->ColumnInt(2);
  fees.refunds = query->ColumnInt(3);
  fees.refunded = Money{query->ColumnInt(4)};
  fees.paid_members = query->ColumnInt(5);
  return fees;
}

}  // namespace

Result<std::unique_ptr<PlanStore>> OpenSqlitePlanStore(const std::string& path) {
  auto store = std::make_unique<SqlitePlanStore>();
  if (Status opened = store->Open(path); !opened.ok()) return opened.error();
  return std::unique_ptr<PlanStore>(std::move(store));
}

}  // namespace onecard
