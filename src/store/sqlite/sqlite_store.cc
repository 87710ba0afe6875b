#include "store/sqlite/sqlite_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_benefit_store.h"
#include "store/sqlite/sqlite_ledger_store.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_drop_store.h"
#include "store/sqlite/sqlite_plan_store.h"
#include "store/sqlite/sqlite_event_chunk.h"
#include "store/sqlite/sqlite_event_index.h"
#include "store/sqlite/sqlite_idempotency.h"

namespace onecard {
namespace {

using sqlite::Database;
using sqlite::DecodeEventChunk;
using sqlite::DecodeIdHashes;
using sqlite::EncodeEventChunk;
using sqlite::EncodeIdHashes;
using sqlite::EventIdHash;
using sqlite::EventIdIndex;
using sqlite::EventLocation;
using sqlite::kEventChunkEventsMax;
using sqlite::kIndexedEventsMax;
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
  Result<std::vector<std::optional<Event>>> FindEvents(
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
                                const std::function<Status(const Event&)>& visit) override;
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
  Result<std::unique_ptr<DropStore>> OpenDropStore() override { return OpenSqliteDropStore(path_); }
  // The paid plan: a second connection to the same file.
  Result<std::unique_ptr<PlanStore>> OpenPlanStore() override { return OpenSqlitePlanStore(path_); }
  // Benefits and checkout (issue 3): new connections to the same file.
  Result<std::unique_ptr<BenefitStore>> OpenBenefitStore() override {
    return OpenSqliteBenefitStore(path_);
  }
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
  // Points ledger (issue 5): a second connection to the same file.
  Result<std::unique_ptr<LedgerStore>> OpenLedgerStore() override {
    return OpenSqliteLedgerStore(path_);
  }

 private:
  friend class SqlitePublicationWriter;
  Status Migrate();
  Status PrepareStatements();
  // Runs `body` inside BEGIN IMMEDIATE … COMMIT; rolls back if it or the commit fails.
  Status InTransaction(const std::function<Status()>& body);
  // Builds the id index from the stored chunks, once (read commands never need it).
  Status LoadIdIndex();
  // The decoded events of one chunk, from a small cache of the chunks read last (redeliveries
  // are usually of recent events).
  Result<const std::vector<Event>*> LoadChunk(int64_t chunk);

