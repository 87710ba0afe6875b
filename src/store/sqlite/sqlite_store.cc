#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_idempotency.h"

namespace onecard {
namespace {

using sqlite::Database;
using sqlite::Statement;

Error StepError(const Statement& statement) {
  return MakeError(ErrorCode::kStoreError, "", statement.error());
}

// Runs a statement that returns no rows, then resets it for reuse.
Status RunOnce(Statement* statement) {
  bool failed = false;
  while (statement->Step(&failed)) {
  }
  Error error = StepError(*statement);
  statement->Reset();
  if (failed) return error;
  return Status::Ok();
}

PublishedRow ReadPublishedRow(const Statement& s) {
  PublishedRow row;
  row.member = std::string(s.ColumnText(0));
  row.score = s.ColumnInt(1);
  row.tier = std::string(s.ColumnText(2));
  row.shopping = s.ColumnInt(3);
  row.reward = s.ColumnInt(4);
  row.active = s.ColumnInt(5);
  row.breadth = s.ColumnInt(6);
  row.credit_level = static_cast<int32_t>(s.ColumnInt(7));
  row.caps = static_cast<uint32_t>(s.ColumnInt(8));
  row.breakdown = std::string(s.ColumnBlob(9));
  return row;
}

constexpr std::string_view kRowColumns =
    "member, score, tier, shopping, reward, active, breadth, credit_level, caps, breakdown";

class SqlitePublicationWriter;

// An exclusive advisory lock on a file beside the database, held while the store is open. The
// kernel drops it when the process dies, so a crash never leaves the database locked.
class ProcessLock {
 public:
  ProcessLock() = default;
  ProcessLock(const ProcessLock&) = delete;
  ProcessLock& operator=(const ProcessLock&) = delete;
  ~ProcessLock() {
    if (fd_ >= 0) close(fd_);
  }

  Status Acquire(const std::string& path) {
    fd_ = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
      return MakeError(ErrorCode::kStoreError, "db",
                       "cannot open the lock file " + path + ": " + std::strerror(errno));
    }
    if (flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      return MakeError(ErrorCode::kStoreError, "db",
                       "the database is in use by another onecard process (lock " + path + ")");
    }
    return Status::Ok();
  }

 private:
  int fd_ = -1;
};

class SqliteStore final : public Store {
 public:
  Status Open(const std::string& path, bool create);

  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Status PutSetting(std::string_view key, std::string_view value) override;
  Result<std::vector<std::optional<std::string>>> FindEvents(
      const std::vector<std::string_view>& ids) override;
  Result<int64_t> CountEvents() override;
  Result<std::optional<std::string>> LoadMemberState(std::string_view member) override;
  Status ForEachMemberState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override;
  Status CommitIngest(const IngestWrite& write) override;
  Result<IngestPosition> LoadIngestPosition() override;
  Status SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                        int64_t checkpoint_batch) override;
  Status ForEachEventAfterBatch(int64_t batch,
                                const std::function<Status(std::string_view)>& visit) override;
  Result<std::vector<PublicationInfo>> ListPublications() override;
  Result<std::unique_ptr<PublicationWriter>> BeginPublication(const PublicationInfo& info) override;
  Status ForEachPublishedRow(MonthKey month,
                             const std::function<Status(const PublishedRow&)>& visit) override;
  Result<std::optional<PublishedRow>> LoadPublishedRow(MonthKey month,
                                                       std::string_view member) override;
  Result<std::vector<PublishedRow>> MemberPublishedRows(std::string_view member,
                                                        std::vector<MonthKey>* months) override;
  Result<std::vector<TierCount>> CountTiers(MonthKey month) override;
  Result<std::optional<Invitation>> LoadInvitation(std::string_view member) override;
  Status SaveInvitation(const Invitation& invitation,
                        const std::vector<IdempotencyRecord>& records) override;
  Result<std::vector<std::string>> AcceptedInvitationMembers() override;
  Result<std::optional<IdempotencyRecord>> FindIdempotencyRecord(std::string_view scope,
                                                                 std::string_view key) override {
    return sqlite::FindIdempotencyRecord(db_, scope, key);
  }
  Status SaveIdempotencyRecords(const std::vector<IdempotencyRecord>& records) override {
    return InTransaction([&] { return sqlite::InsertIdempotencyRecords(db_, records); });
  }
  Result<int64_t> PurgeIdempotencyRecords(Instant created_before) override {
    return sqlite::PurgeIdempotencyRecords(db_, created_before);
  }

