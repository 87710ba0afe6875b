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
  // HTTP API idempotency keys (issue 4).
  kInvalidIdempotencyKey,  // empty, too long, or not printable ASCII
  kIdempotencyKeyReused,   // the key was used before with another request
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
