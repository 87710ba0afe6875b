// The store: where events, member states, publications and invitations are kept durably. This is
// the only door the engine has to persistence; SQLite (store/sqlite/) is the embedded default and
// PostgreSQL comes later, so nothing above this interface may depend on a particular database.
//
// Contract for every implementation:
// - A write method returns only after its effect is durable (fsync or the database's equivalent)
//   and is atomic: on error nothing of it is visible.
// - Reads see every write that returned successfully before them.
// - Members and events are identified by their ids as given (bytes, compared bytewise).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/program_time.h"
#include "core/result.h"
#include "store/drop_store.h"
#include "store/plan_store.h"
#include "store/benefit_store.h"
#include "store/ledger_store.h"

namespace onecard {

// --- Idempotency keys of the HTTP API (issue 4) ---
// The answer to a state-changing request made with an Idempotency-Key. It is written in the same
// transaction as the request's effect, so that a retry after a crash finds both or neither.
// (scope, key) is unique: a second record for it fails the whole transaction with
// kIdempotencyConflict.
struct IdempotencyRecord {
  std::string scope;        // whose key it is (the API key's id): two callers' keys never meet
  std::string key;          // the client's Idempotency-Key
  std::string fingerprint;  // digest of the request (method, path, body) that a retry must match
  int32_t status = 0;       // the HTTP status answered
  std::string body;         // the body answered
  Instant created_at;
};

// What one ingest batch writes in one transaction: its accepted events (validated; the store
// keeps the fields of each event's type, which are its content) under the batch's number. Batch
// numbers rise by one from 1; member states are saved separately, by checkpoints.
struct IngestWrite {
  int64_t batch = 0;
  std::vector<Event> events;
  // The answers of the requests whose events these are (the server's group commit may join several
  // requests in one batch), stored in the same transaction.
  std::vector<IdempotencyRecord> idempotency;
};

// How far ingest and the saved member states have come: the states saved by the last checkpoint
// include every event of batches up to checkpoint_batch; events of later batches (up to
// last_batch) are durable in the log and are folded again at open (after a crash).
struct IngestPosition {
  int64_t last_batch = 0;
  int64_t checkpoint_batch = 0;
};

struct PublicationInfo {
  MonthKey month;
  Instant instant;       // the publication instant (events before it count)
  Instant published_at;  // when the job ran
  std::string rule_version;
  int64_t members = 0;
};

// One member's frozen result in one publication.
struct PublishedRow {
  std::string member;
  int64_t score = 0;
  std::string tier;
  int64_t shopping = 0;
  int64_t reward = 0;
  int64_t active = 0;
  int64_t breadth = 0;
  int32_t credit_level = 0;
  uint32_t caps = 0;
  std::string breakdown;  // EncodeBreakdown bytes
};

// An APASS-style invitation: made by an operator after publication `month`, accepted by the
// member (or not yet).
struct Invitation {
  std::string member;
  MonthKey month;
  Instant invited_at;
  std::optional<Instant> accepted_at;
};

struct TierCount {
  std::string tier;
  int64_t members = 0;
};

// Streams the rows of one publication into the store; nothing is visible until Commit returns.
class PublicationWriter {
 public:
  virtual ~PublicationWriter() = default;
  virtual Status Add(const PublishedRow& row) = 0;
  // Makes the publication visible and durable with `members` rows. Fails with kAlreadyPublished
  // if the month was published meanwhile.
  virtual Status Commit(int64_t members) = 0;
  // Stores `record` with the publication: visible at Commit, discarded if it never comes.
  virtual Status AddIdempotencyRecord(const IdempotencyRecord& record) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Program settings kept with the data (e.g. the config the database was made with).
  virtual Result<std::optional<std::string>> GetSetting(std::string_view key) = 0;
  virtual Status PutSetting(std::string_view key, std::string_view value) = 0;

  // For each id, the stored event with that id, if any (a redelivery is compared against it).
  virtual Result<std::vector<std::optional<Event>>> FindEvents(
      const std::vector<std::string_view>& ids) = 0;
  virtual Result<int64_t> CountEvents() = 0;

  virtual Result<std::optional<std::string>> LoadMemberState(std::string_view member) = 0;
  // Calls `visit` for every member state in member order; stops at the first error it returns.
  virtual Status ForEachMemberState(
      const std::function<Status(std::string_view member, std::string_view state)>& visit) = 0;

  // Appends the batch's events and advances last_batch in one durable transaction (one fsync).
  virtual Status CommitIngest(const IngestWrite& write) = 0;
  virtual Result<IngestPosition> LoadIngestPosition() = 0;
  // Replaces the given member states and sets checkpoint_batch, in one durable transaction.
  virtual Status SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                                int64_t checkpoint_batch) = 0;
  // Calls `visit` with every event of a batch after `batch`, in no particular order (folding
  // does not depend on order).
  virtual Status ForEachEventAfterBatch(int64_t batch,
                                        const std::function<Status(const Event& event)>& visit) = 0;

  virtual Result<std::vector<PublicationInfo>> ListPublications() = 0;  // by month
  // Starts writing the publication described by `info` (its `members` is ignored).
  virtual Result<std::unique_ptr<PublicationWriter>> BeginPublication(
      const PublicationInfo& info) = 0;
  // Rows of one publication in bytewise member order.
  virtual Status ForEachPublishedRow(
      MonthKey month, const std::function<Status(const PublishedRow& row)>& visit) = 0;
  virtual Result<std::optional<PublishedRow>> LoadPublishedRow(MonthKey month,
                                                               std::string_view member) = 0;
  // Every publication of one member, by month.
  virtual Result<std::vector<PublishedRow>> MemberPublishedRows(std::string_view member,
                                                                std::vector<MonthKey>* months) = 0;
  virtual Result<std::vector<TierCount>> CountTiers(MonthKey month) = 0;

  virtual Result<std::optional<Invitation>> LoadInvitation(std::string_view member) = 0;
  // Saves the invitation and `records` (idempotency, may be empty) in one transaction.
  virtual Status SaveInvitation(const Invitation& invitation,
                                const std::vector<IdempotencyRecord>& records) = 0;
  virtual Result<std::vector<std::string>> AcceptedInvitationMembers() = 0;

  // Exclusive drops: a store of their own on its own connection to the same database, so that the
  // drop service's threads never wait on the score engine's (store/drop_store.h).
  virtual Result<std::unique_ptr<DropStore>> OpenDropStore() = 0;
  // The paid plan: a PlanStore on its own connection to the same data, for the plan service,
  // which runs on threads of its own (store/plan_store.h).
  virtual Result<std::unique_ptr<PlanStore>> OpenPlanStore() = 0;
  // Benefits and checkout (issue 3): a store for the checkout service on its own connection(s)
  // to the same database, usable from the service's threads while this one serves the engine.
  virtual Result<std::unique_ptr<BenefitStore>> OpenBenefitStore() = 0;
  // --- Idempotency keys of the HTTP API (issue 4) ---
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotencyRecord(std::string_view scope,
                                                                         std::string_view key) = 0;
  // Stores records of requests whose effect wrote nothing else, in one transaction.
  virtual Status SaveIdempotencyRecords(const std::vector<IdempotencyRecord>& records) = 0;
  // Deletes the records created before `created_before`; returns how many went.
  virtual Result<int64_t> PurgeIdempotencyRecords(Instant created_before) = 0;
  // Points ledger (issue 5): the ledger's log on a connection of its own, so that the ledger
  // service can run beside the score engine. Each call opens a new connection.
  virtual Result<std::unique_ptr<LedgerStore>> OpenLedgerStore() = 0;
};

}  // namespace onecard