 private:
  friend class SqlitePublicationWriter;
  Status Migrate();
  Status PrepareStatements();
  // Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back if it or the commit fails.
  Status InTransaction(const std::function<Status()>& body);

  ProcessLock lock_;  // declared before db_: released after the connection closes
  Database db_;
  Statement find_event_;
  Statement insert_event_;
  Statement upsert_state_;
  Statement set_last_batch_;
  Statement load_state_;
  Statement insert_row_;
  bool publication_open_ = false;
};

class SqlitePublicationWriter final : public PublicationWriter {
 public:
  SqlitePublicationWriter(SqliteStore* store, PublicationInfo info)
      : store_(store), info_(std::move(info)) {}
  ~SqlitePublicationWriter() override {
    if (!done_) (void)store_->db_.Exec("ROLLBACK");
    store_->publication_open_ = false;
  }

  Status Add(const PublishedRow& row) override {
    Statement& s = store_->insert_row_;
    s.BindText(1, row.member);
    s.BindInt(2, info_.month.value);
    s.BindInt(3, row.score);
    s.BindText(4, row.tier);
    s.BindInt(5, row.shopping);
    s.BindInt(6, row.reward);
    s.BindInt(7, row.active);
    s.BindInt(8, row.breadth);
    s.BindInt(9, row.credit_level);
    s.BindInt(10, row.caps);
    s.BindBlob(11, row.breakdown);
    return RunOnce(&s);
  }

  Status AddIdempotencyRecord(const IdempotencyRecord& record) override {
    return sqlite::InsertIdempotencyRecords(store_->db_, {record});
  }

  Status Commit(int64_t members) override {
    auto insert = store_->db_.Prepare(
        "INSERT INTO publications (month, instant_us, published_at_us, rule_version, members) "
        "VALUES (?, ?, ?, ?, ?)");
    if (!insert.ok()) return insert.error();
    insert->BindInt(1, info_.month.value);
    insert->BindInt(2, info_.instant.us);
    insert->BindInt(3, info_.published_at.us);
    insert->BindText(4, info_.rule_version);
    insert->BindInt(5, members);
    Status status = RunOnce(&insert.value());
    if (!status.ok()) {
      if (status.error().message.find("UNIQUE") != std::string::npos) {
        return MakeError(ErrorCode::kAlreadyPublished, "month", "this month is already published");
      }
      return status;
    }
    status = store_->db_.Exec("COMMIT");
    if (!status.ok()) return status;
    done_ = true;
    return Status::Ok();
  }

 private:
  SqliteStore* store_;
  PublicationInfo info_;
  bool done_ = false;
};

Status SqliteStore::Open(const std::string& path, bool create) {
  if (!create && access(path.c_str(), F_OK) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "db",
                     "there is no database at " + path + " (ingest or import creates one)");
  }
  Status status = lock_.Acquire(path + ".lock");
  if (!status.ok()) return status;
  status = db_.Open(path);
  if (!status.ok()) return status;
  // WAL with synchronous=FULL: each COMMIT is fsynced before it returns (durable before ack).
  for (std::string_view pragma :
       {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
        "PRAGMA cache_size=-262144", "PRAGMA temp_store=MEMORY"}) {
    status = db_.Exec(pragma);
    if (!status.ok()) return status;
  }
  status = Migrate();
  if (!status.ok()) return status;
  return PrepareStatements();
}

