// Where the paid plan keeps its records: each member's current membership, their history of
// entries (charges and refunds; suspensions, reinstatements and revocations) and the idempotency
// keys of their requests. The plan service (engine/plan_service.h) owns one PlanStore, on its own
// connection, apart from the score engine's Store.
//
// The publication data (publications, published scores) belongs to the score engine; the plan
// reads it here, read-only, to price a purchase by the member's latest published score.
//
// Contract (as for Store): a write returns after its effect is durable and is atomic; reads see
// every write that returned before them. Every table leads with the member id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plan_economics.h"
#include "core/plan_membership.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// A member's latest published score at a moment: the publication of the latest month that covers
// the member and was published (its job ran) at or before the moment.
struct PlanPublishedScore {
  MonthKey month;
  int64_t score = 0;
  std::string tier;
};

// The current membership, kept beside the history so that the renewal job can find what is due
// without folding every history.
struct PlanMembershipRow {
  std::string member;
  PlanStatus status = PlanStatus::kNone;  // as of the last change (active may have expired since)
  Instant paid_until;                     // the end of the last term still standing
  bool auto_renew = false;
  int64_t entries = 0;  // the seq of the last entry
  int64_t version = 0;  // rises by one with every write of the row
  Instant updated_at;
};

struct PlanMemberRecord {
  std::optional<PlanMembershipRow> membership;  // none before the member's first plan request
  std::vector<PlanEntry> history;               // by seq
};

// What an idempotency key stands for: the request it was first used with and the entry it made.
struct PlanKeyRecord {
  std::string request;
  int64_t seq = 0;
};

// One atomic change of a member's plan.
struct PlanWrite {
  // The membership row's version the writer read (0: no row yet). If the row has moved on, the
  // write fails with kConcurrentUpdate and nothing is written.
  int64_t expected_version = 0;
  PlanMembershipRow membership;    // the new row; its version is set to expected_version + 1
  std::optional<PlanEntry> entry;  // appended to the history (seq = membership.entries)
  // Stored with the entry: the key and the request it stands for. If the key exists already, the
  // write fails with kConcurrentUpdate (a concurrent retry got there first).
  std::optional<std::string> key;
  std::string request;
};

class PlanStore {
 public:
  virtual ~PlanStore() = default;

  virtual Result<std::optional<PlanPublishedScore>> LatestPublishedScore(std::string_view member,
                                                                         Instant at) = 0;
  virtual Result<PlanMemberRecord> LoadMember(std::string_view member) = 0;
  virtual Result<std::optional<PlanKeyRecord>> FindKey(std::string_view member,
                                                       std::string_view key) = 0;
  virtual Status Commit(const PlanWrite& write) = 0;
  // Members with auto_renew set whose last change left the plan active and whose paid_until is at
  // or before `now`, earliest paid_until first, at most `limit` of them.
  virtual Result<std::vector<std::string>> MembersDueForRenewal(Instant now, int64_t limit) = 0;
  // The plan's money between two instants (a program-local month: [from, to)).
  virtual Result<PlanFees> FeesBetween(Instant from, Instant to) = 0;
};

}  // namespace onecard
