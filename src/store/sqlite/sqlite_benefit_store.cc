#include "store/sqlite/sqlite_benefit_store.h"

#include <functional>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "core/checkout_limits.h"
#include "store/sqlite/sqlite_db.h"

namespace onecard {
namespace {

using sqlite::Database;
using sqlite::Statement;

Error StepError(const Statement& statement) {
  return MakeError(ErrorCode::kStoreError, "", statement.error());
}

Error Conflict(const std::string& what) {
  return MakeError(ErrorCode::kConcurrentUpdate, "", what + " was changed by another writer");
}

// Runs a statement that returns no rows and resets it; *changes gets the rows it changed.
Status Run(Database& db, Statement& statement, int64_t* changes = nullptr) {
  bool failed = false;
  while (statement.Step(&failed)) {
  }
  if (changes != nullptr) *changes = sqlite3_changes64(db.handle());
  if (failed) {
    Error error = StepError(statement);
    statement.Reset();
    return error;
  }
  statement.Reset();
  return Status::Ok();
}

// The WAL is folded back into the database file (a checkpoint, with its own fsync) once it holds
// 16,384 pages (64 MiB) rather than SQLite's 1,000: a group commit of thousands of orders dirties
// more than 1,000 pages, so the default checkpointed after nearly every batch, writing each hot
// page twice per batch and adding an fsync to every commit.
Status OpenConnection(Database& db, const std::string& path) {
  if (Status s = db.Open(path); !s.ok()) return s;
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA cache_size=-65536",
        "PRAGMA temp_store=MEMORY", "PRAGMA wal_autocheckpoint=16384"}) {
    if (Status s = db.Exec(pragma); !s.ok()) return s;
  }
  return Status::Ok();
}

Fulfilment ReadFulfilment(const Statement& s) {
  Fulfilment f;
  f.member = std::string(s.ColumnText(0));
  f.benefit = std::string(s.ColumnText(1));
  f.term_start_us = s.ColumnInt(2);
  f.status = static_cast<FulfilmentStatus>(s.ColumnInt(3));
  f.confirmation = std::string(s.ColumnText(4));
  f.attempts = static_cast<int32_t>(s.ColumnInt(5));
  f.last_error = std::string(s.ColumnText(6));
  f.requested_at = Instant{s.ColumnInt(7)};
  if (!s.ColumnIsNull(8)) f.confirmed_at = Instant{s.ColumnInt(8)};
  f.month = MonthKey{static_cast<int32_t>(s.ColumnInt(9))};
  f.cost = Money{s.ColumnInt(10)};
  return f;
}

constexpr std::string_view kFulfilmentColumns =
    "member, benefit, term_start_us, status, confirmation, attempts, last_error, "
    "requested_at_us, confirmed_at_us, month, cost";

class SqliteBenefitStore final : public BenefitStore {
 public:
  Status Open(const std::string& path);

  Result<MemberCheckoutData> LoadMember(std::string_view member) override;
  Status CommitBatch(const CheckoutBatch& batch, std::vector<Status>* outcomes) override;
  Result<std::vector<BudgetShardUsed>> LoadBudgets() override;
  Result<std::optional<Fulfilment>> LoadFulfilment(std::string_view member,
                                                   std::string_view benefit,
                                                   int64_t term_start_us) override;
  Status InsertFulfilment(const Fulfilment& fulfilment,
                          const std::vector<BudgetShardDelta>& budgets) override;
  Status UpdateFulfilment(const Fulfilment& fulfilment,
                          const std::vector<BudgetShardDelta>& budgets) override;
  Result<std::vector<Fulfilment>> PendingFulfilments(int64_t limit) override;
  Result<bool> AnyUseSince(std::string_view member, Instant since) override;
  Result<BenefitUseTotals> UsesInMonth(MonthKey month) override;