Status SqliteStore::Migrate() {
  auto version_query = db_.Prepare("PRAGMA user_version");
  if (!version_query.ok()) return version_query.error();
  bool failed = false;
  if (!version_query->Step(&failed)) return StepError(*version_query);
  const int64_t version = version_query->ColumnInt(0);
  const auto& migrations = sqlite::Migrations();
  if (version > static_cast<int64_t>(migrations.size())) {
    return MakeError(ErrorCode::kStoreError, "",
                     "database schema version " + std::to_string(version) +
                         " is newer than this onecard understands");
  }
  for (size_t next = static_cast<size_t>(version); next < migrations.size(); ++next) {
    Status status = InTransaction([&]() -> Status {
      Status applied = db_.Exec(migrations[next]);
      if (!applied.ok()) return applied;
      return db_.Exec("PRAGMA user_version = " + std::to_string(next + 1));
    });
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

Status SqliteStore::PrepareStatements() {
  struct Entry {
    Statement* statement;
    std::string_view sql;
  };
  const std::string insert_row_sql = "INSERT INTO published_scores (" + std::string(kRowColumns) +
                                     ", month) VALUES (?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                     "?2)";
  const Entry entries[] = {
      {&find_event_, "SELECT canonical FROM events WHERE id = ?"},
      {&insert_event_,
       "INSERT INTO events (id, member, type, at_us, batch, canonical) VALUES (?, ?, ?, ?, ?, ?)"},
      {&set_last_batch_, "UPDATE ingest_position SET last_batch = ? WHERE singleton = 1"},
      {&upsert_state_, "INSERT OR REPLACE INTO member_states (member, state) VALUES (?, ?)"},
      {&load_state_, "SELECT state FROM member_states WHERE member = ?"},
      {&insert_row_, insert_row_sql},
  };
  for (const Entry& entry : entries) {
    auto prepared = db_.Prepare(entry.sql);
    if (!prepared.ok()) return prepared.error();
    *entry.statement = std::move(prepared).value();
  }
  return Status::Ok();
}

Status SqliteStore::InTransaction(const std::function<Status()>& body) {
  Status status = db_.Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status;
  status = body();
  if (status.ok()) status = db_.Exec("COMMIT");
  if (!status.ok()) (void)db_.Exec("ROLLBACK");
  return status;
}

Result<std::optional<std::string>> SqliteStore::GetSetting(std::string_view key) {
  auto query = db_.Prepare("SELECT value FROM settings WHERE key = ?");
  if (!query.ok()) return query.error();
  query->BindText(1, key);
  bool failed = false;
  if (query->Step(&failed)) return std::optional<std::string>(std::string(query->ColumnText(0)));
  if (failed) return StepError(*query);
  return std::optional<std::string>();
}

Status SqliteStore::PutSetting(std::string_view key, std::string_view value) {
  return InTransaction([&]() -> Status {
    auto put = db_.Prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
    if (!put.ok()) return put.error();
    put->BindText(1, key);
    put->BindText(2, value);
    return RunOnce(&put.value());
  });
}

Result<std::vector<std::optional<std::string>>> SqliteStore::FindEvents(
    const std::vector<std::string_view>& ids) {
  std::vector<std::optional<std::string>> found(ids.size());
  // One read transaction for the whole batch: outside one, every SELECT takes and drops the
  // file locks on its own.
  if (Status begun = db_.Exec("BEGIN"); !begun.ok()) return begun.error();
  for (size_t i = 0; i < ids.size(); ++i) {
    find_event_.BindText(1, ids[i]);
    bool failed = false;
    if (find_event_.Step(&failed)) found[i] = std::string(find_event_.ColumnText(0));
    find_event_.Reset();
    if (failed) {
      Error error = StepError(find_event_);
      (void)db_.Exec("ROLLBACK");
      return error;
    }
  }
  if (Status ended = db_.Exec("COMMIT"); !ended.ok()) return ended.error();
  return found;
}

Result<int64_t> SqliteStore::CountEvents() {
  auto query = db_.Prepare("SELECT count(*) FROM events");
  if (!query.ok()) return query.error();
  bool failed = false;
  if (!query->Step(&failed)) return StepError(*query);
  return query->ColumnInt(0);
}

Result<std::optional<std::string>> SqliteStore::LoadMemberState(std::string_view member) {
  load_state_.BindText(1, member);
  bool failed = false;
  std::optional<std::string> state;
  if (load_state_.Step(&failed)) state = std::string(load_state_.ColumnBlob(0));
  load_state_.Reset();
  if (failed) return StepError(load_state_);
  return state;
}

Status SqliteStore::ForEachMemberState(
    const std::function<Status(std::string_view, std::string_view)>& visit) {
  auto query = db_.Prepare("SELECT member, state FROM member_states ORDER BY member");
  if (!query.ok()) return query.error();
  bool failed = false;
  while (query->Step(&failed)) {
    Status status = visit(query->ColumnText(0), query->ColumnBlob(1));
    if (!status.ok()) return status;
  }
  if (failed) return StepError(*query);
  return Status::Ok();
}

Status SqliteStore::CommitIngest(const IngestWrite& write) {
  return InTransaction([&]() -> Status {
    for (const StoredEvent& event : write.events) {
      insert_event_.BindText(1, event.id);
      insert_event_.BindText(2, event.member);
      insert_event_.BindInt(3, static_cast<int64_t>(event.type));
      insert_event_.BindInt(4, event.at.us);
      insert_event_.BindInt(5, write.batch);
      insert_event_.BindText(6, event.canonical_json);
      Status status = RunOnce(&insert_event_);
      if (!status.ok()) return status;
    }
    if (Status stored = sqlite::InsertIdempotencyRecords(db_, write.idempotency); !stored.ok()) {
      return stored;
    }
    set_last_batch_.BindInt(1, write.batch);
    return RunOnce(&set_last_batch_);
  });
}

Result<IngestPosition> SqliteStore::LoadIngestPosition() {
  auto query = db_.Prepare("SELECT last_batch, checkpoint_batch FROM ingest_position");
  if (!query.ok()) return query.error();
  bool failed = false;
  if (!query->Step(&failed)) {
    return MakeError(ErrorCode::kStoreError, "", "the ingest position row is missing");
  }
  return IngestPosition{query->ColumnInt(0), query->ColumnInt(1)};
}

Status SqliteStore::SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                                   int64_t checkpoint_batch) {
  return InTransaction([&]() -> Status {
    for (const auto& [member, state] : states) {
      upsert_state_.BindText(1, member);
      upsert_state_.BindBlob(2, state);
      Status status = RunOnce(&upsert_state_);
      if (!status.ok()) return status;
    }
    auto position =
        db_.Prepare("UPDATE ingest_position SET checkpoint_batch = ? WHERE singleton = 1");
    if (!position.ok()) return position.error();
    position->BindInt(1, checkpoint_batch);
    return RunOnce(&position.value());
  });
}

