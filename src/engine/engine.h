// The engine: the program's commands (ingest, publish, invite, accept) and queries, over one store.
// It owns the in-memory cache of member states and serialises writers; the CLI and the server call
// only this. One Engine is used from one thread at a time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/event.h"
#include "core/member_state.h"
#include "core/program_config.h"
#include "core/result.h"
#include "core/score.h"
#include "engine/member_table.h"
#include "store/store.h"

namespace onecard {

enum class IngestOutcome : uint8_t { kAccepted, kDuplicate, kRejected };
std::string_view IngestOutcomeName(IngestOutcome outcome);

struct IngestLineResult {
  IngestOutcome outcome = IngestOutcome::kRejected;
  std::optional<Error> error;  // set when rejected
};

struct IngestCounts {
  int64_t accepted = 0;
  int64_t duplicate = 0;
  int64_t rejected = 0;
  void Add(const std::vector<IngestLineResult>& results);
};

// One publication of one member, decoded for reading.
struct MemberPublication {
  PublicationInfo info;
  PublishedRow row;
  ScoreBreakdown breakdown;
};

struct MemberReport {
  std::string member;
  bool has_state = false;
  int64_t events = 0;
  std::vector<MemberPublication> publications;  // by month
  std::optional<Invitation> invitation;
};

// The server's idempotency (issue 4): a command given one of these builds, from its outcome, the
// records to store in the same transaction as its effect. Empty functions: no records.
using IngestRecords =
    std::function<std::vector<IdempotencyRecord>(const std::vector<IngestLineResult>&)>;
template <typename Outcome>
using RecordFor = std::function<IdempotencyRecord(const Outcome&)>;

struct EngineOptions {
  // Member states kept resident (encoded, about 200 bytes each) between batches. Past this the
  // states are checkpointed and dropped, members are read from the store again as they come,
  // and a publication streams the states from the store instead of scoring them from memory.
  int64_t resident_members_max = 64'000'000;
  // Folded states are saved (checkpointed) after this many batches or this many changed members,
  // whichever comes first, and at Close. Events are durable at each batch regardless; these only
  // bound how much is folded again at open after a crash.
  int64_t checkpoint_batches_max = 64;
  int64_t checkpoint_members_max = 200'000;
};

class Engine {
 public:
  // Opens the engine over `store` and folds again the events of batches that no checkpoint
  // covered (after a crash), so that the in-memory states include every acknowledged event.
  static Result<std::unique_ptr<Engine>> Open(std::unique_ptr<Store> store, ProgramConfig config,
                                              EngineOptions options = {});
  // Checkpoints the changed states (best effort: what fails is folded again at the next open).
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Saves the states changed since the last checkpoint, durably. Called by Close, by Publish and
  // when the thresholds of EngineOptions are reached.
  Status Checkpoint();
  Status Close() { return Checkpoint(); }

  const ProgramConfig& config() const { return config_; }
  const ProgramTime& time() const { return time_; }
  Store& store() { return *store_; }

  // Decodes, validates, deduplicates and folds a batch (at most limits::kIngestBatchEventsMax
  // lines), then stores the accepted events and the new member states in one durable commit. The
  // results answer the lines one for one. An error return means nothing of the batch was stored.
  // `records`, if given, is called with the results before the commit; what it returns is stored
  // with the batch (also when no event was accepted).
  Result<std::vector<IngestLineResult>> IngestLines(const std::vector<std::string_view>& lines,
                                                    const IngestRecords& records = {});
  // The same for events that are already decoded and validated (importers, generators).
  Result<std::vector<IngestLineResult>> IngestEvents(std::vector<Event> events);

  // Freezes scores, breakdowns and tiers of every member covered at the month's instant.
  // Errors: kAlreadyPublished, kMonthNotAfterLatest, kInstantInFuture (instant after `now`).
  Result<PublicationInfo> Publish(MonthKey month, Instant now,
                                  const RecordFor<PublicationInfo>& record = {});
  Result<std::vector<PublicationInfo>> Publications() { return store_->ListPublications(); }
  Result<PublicationInfo> FindPublication(MonthKey month);

  Status ForEachScore(MonthKey month, const std::function<Status(const PublishedRow&)>& visit);
  Result<std::vector<TierCount>> Tiers(MonthKey month);
  Result<MemberReport> Member(std::string_view member);

  // APASS-style invitations: an operator invites a member who is eligible in the latest
  // publication; the member accepts. Errors: kNotPublished, kUnknownMember, kNotEligible,
  // kAlreadyInvited, kNotInvited.
  Result<Invitation> Invite(std::string_view member, Instant now,
                            const RecordFor<Invitation>& record = {});
  Result<Invitation> Accept(std::string_view member, Instant now,
                            const RecordFor<Invitation>& record = {});

  // The server's idempotency records (issue 4).
  Result<std::optional<IdempotencyRecord>> FindIdempotencyRecord(std::string_view scope,
                                                                 std::string_view key) {
    return store_->FindIdempotencyRecord(scope, key);
  }
  Result<int64_t> PurgeIdempotencyRecords(Instant created_before) {
    return store_->PurgeIdempotencyRecords(created_before);
  }

 private:
  Engine(std::unique_ptr<Store> store, ProgramConfig config, EngineOptions options);
  // Loads the ingest position and folds events of batches after the checkpoint.
  Status Recover();
  Result<std::vector<IngestLineResult>> IngestDecoded(std::vector<Result<Event>> decoded,
                                                      const IngestRecords& records = {});
  // The decoded state of `member` for the current batch: from the resident table, else (when the
  // table does not hold every member) from the store, else a new one.
  Result<MemberState*> WorkingState(std::string_view member);
  // Encodes the batch's states that took an event into the resident table (dirty), then forgets
  // the batch's states; DropWorking only forgets them.
  void KeepWorking();
  void DropWorking();
  // Makes the resident table hold every member the store has; false if they are too many.
  Result<bool> LoadAllStates();
  Status WriteRowsFromMemory(PublicationWriter& writer, MonthKey month, Instant instant,
                             const std::vector<std::string>& accepted, int64_t* members);
  Status WriteRowsFromStore(PublicationWriter& writer, MonthKey month, Instant instant,
                            const std::vector<std::string>& accepted, int64_t* members);
  PublishedRow ScoreRow(const MemberState& state, MonthKey month,
                        const std::vector<std::string>& accepted_invitations) const;
  // Decodes and scores one chunk of saved states: the rows of the covered members, in order.
  // Reads only the config, so chunks can be scored on another thread.
  Result<std::vector<PublishedRow>> ScoreChunk(
      const std::vector<std::string>& states, MonthKey month, Instant instant,
      const std::vector<std::string>& accepted_invitations) const;

  std::unique_ptr<Store> store_;
  ProgramConfig config_;
  ProgramTime time_;
  EngineOptions options_;
  MemberTable states_;       // resident encoded states; dirty ones changed since the checkpoint
  bool all_loaded_ = false;  // states_ holds every member the store has
  // The current batch's decoded states (reused between batches) and which of them took an event.
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>()(text); }
  };
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> working_index_;
  std::vector<MemberState> working_;
  std::vector<char> working_changed_;
  std::vector<std::string> working_encoded_;
  size_t working_used_ = 0;
  int64_t last_batch_ = 0;
  int64_t checkpoint_batch_ = 0;
};

}  // namespace onecard