 private:
  // Runs body inside BEGIN IMMEDIATE … COMMIT on the write connection; rolls back on failure.
  Status InWriteTransaction(const std::function<Status()>& body);
  // The two ways of writing a batch (see CommitBatch): whole, or each write in a savepoint.
  Status WriteWhole(const CheckoutBatch& batch);
  Status WriteIsolated(const CheckoutBatch& batch, std::vector<Status>* outcomes);
  Status WriteCommit(const CheckoutCommitRecord& c);
  Status WriteReversal(const ReversalWrite& r);
  Status WriteMember(const MemberVersionWrite& m);
  Status WriteBudgets(const std::vector<BudgetShardDelta>& budgets);
  // Whether the write connection is still inside a transaction (SQLite rolls back the whole
  // transaction by itself after some errors, e.g. I/O errors and a full disk).
  bool InTransaction() { return sqlite3_get_autocommit(writer_.handle()) == 0; }

  std::mutex write_mu_;
  Database writer_;
  Statement insert_commit_;
  Statement reverse_commit_;
  Statement insert_member_;
  Statement bump_member_;
  Statement budget_add_;
  Statement savepoint_;
  Statement release_;
  Statement rollback_to_;
  std::mutex read_mu_;
  Database reader_;
  Statement load_version_;
  Statement load_commits_;
};

Status SqliteBenefitStore::Open(const std::string& path) {
  if (Status s = OpenConnection(writer_, path); !s.ok()) return s;
  if (Status s = OpenConnection(reader_, path); !s.ok()) return s;
  struct Entry {
    Database* db;
    Statement* statement;
    std::string_view sql;
  };
  const Entry entries[] = {
      {&writer_, &insert_commit_,
       "INSERT INTO checkout_commits (member, key, order_id, fingerprint, at_us, month, uses, "
       "cost, record, reversed_at_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)"},
      {&writer_, &reverse_commit_,
       "UPDATE checkout_commits SET reversed_at_us = ? WHERE member = ? AND key = ? AND "
       "reversed_at_us IS NULL"},
      {&writer_, &insert_member_, "INSERT INTO checkout_members (member, version) VALUES (?, 1)"},
      {&writer_, &bump_member_,
       "UPDATE checkout_members SET version = version + 1 WHERE member = ? AND version = ?"},
      // Adds to a shard, but only while it stays within the allowance (?5).
      {&writer_, &budget_add_,
       "INSERT INTO benefit_budget_shards (benefit, period, shard, used) VALUES (?1, ?2, ?3, ?4) "
       "ON CONFLICT (benefit, period, shard) DO UPDATE SET used = used + excluded.used "
       "WHERE used + excluded.used <= ?5 OR excluded.used <= 0"},
      {&writer_, &savepoint_, "SAVEPOINT checkout_write"},
      {&writer_, &release_, "RELEASE checkout_write"},
      {&writer_, &rollback_to_, "ROLLBACK TO checkout_write"},
      {&reader_, &load_version_, "SELECT version FROM checkout_members WHERE member = ?"},
      {&reader_, &load_commits_,
       "SELECT key, order_id, fingerprint, at_us, month, uses, cost, record, reversed_at_us "
       "FROM checkout_commits WHERE member = ?"},
  };
  for (const Entry& entry : entries) {
    auto prepared = entry.db->Prepare(entry.sql);
    if (!prepared.ok()) return prepared.error();
    *entry.statement = std::move(prepared).value();
  }
  return Status::Ok();
}