Status SqliteStore::ForEachEventAfterBatch(int64_t batch,
                                           const std::function<Status(std::string_view)>& visit) {
  // A full scan: this runs only at open after a crash, for the batches no checkpoint covered.
  auto query = db_.Prepare("SELECT canonical FROM events WHERE batch > ?");
  if (!query.ok()) return query.error();
  query->BindInt(1, batch);
  bool failed = false;
  while (query->Step(&failed)) {
    Status status = visit(query->ColumnText(0));
    if (!status.ok()) return status;
  }
  if (failed) return StepError(*query);
  return Status::Ok();
}

Result<std::vector<PublicationInfo>> SqliteStore::ListPublications() {
  auto query = db_.Prepare(
      "SELECT month, instant_us, published_at_us, rule_version, members FROM publications "
      "ORDER BY month");
  if (!query.ok()) return query.error();
  std::vector<PublicationInfo> publications;
  bool failed = false;
  while (query->Step(&failed)) {
    PublicationInfo info;
    info.month = MonthKey{static_cast<int32_t>(query->ColumnInt(0))};
    info.instant = Instant{query->ColumnInt(1)};
    info.published_at = Instant{query->ColumnInt(2)};
    info.rule_version = std::string(query->ColumnText(3));
    info.members = query->ColumnInt(4);
    publications.push_back(std::move(info));
  }
  if (failed) return StepError(*query);
  return publications;
}

Result<std::unique_ptr<PublicationWriter>> SqliteStore::BeginPublication(
    const PublicationInfo& info) {
  ONECARD_ASSERT(!publication_open_);
  Status status = db_.Exec("BEGIN IMMEDIATE");
  if (!status.ok()) return status.error();
  publication_open_ = true;
  auto writer = std::make_unique<SqlitePublicationWriter>(this, info);
  // Checked inside the write transaction, so no other writer can publish the month meanwhile.
  auto exists = db_.Prepare("SELECT 1 FROM publications WHERE month = ?");
  if (!exists.ok()) return exists.error();
  exists->BindInt(1, info.month.value);
  bool failed = false;
  if (exists->Step(&failed)) {
    return MakeError(ErrorCode::kAlreadyPublished, "month", "this month is already published");
  }
  if (failed) return StepError(*exists);
  return std::unique_ptr<PublicationWriter>(std::move(writer));
}

Status SqliteStore::ForEachPublishedRow(MonthKey month,
                                        const std::function<Status(const PublishedRow&)>& visit) {
  auto query = db_.Prepare("SELECT " + std::string(kRowColumns) +
                           " FROM published_scores WHERE month = ? ORDER BY member");
  if (!query.ok()) return query.error();
  query->BindInt(1, month.value);
  bool failed = false;
  while (query->Step(&failed)) {
    Status status = visit(ReadPublishedRow(*query));
    if (!status.ok()) return status;
  }
  if (failed) return StepError(*query);
  return Status::Ok();
}

