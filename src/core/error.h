// The closed set of expected error codes. Every operating error that input can cause is one of
// these, returned as a value; the CLI and (later) the server map them to messages and statuses.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace onecard {

// Keep ErrorCodeName() in error.cc in step with this list; codes are part of the public contract
// (scenario files and clients match on the names).
enum class ErrorCode : uint16_t {
  // Event decoding and validation.
  kInvalidJson,
  kUnknownField,
  kMissingField,
  kInvalidType,  // a JSON value of the wrong kind (number where a string was expected ...)
  kUnknownEventType,
  kInvalidId,
  kInvalidMember,
  kInvalidAt,
  kInvalidAmount,
  kInvalidOrder,
  kInvalidText,  // site, shop, category: empty, too long or with control characters
  kInvalidGoods,
  kInvalidLevel,
  kLineTooLong,
  // Idempotency and folding.
  kIdConflict,      // same event id, other content
  kDuplicateOrder,  // a second purchase naming an order the member already has
  kLimitExceeded,   // a per-member or per-order limit (see limits.h) was reached
  // Months, publications, tiers.
  kInvalidMonth,
  kAlreadyPublished,
  kMonthNotAfterLatest,
  kInstantInFuture,
  kNotPublished,
  kUnknownMember,
  kNotEligible,
  kNotInvited,
  kAlreadyInvited,
  // Configuration.
  kInvalidConfig,
  // Storage and I/O.
  kStoreError,
  kCorruptState,
  kIoError,
  kInvalidArgument,
  // Exclusive drops (PRODUCT §6; core/drop_rules.h, engine/drop_service.h).
  kUnknownDrop,       // no drop with that id (config or operator-created)
  kDropExists,        // an operator drop with the id of an existing drop
  kDropNotOpen,       // no slot of the drop accepts claims or registrations at that moment
  kInvalidSlot,       // the named instant is not a slot of the drop
  kWrongDropMode,     // a claim on a lottery drop, a registration or draw on a first-come one
  kPaidPlanRequired,  // the drop is for paid members and the member is not one
  kTierTooLow,        // the member's tier is below the drop's minimum tier
  kOverMemberLimit,   // more units than the drop's per-member limit
  kSoldOut,           // no unit left (held and confirmed units fill the stock)
  kClaimConflict,     // a repeated claim or registration asking for another quantity
  kNoClaim,           // confirm or release of a claim the member does not have
  kClaimNotHeld,      // confirm or release of a claim already confirmed, released or expired
  kHoldExpired,       // confirm after the hold ran out
  kDrawNotReady,      // a draw before the registration window closed
  kAlreadyDrawn,
  kNotDrawn,
  // The paid plan (PRODUCT §3; engine/plan_service.h).
  kInvalidKey,           // an idempotency key: empty, too long or not visible ASCII
  kIdempotencyConflict,  // a key used before with another request (plan, checkout commit)
  kPlanActive,           // a purchase while a paid term runs (renew instead)
  kPlanNotActive,        // no running term to renew, refund, suspend or revoke
  kPlanSuspended,        // the plan is suspended: reinstate first
  kPlanRevoked,          // the plan was revoked: no purchase, renewal or refund any more
  kPlanNotSuspended,     // a reinstatement of a plan that is not suspended
  kRenewalTooEarly,      // a term is already paid ahead of the current one
  kRefundNotAllowed,     // the refund policy refuses (a benefit was used, or policy "none")
  kConcurrentUpdate,     // another writer changed the membership, a member or a budget; retry
  // Benefits and checkout (issue 3: partners, catalogue, checkout).
  kUnknownBenefit,         // a benefit id the catalogue does not have
  kInvalidCart,            // a cart line, amount, flag or choice that breaks a rule or a limit
  kNotCheckoutBenefit,     // a benefit chosen at checkout that is activated or listed only
  kUnknownOrder,           // an order not known: a checkout reverse, or a points refund of an order that earned nothing
  kUnknownFulfilment,
  // Points ledger (issue 5, core/ledger_ops.h).
  kUnknownProgram,     // no [[points_programs]] entry with this id
  kUnknownChannel,     // the program has no earning rate for the channel
  kInvalidPoints,      // not a positive whole number of points, or not what the rule allows
  kInsufficientPoints,  // the account's available points do not cover the debit
  kSameAccount,        // a transfer from an account to itself
  kUnknownTransfer,    // a post or void names a transfer the ledger does not have
  kNotPending,         // a post or void names a transfer that is not pending
  kAlreadyPosted,      // the pending transfer was posted already
  kAlreadyVoided,      // the pending transfer was voided already (by a void or its timeout)
  kPendingTimedOut,    // a post after the pending transfer's timeout
  kRefundExceedsOrder,  // refunds would add up to more than the order's amount
  kUnknownPartner,     // the program exchanges with no such partner
  kConsentRequired,    // a partner link without the member's consent
  kNotLinked,          // an exchange or status for a member not linked to the partner
  kAlreadyLinked,      // the member is linked to another account of the partner
  kChallengeActive,    // a status challenge is already running
};

std::string_view ErrorCodeName(ErrorCode code);

// An expected failure: what kind (code), which input field it concerns (may be empty) and a
// sentence for people.
struct Error {
  ErrorCode code;
  std::string field;
  std::string message;

  std::string ToString() const;  // "invalid_amount (amount): must be a decimal string"
};

// The input shown back in a message: printable ASCII only (other bytes as \xNN), cut after 40
// bytes, so that a message stays a sentence even for a line of garbage.
std::string QuoteInput(std::string_view text);

}  // namespace onecard