  ProcessLock lock_;  // declared before db_: released after the connection closes
  std::string path_;  // the database file, for the feature stores' own connections
  Database db_;
  Statement load_chunk_;
  Statement insert_chunk_;
  EventIdIndex ids_;
  bool ids_loaded_ = false;
  struct CachedChunk {
    int64_t chunk = 0;
    std::vector<Event> events;
  };
  std::vector<CachedChunk> chunk_cache_;  // the most recently used first
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
  path_ = path;
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
      {&load_chunk_, "SELECT body FROM event_chunks WHERE chunk = ?"},
      {&insert_chunk_, "INSERT INTO event_chunks (batch, events, ids, body) VALUES (?, ?, ?, ?)"},
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

Status SqliteStore::LoadIdIndex() {
  if (ids_loaded_) return Status::Ok();
  ids_.Clear();
  auto query = db_.Prepare("SELECT chunk, events, ids FROM event_chunks");
  if (!query.ok()) return query.error();
  std::vector<uint64_t> hashes;
  bool failed = false;
  while (query->Step(&failed)) {
    const int64_t chunk = query->ColumnInt(0);
    if (Status read = DecodeIdHashes(query->ColumnBlob(2), query->ColumnInt(1), &hashes);
        !read.ok()) {
      return read;
    }
    ids_.Reserve(static_cast<int64_t>(hashes.size()));
    for (size_t i = 0; i < hashes.size(); ++i) {
      ids_.Insert(hashes[i], EventLocation{chunk, static_cast<uint32_t>(i)});
    }
  }
  if (failed) return StepError(*query);
  ids_loaded_ = true;
  return Status::Ok();
}

Result<const std::vector<Event>*> SqliteStore::LoadChunk(int64_t chunk) {
  constexpr size_t kCachedChunksMax = 8;
  for (size_t i = 0; i < chunk_cache_.size(); ++i) {
    if (chunk_cache_[i].chunk == chunk) {
      std::rotate(chunk_cache_.begin(), chunk_cache_.begin() + static_cast<std::ptrdiff_t>(i),
                  chunk_cache_.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      return &chunk_cache_.front().events;
    }
  }
  load_chunk_.BindInt(1, chunk);
  bool failed = false;
  if (!load_chunk_.Step(&failed)) {
    Error error = failed ? StepError(load_chunk_)
                         : MakeError(ErrorCode::kCorruptState, "events",
                                     "the id index names a missing chunk");
    load_chunk_.Reset();
    return error;
  }
  CachedChunk entry;
  entry.chunk = chunk;
  Status decoded = DecodeEventChunk(load_chunk_.ColumnBlob(0), &entry.events);
  load_chunk_.Reset();
  if (!decoded.ok()) return decoded.error();
  if (chunk_cache_.size() == kCachedChunksMax) chunk_cache_.pop_back();
  chunk_cache_.insert(chunk_cache_.begin(), std::move(entry));
  return &chunk_cache_.front().events;
}

Result<std::vector<std::optional<Event>>> SqliteStore::FindEvents(
    const std::vector<std::string_view>& ids) {
  if (Status loaded = LoadIdIndex(); !loaded.ok()) return loaded.error();
  std::vector<std::optional<Event>> found(ids.size());
  std::vector<EventLocation> candidates;
  for (size_t i = 0; i < ids.size(); ++i) {
    ids_.Find(EventIdHash(ids[i]), &candidates);
    // A hash shared by other ids is told apart by the stored id itself.
    for (const EventLocation& where : candidates) {
      auto chunk = LoadChunk(where.chunk);
      if (!chunk.ok()) return chunk.error();
      if (where.position >= (*chunk)->size()) {
        return MakeError(ErrorCode::kCorruptState, "events", "the id index names a missing event");
      }
      const Event& event = (**chunk)[where.position];
      if (event.id == ids[i]) {
        found[i] = event;
        break;
      }
    }
  }
  return found;
}

Result<int64_t> SqliteStore::CountEvents() {
  auto query = db_.Prepare("SELECT coalesce(sum(events), 0) FROM event_chunks");
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
  if (Status loaded = LoadIdIndex(); !loaded.ok()) return loaded;
  const auto count = static_cast<int64_t>(write.events.size());
  if (ids_.size() + count > kIndexedEventsMax) {
    return MakeError(ErrorCode::kLimitExceeded, "events",
                     "the store holds at most " + std::to_string(kIndexedEventsMax) + " events");
  }
  std::vector<int64_t> chunks;
  std::string body;
  std::string hashes;
  Status status = InTransaction([&]() -> Status {
    for (size_t begin = 0; begin < write.events.size(); begin += kEventChunkEventsMax) {
      const size_t size = std::min(kEventChunkEventsMax, write.events.size() - begin);
      EncodeEventChunk(&write.events[begin], size, &body);
      EncodeIdHashes(&write.events[begin], size, &hashes);
      insert_chunk_.BindInt(1, write.batch);
      insert_chunk_.BindInt(2, static_cast<int64_t>(size));
      insert_chunk_.BindBlob(3, hashes);
      insert_chunk_.BindBlob(4, body);
      if (Status inserted = RunOnce(&insert_chunk_); !inserted.ok()) return inserted;
      chunks.push_back(sqlite3_last_insert_rowid(db_.handle()));
    }
    if (Status stored = sqlite::InsertIdempotencyRecords(db_, write.idempotency); !stored.ok()) {
      return stored;
    }
    set_last_batch_.BindInt(1, write.batch);
    return RunOnce(&set_last_batch_);
  });
  if (!status.ok()) return status;
  // Durable now: the ids join the index (a failed commit left it as it was).
  ids_.Reserve(count);
  for (size_t i = 0; i < write.events.size(); ++i) {
    ids_.Insert(EventIdHash(write.events[i].id),
                EventLocation{chunks[i / kEventChunkEventsMax],
                              static_cast<uint32_t>(i % kEventChunkEventsMax)});
  }
  return Status::Ok();
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
                                           const std::function<Status(const Event&)>& visit) {
  // Runs at open after a crash (for the batches no checkpoint covered) and for audits.
  auto query = db_.Prepare("SELECT body FROM event_chunks WHERE batch > ? ORDER BY chunk");
  if (!query.ok()) return query.error();
  query->BindInt(1, batch);
  std::vector<Event> events;
  bool failed = false;
  while (query->Step(&failed)) {
    if (Status decoded = DecodeEventChunk(query->ColumnBlob(0), &events); !decoded.ok()) {
      return decoded;
    }
    for (const Event& event : events) {
      if (Status status = visit(event); !status.ok()) return status;
    }
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