Result<std::optional<PublishedRow>> SqliteStore::LoadPublishedRow(MonthKey month,
                                                                  std::string_view member) {
  auto query = db_.Prepare("SELECT " + std::string(kRowColumns) +
                           " FROM published_scores WHERE member = ? AND month = ?");
  if (!query.ok()) return query.error();
  query->BindText(1, member);
  query->BindInt(2, month.value);
  bool failed = false;
  if (query->Step(&failed)) return std::optional<PublishedRow>(ReadPublishedRow(*query));
  if (failed) return StepError(*query);
  return std::optional<PublishedRow>();
}

Result<std::vector<PublishedRow>> SqliteStore::MemberPublishedRows(std::string_view member,
                                                                   std::vector<MonthKey>* months) {
  auto query = db_.Prepare("SELECT " + std::string(kRowColumns) +
                           ", month FROM published_scores WHERE member = ? ORDER BY month");
  if (!query.ok()) return query.error();
  query->BindText(1, member);
  std::vector<PublishedRow> rows;
  months->clear();
  bool failed = false;
  while (query->Step(&failed)) {
    rows.push_back(ReadPublishedRow(*query));
    months->push_back(MonthKey{static_cast<int32_t>(query->ColumnInt(10))});
  }
  if (failed) return StepError(*query);
  return rows;
}

Result<std::vector<TierCount>> SqliteStore::CountTiers(MonthKey month) {
  auto query =
      db_.Prepare("SELECT tier, count(*) FROM published_scores WHERE month = ? GROUP BY tier");
  if (!query.ok()) return query.error();
  query->BindInt(1, month.value);
  std::vector<TierCount> counts;
  bool failed = false;
  while (query->Step(&failed)) {
    counts.push_back(TierCount{std::string(query->ColumnText(0)), query->ColumnInt(1)});
  }
  if (failed) return StepError(*query);
  return counts;
}

Result<std::optional<Invitation>> SqliteStore::LoadInvitation(std::string_view member) {
  auto query =
      db_.Prepare("SELECT month, invited_at_us, accepted_at_us FROM invitations WHERE member = ?");
  if (!query.ok()) return query.error();
  query->BindText(1, member);
  bool failed = false;
  if (!query->Step(&failed)) {
    if (failed) return StepError(*query);
    return std::optional<Invitation>();
  }
  Invitation invitation;
  invitation.member = std::string(member);
  invitation.month = MonthKey{static_cast<int32_t>(query->ColumnInt(0))};
  invitation.invited_at = Instant{query->ColumnInt(1)};
  if (!query->ColumnIsNull(2)) invitation.accepted_at = Instant{query->ColumnInt(2)};
  return std::optional<Invitation>(std::move(invitation));
}

Status SqliteStore::SaveInvitation(const Invitation& invitation,
                                   const std::vector<IdempotencyRecord>& records) {
  return InTransaction([&]() -> Status {
    if (Status stored = sqlite::InsertIdempotencyRecords(db_, records); !stored.ok()) {
      return stored;
    }
    auto save = db_.Prepare(
        "INSERT OR REPLACE INTO invitations (member, month, invited_at_us, accepted_at_us) "
        "VALUES (?, ?, ?, ?)");
    if (!save.ok()) return save.error();
    save->BindText(1, invitation.member);
    save->BindInt(2, invitation.month.value);
    save->BindInt(3, invitation.invited_at.us);
    if (invitation.accepted_at.has_value()) {
      save->BindInt(4, invitation.accepted_at->us);
    } else {
      save->BindNull(4);
    }
    return RunOnce(&save.value());
  });
}

Result<std::vector<std::string>> SqliteStore::AcceptedInvitationMembers() {
  auto query = db_.Prepare(
      "SELECT member FROM invitations WHERE accepted_at_us IS NOT NULL ORDER BY member");
  if (!query.ok()) return query.error();
  std::vector<std::string> members;
  bool failed = false;
  while (query->Step(&failed)) members.emplace_back(query->ColumnText(0));
  if (failed) return StepError(*query);
  return members;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create) {
  auto store = std::make_unique<SqliteStore>();
  Status status = store->Open(path, create);
  if (!status.ok()) return status.error();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace onecard
