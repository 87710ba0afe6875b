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
#include <vector>

#include "core/event.h"
#include "core/member_state.h"
#include "core/program_config.h"
#include "core/result.h"
#include "core/score.h"
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

struct EngineOptions {
  // Member states kept decoded in memory between batches; past this the cache starts over.
  int64_t member_cache_members_max = 1'000'000;
};

class Engine {
 public:
  Engine(std::unique_ptr<Store> store, ProgramConfig config, EngineOptions options = {});

  const ProgramConfig& config() const { return config_; }
  const ProgramTime& time() const { return time_; }
  Store& store() { return *store_; }

  // Decodes, validates, deduplicates and folds a batch (at most limits::kIngestBatchEventsMax
  // lines), then stores the accepted events and the new member states in one durable commit. The
  // results answer the lines one for one. An error return means nothing of the batch was stored.
  Result<std::vector<IngestLineResult>> IngestLines(const std::vector<std::string_view>& lines);
  // The same for events that are already decoded and validated (importers, generators).
  Result<std::vector<IngestLineResult>> IngestEvents(std::vector<Event> events);

  // Freezes scores, breakdowns and tiers of every member covered at the month's instant.
  // Errors: kAlreadyPublished, kMonthNotAfterLatest, kInstantInFuture (instant after `now`).
  Result<PublicationInfo> Publish(MonthKey month, Instant now);
  Result<std::vector<PublicationInfo>> Publications() { return store_->ListPublications(); }
  Result<PublicationInfo> FindPublication(MonthKey month);

  Status ForEachScore(MonthKey month, const std::function<Status(const PublishedRow&)>& visit);
  Result<std::vector<TierCount>> Tiers(MonthKey month);
  Result<MemberReport> Member(std::string_view member);

  // APASS-style invitations: an operator invites a member who is eligible in the latest
  // publication; the member accepts. Errors: kNotPublished, kUnknownMember, kNotEligible,
  // kAlreadyInvited, kNotInvited.
  Result<Invitation> Invite(std::string_view member, Instant now);
  Result<Invitation> Accept(std::string_view member, Instant now);

 private:
  Result<std::vector<IngestLineResult>> IngestDecoded(std::vector<Result<Event>> decoded);
  Result<MemberState*> StateFor(const std::string& member);
  Result<PublishedRow> ScoreRow(const MemberState& state, MonthKey month,
                                const std::vector<std::string>& accepted_invitations);

  std::unique_ptr<Store> store_;
  ProgramConfig config_;
  ProgramTime time_;
  ProgramTime utc_;
  EngineOptions options_;
  std::unordered_map<std::string, MemberState> states_;
};

}  // namespace onecard