Result<MemberCheckoutData> SqliteBenefitStore::LoadMember(std::string_view member) {
  std::lock_guard lock(read_mu_);
  MemberCheckoutData data;
  // One read transaction, so that the version and the commits are one snapshot.
  if (Status s = reader_.Exec("BEGIN"); !s.ok()) return s.error();
  bool failed = false;
  load_version_.BindText(1, member);
  if (load_version_.Step(&failed)) data.version = load_version_.ColumnInt(0);
  if (failed) {
    Error error = StepError(load_version_);
    load_version_.Reset();
    (void)reader_.Exec("COMMIT");
    return error;
  }
  load_version_.Reset();
  load_commits_.BindText(1, member);
  while (!failed && load_commits_.Step(&failed)) {
    if (static_cast<int64_t>(data.commits.size()) >= checkout_limits::kCommitsPerMemberMax) break;
    CheckoutCommitRecord c;
    c.member = std::string(member);
    c.key = std::string(load_commits_.ColumnText(0));
    c.order = std::string(load_commits_.ColumnText(1));
    c.fingerprint = static_cast<uint64_t>(load_commits_.ColumnInt(2));
    c.at = Instant{load_commits_.ColumnInt(3)};
    c.month = MonthKey{static_cast<int32_t>(load_commits_.ColumnInt(4))};
    c.uses = load_commits_.ColumnInt(5);
    c.cost = Money{load_commits_.ColumnInt(6)};
    c.record = std::string(load_commits_.ColumnBlob(7));
    if (!load_commits_.ColumnIsNull(8)) c.reversed_at = Instant{load_commits_.ColumnInt(8)};
    data.commits.push_back(std::move(c));
  }
  Error error = StepError(load_commits_);
  load_commits_.Reset();
  (void)reader_.Exec("COMMIT");
  if (failed) return error;
  return data;
}

Status SqliteBenefitStore::InWriteTransaction(const std::function<Status()>& body) {
  Status status = writer_.Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  status = body();
  if (status.ok()) status = writer_.Exec("COMMIT");
  if (!status.ok()) (void)writer_.Exec("ROLLBACK");
  return status;
}

Status SqliteBenefitStore::WriteCommit(const CheckoutCommitRecord& c) {
  // The texts outlive the statement's run (Run resets it): bound without copies.
  Statement& s = insert_commit_;
  s.BindText(1, c.member, true);
  s.BindText(2, c.key, true);
  s.BindText(3, c.order, true);
  s.BindInt(4, static_cast<int64_t>(c.fingerprint));
  s.BindInt(5, c.at.us);
  s.BindInt(6, c.month.value);
  s.BindInt(7, c.uses);
  s.BindInt(8, c.cost.minor);
  s.BindBlob(9, c.record, true);
  if (Status st = Run(writer_, s); !st.ok()) {
    if (st.error().message.find("UNIQUE") != std::string::npos) {
      return Conflict("the commit key of member " + c.member);
    }
    return st;
  }
  return Status::Ok();
}

Status SqliteBenefitStore::WriteReversal(const ReversalWrite& r) {
  reverse_commit_.BindInt(1, r.reversed_at.us);
  reverse_commit_.BindText(2, r.member, true);
  reverse_commit_.BindText(3, r.key, true);
  int64_t changes = 0;
  if (Status st = Run(writer_, reverse_commit_, &changes); !st.ok()) return st;
  if (changes != 1) return Conflict("the order under key " + r.key);
  return Status::Ok();
}

Status SqliteBenefitStore::WriteMember(const MemberVersionWrite& m) {
  int64_t changes = 0;
  Status st;
  if (m.expected_version == 0) {
    insert_member_.BindText(1, m.member, true);
    st = Run(writer_, insert_member_, &changes);
    if (!st.ok() && st.error().message.find("UNIQUE") != std::string::npos) {
      return Conflict("member " + m.member);
    }
  } else {
    bump_member_.BindText(1, m.member, true);
    bump_member_.BindInt(2, m.expected_version);
    st = Run(writer_, bump_member_, &changes);
  }
  if (!st.ok()) return st;
  if (changes != 1) return Conflict("member " + m.member);
  return Status::Ok();
}

Status SqliteBenefitStore::WriteBudgets(const std::vector<BudgetShardDelta>& budgets) {
  for (const BudgetShardDelta& b : budgets) {
    if (b.delta_minor > b.allowance_minor) return Conflict("budget of " + b.benefit);
    budget_add_.BindText(1, b.benefit);
    budget_add_.BindInt(2, b.period);
    budget_add_.BindInt(3, b.shard);
    budget_add_.BindInt(4, b.delta_minor);
    budget_add_.BindInt(5, b.allowance_minor);
    int64_t changes = 0;
    if (Status st = Run(writer_, budget_add_, &changes); !st.ok()) return st;
    if (changes != 1) return Conflict("budget of " + b.benefit);
  }
  return Status::Ok();
}

