// What the ledger's operations record: each Plan* function checks one request against the
// ledger's state and the program's rules and returns the records that carry it out (to be applied
// in order, ledger.h), or the error that rejects it — in which case nothing is recorded. A request
// whose id was seen before with the same content is a duplicate: it records nothing and answers
// with the original transfers; with other content it is kIdConflict.
//
// Ids given by callers are 1..128 visible ASCII characters without ':'; ids with ':' are the
// ledger's own ("earn:<program>:<order>", "expire:<lot>:…"), so the two never meet.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ledger.h"
#include "core/ledger_earning.h"
#include "core/member_standing.h"

namespace onecard {

// A member-to-member transfer (kTransfer) or a redemption (kRedeem, to the issuing account).
// pending: a hold (at checkout) that a later post or void settles; voided at the program's
// hold timeout.
struct TransferRequest {
  std::string id;
  std::string program;
  TransferKind kind = TransferKind::kTransfer;
  std::string from;
  std::string to;  // kTransfer only
  int64_t points = 0;
  bool pending = false;
};

// Posts or voids a pending hold or exchange. An exchange is posted with the partner's
// confirmation id (reference).
struct SettleRequest {
  std::string id;
  std::string pending_id;
  bool post = true;
  std::string reference;
};

// A purchase naming the brand program and the channel: earns the program's points, keyed by
// order (one earning per order and program).
struct EarnRequest {
  std::string program;
  std::string member;
  std::string order;
  std::string channel;
  std::string category;
  Money amount;
  Instant at;
};

struct RefundRequest {
  std::string id;
  std::string program;
  std::string order;
  Money amount;
  Instant at;
};

struct LinkRequest {
  std::string program;
  std::string member;
  std::string partner;
  std::string partner_account;
  bool consent = false;
};

struct ExchangeRequest {
  std::string id;
  std::string program;
  std::string member;
  std::string partner;
  int64_t points = 0;
};

struct StayRequest {
  std::string id;
  std::string program;
  std::string member;
  std::string partner;
  Instant at;
};

struct ChallengeRequest {
  std::string program;
  std::string member;
  std::string partner;
};

// What a request did (or, for a duplicate, did the first time).
struct LedgerOutcome {
  bool duplicate = false;
  std::vector<TransferIndex> transfers;  // the transfers it made, in order
  int64_t points = 0;    // earn: earned; refund: taken back (reversed + debt + written off);
                         // exchange: partner points before the bonus
  int64_t bonus = 0;     // exchange: the block bonus in partner points
  int64_t debt = 0;      // refund: added to the member's debt
  bool pending = false;  // earn: locked until the return window closes
};

// The records of one request and its outcome (the transfer numbers they will get once applied).
struct LedgerPlan {
  std::vector<LedgerRecord> records;
  LedgerOutcome outcome;
};

Result<LedgerPlan> PlanTransfer(const Ledger& ledger, const TransferRequest& request, Instant now);
Result<LedgerPlan> PlanSettle(const Ledger& ledger, const SettleRequest& request, Instant now);
// standing: the member's standing at the purchase (tier and paid plan set the multipliers).
Result<LedgerPlan> PlanEarn(const Ledger& ledger, const EarnRequest& request,
                            const MemberStanding& standing, Instant now);
Result<LedgerPlan> PlanRefund(const Ledger& ledger, const RefundRequest& request, Instant now);
Result<LedgerPlan> PlanLink(const Ledger& ledger, const LinkRequest& request, Instant now);
Result<LedgerPlan> PlanExchange(const Ledger& ledger, const ExchangeRequest& request, Instant now);
Result<LedgerPlan> PlanStay(const Ledger& ledger, const StayRequest& request);
Result<LedgerPlan> PlanChallenge(const Ledger& ledger, const ChallengeRequest& request,
                                 Instant now);

// One step of the ledger's job at `now`: settles the pending transfer with the earliest timeout
// at or before now (posting earnings whose return window closed — paying debt from them — and
// voiding holds and exchanges nobody settled), else expires the lots of the member account with
// the earliest expired lot. Returns nothing when no work is due. Apply each step before planning
// the next.
std::optional<LedgerPlan> PlanJobStep(const Ledger& ledger, Instant now);

// The program's partner exchange arithmetic: partner points for `points` moved, and the bonus.
int64_t PartnerPoints(const PartnerExchange& partner, int64_t points);
int64_t PartnerBonus(const PartnerExchange& partner, int64_t points);

// A member's status with a partner program at `now`.
struct PartnerStatus {
  bool linked = false;
  std::string status;            // empty: none
  std::string reason;            // "paid" or "challenge" when status is held
  std::optional<Instant> until;  // a challenge's status ends then
  int64_t challenge_stays = 0;   // qualifying stays in the current (or last) challenge
  int64_t challenge_stays_needed = 0;
  std::optional<Instant> challenge_ends;  // the window of the current (or last) challenge
};
PartnerStatus PartnerStatusFor(const Ledger& ledger, uint16_t program,
                               const PartnerExchange& partner, std::string_view member, bool paid,
                               Instant now);

// Members of `program` with points expiring in (now, now + the program's warning days], with how
// many and when the first of them expires.
struct ExpiryWarning {
  std::string member;
  int64_t points = 0;
  Instant first_expiry;
};
std::vector<ExpiryWarning> ExpiryWarnings(const Ledger& ledger, uint16_t program, Instant now);

// The program's index in the config, or kUnknownProgram (field "program").
Result<uint16_t> ProgramIndex(const PointsConfig& config, std::string_view id);

}  // namespace onecard