// The common case: every member's version, every write, and each budget shard's deltas summed
// into one statement.
Status SqliteBenefitStore::WriteWhole(const CheckoutBatch& batch) {
  for (const MemberVersionWrite& m : batch.members) {
    if (Status s = WriteMember(m); !s.ok()) return s;
  }
  std::map<std::tuple<std::string_view, int32_t, int32_t>, BudgetShardDelta> shards;
  for (const CheckoutWrite* w : batch.writes) {
    Status s = w->commit.has_value() ? WriteCommit(*w->commit) : WriteReversal(*w->reversal);
    if (!s.ok()) return s;
    for (const BudgetShardDelta& delta : w->budgets) {
      auto [at, inserted] = shards.try_emplace({delta.benefit, delta.period, delta.shard}, delta);
      if (!inserted) at->second.delta_minor += delta.delta_minor;
    }
  }
  std::vector<BudgetShardDelta> summed;
  summed.reserve(shards.size());
  for (auto& [shard, delta] : shards) summed.push_back(std::move(delta));
  return WriteBudgets(summed);
}

// Each write in a savepoint of its own: the member's version bump (with its first write), the row,
// the write's own budget deltas. A write that fails is rolled back to its savepoint alone.
Status SqliteBenefitStore::WriteIsolated(const CheckoutBatch& batch,
                                         std::vector<Status>* outcomes) {
  std::unordered_map<std::string_view, const MemberVersionWrite*> versions;
  for (const MemberVersionWrite& m : batch.members) versions.emplace(m.member, &m);
  std::unordered_set<std::string_view> bumped;
  std::unordered_map<std::string_view, Error> failed;  // member → the write that failed first
  for (size_t i = 0; i < batch.writes.size(); ++i) {
    const CheckoutWrite& w = *batch.writes[i];
    const std::string& member = w.member();
    if (auto earlier = failed.find(member); earlier != failed.end()) {
      (*outcomes)[i] =
          MakeError(ErrorCode::kConcurrentUpdate, "",
                    "not written: an earlier write of member " + QuoteInput(member) +
                        " in the same group commit failed (" + earlier->second.ToString() + ")");
      continue;
    }
    if (Status s = Run(writer_, savepoint_); !s.ok()) return s;
    Status s;
    if (!bumped.contains(member)) {
      auto version = versions.find(member);
      if (version == versions.end()) {
        s = MakeError(ErrorCode::kStoreError, "",
                      "the batch has no version for member " + QuoteInput(member));
      } else {
        s = WriteMember(*version->second);
      }
    }
    if (s.ok()) s = w.commit.has_value() ? WriteCommit(*w.commit) : WriteReversal(*w.reversal);
    if (s.ok()) s = WriteBudgets(w.budgets);
    if (!s.ok()) {
      if (!InTransaction()) return s;  // SQLite gave the transaction up: the batch fails
      if (Status back = Run(writer_, rollback_to_); !back.ok()) return back;
      failed.emplace(member, s.error());
      (*outcomes)[i] = s;
    } else {
      bumped.insert(member);
    }
    if (Status r = Run(writer_, release_); !r.ok()) return r;
  }
  return Status::Ok();
}

// Failure isolation: a batch is first written whole, the cheapest way (no savepoints). Should any
// write fail while the transaction stays usable — a broken check, a constraint, an error of one
// statement — the transaction is rolled back and the batch written again with a SAVEPOINT per
// write, so that only the writes that fail (and their members' later ones) are left out. A
// savepoint costs a statement journal for every page a write touches, which is why it is only
// the second try. An error of the transaction itself (BEGIN, COMMIT, SQLite rolling back by
// itself) fails the batch.
Status SqliteBenefitStore::CommitBatch(const CheckoutBatch& batch, std::vector<Status>* outcomes) {
  std::lock_guard lock(write_mu_);
  outcomes->assign(batch.writes.size(), Status::Ok());
  if (Status s = writer_.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status whole = WriteWhole(batch);
  if (whole.ok()) {
    if (Status s = writer_.Exec("COMMIT"); !s.ok()) {
      (void)writer_.Exec("ROLLBACK");
      return s;
    }
    return Status::Ok();
  }
  const bool usable = InTransaction();
  (void)writer_.Exec("ROLLBACK");
  if (!usable) return whole;
  if (Status s = writer_.Exec("BEGIN IMMEDIATE"); !s.ok()) return s;
  Status isolated = WriteIsolated(batch, outcomes);
  if (isolated.ok()) isolated = writer_.Exec("COMMIT");
  if (!isolated.ok()) {
    (void)writer_.Exec("ROLLBACK");
    outcomes->assign(batch.writes.size(), Status::Ok());
    return isolated;
  }
  return Status::Ok();
}

Result<std::vector<BudgetShardUsed>> SqliteBenefitStore::LoadBudgets() {
  std::lock_guard lock(read_mu_);
  auto query = reader_.Prepare("SELECT benefit, period, shard, used FROM benefit_budget_shards");
  if (!query.ok()) return query.error();
  std::vector<BudgetShardUsed> out;
  bool failed = false;
  while (query->Step(&failed)) {
    out.push_back(BudgetShardUsed{std::string(query->ColumnText(0)),
                                  static_cast<int32_t>(query->ColumnInt(1)),
                                  static_cast<int32_t>(query->ColumnInt(2)), query->ColumnInt(3)});
  }
  if (failed) return StepError(*query);
  return out;
}

Result<std::optional<Fulfilment>> SqliteBenefitStore::LoadFulfilment(std::string_view member,
                                                                     std::string_view benefit,
                                                                     int64_t term_start_us) {
  std::lock_guard lock(read_mu_);
  auto query = reader_.Prepare("SELECT " + std::string(kFulfilmentColumns) +
                               " FROM benefit_fulfilments WHERE member = ? AND benefit = ? AND "
                               "term_start_us = ?");
  if (!query.ok()) return query.error();
  query->BindText(1, member);
  query->BindText(2, benefit);
  query->BindInt(3, term_start_us);
  bool failed = false;
  if (query->Step(&failed)) return std::optional<Fulfilment>(ReadFulfilment(*query));
  if (failed) return StepError(*query);
  return std::optional<Fulfilment>();
}

Status SqliteBenefitStore::InsertFulfilment(const Fulfilment& f,
                                            const std::vector<BudgetShardDelta>& budgets) {
  std::lock_guard lock(write_mu_);
  return InWriteTransaction([&]() -> Status {
    auto insert =
        writer_.Prepare("INSERT INTO benefit_fulfilments (" + std::string(kFulfilmentColumns) +
                        ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)");
    if (!insert.ok()) return insert.error();
    Statement& s = insert.value();
    s.BindText(1, f.member);
    s.BindText(2, f.benefit);
    s.BindInt(3, f.term_start_us);
    s.BindInt(4, static_cast<int64_t>(f.status));
    s.BindText(5, f.confirmation);
    s.BindInt(6, f.attempts);
    s.BindText(7, f.last_error);
    s.BindInt(8, f.requested_at.us);
    s.BindInt(9, f.month.value);
    s.BindInt(10, f.cost.minor);
    if (Status st = Run(writer_, s); !st.ok()) {
      if (st.error().message.find("UNIQUE") != std::string::npos) {
        return Conflict("the fulfilment of " + f.benefit + " for member " + f.member);
      }
      return st;
    }
    return WriteBudgets(budgets);
  });
}

Status SqliteBenefitStore::UpdateFulfilment(const Fulfilment& f,
                                            const std::vector<BudgetShardDelta>& budgets) {
  std::lock_guard lock(write_mu_);
  return InWriteTransaction([&]() -> Status {
    auto update = writer_.Prepare(
        "UPDATE benefit_fulfilments SET status = ?, confirmation = ?, attempts = ?, "
        "last_error = ?, confirmed_at_us = ? WHERE member = ? AND benefit = ? AND "
        "term_start_us = ?");
    if (!update.ok()) return update.error();
    Statement& s = update.value();
    s.BindInt(1, static_cast<int64_t>(f.status));
    s.BindText(2, f.confirmation);
    s.BindInt(3, f.attempts);
    s.BindText(4, f.last_error);
    if (f.confirmed_at.has_value()) {
      s.BindInt(5, f.confirmed_at->us);
    } else {
      s.BindNull(5);
    }
    s.BindText(6, f.member);
    s.BindText(7, f.benefit);
    s.BindInt(8, f.term_start_us);
    int64_t changes = 0;
    if (Status st = Run(writer_, s, &changes); !st.ok()) return st;
    if (changes != 1) {
      return MakeError(ErrorCode::kUnknownFulfilment, "benefit", "no such fulfilment");
    }
    return WriteBudgets(budgets);
  });
}

Result<std::vector<Fulfilment>> SqliteBenefitStore::PendingFulfilments(int64_t limit) {
  std::lock_guard lock(read_mu_);
  auto query = reader_.Prepare("SELECT " + std::string(kFulfilmentColumns) +
                               " FROM benefit_fulfilments WHERE status = 0 ORDER BY "
                               "requested_at_us LIMIT ?");
  if (!query.ok()) return query.error();
  query->BindInt(1, limit);
  std::vector<Fulfilment> out;
  bool failed = false;
  while (query->Step(&failed)) out.push_back(ReadFulfilment(*query));
  if (failed) return StepError(*query);
  return out;
}

Result<bool> SqliteBenefitStore::AnyUseSince(std::string_view member, Instant since) {
  std::lock_guard lock(read_mu_);
  auto query = reader_.Prepare(
      "SELECT EXISTS (SELECT 1 FROM checkout_commits WHERE member = ?1 AND uses > 0 AND "
      "reversed_at_us IS NULL AND at_us >= ?2) OR EXISTS (SELECT 1 FROM benefit_fulfilments "
      "WHERE member = ?1 AND status != 2 AND requested_at_us >= ?2)");
  if (!query.ok()) return query.error();
  query->BindText(1, member);
  query->BindInt(2, since.us);
  bool failed = false;
  if (!query->Step(&failed)) return StepError(*query);
  return query->ColumnInt(0) != 0;
}

Result<BenefitUseTotals> SqliteBenefitStore::UsesInMonth(MonthKey month) {
  std::lock_guard lock(read_mu_);
  auto query = reader_.Prepare(
      "WITH uses (member, units, cost) AS ("
      "  SELECT member, uses, cost FROM checkout_commits"
      "   WHERE month = ?1 AND uses > 0 AND reversed_at_us IS NULL"
      "  UNION ALL SELECT member, 1, cost FROM benefit_fulfilments"
      "   WHERE month = ?1 AND status != 2)"
      " SELECT coalesce(sum(units), 0), count(DISTINCT member), coalesce(sum(cost), 0) FROM uses");
  if (!query.ok()) return query.error();
  query->BindInt(1, month.value);
  bool failed = false;
  if (!query->Step(&failed)) return StepError(*query);
  return BenefitUseTotals{query->ColumnInt(0), query->ColumnInt(1), Money{query->ColumnInt(2)}};
}

}  // namespace

Result<std::unique_ptr<BenefitStore>> OpenSqliteBenefitStore(const std::string& path) {
  auto store = std::make_unique<SqliteBenefitStore>();
  if (Status s = store->Open(path); !s.ok()) return s.error();
  return std::unique_ptr<BenefitStore>(std::move(store));
}

}  // namespace onecard
