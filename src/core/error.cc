#include "core/error.h"

namespace onecard {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kUnknownField:
      return "unknown_field";
    case ErrorCode::kMissingField:
      return "missing_field";
    case ErrorCode::kInvalidType:
      return "invalid_type";
    case ErrorCode::kUnknownEventType:
      return "unknown_event_type";
    case ErrorCode::kInvalidId:
      return "invalid_id";
    case ErrorCode::kInvalidMember:
      return "invalid_member";
    case ErrorCode::kInvalidAt:
      return "invalid_at";
    case ErrorCode::kInvalidAmount:
      return "invalid_amount";
    case ErrorCode::kInvalidOrder:
      return "invalid_order";
    case ErrorCode::kInvalidText:
      return "invalid_text";
    case ErrorCode::kInvalidGoods:
      return "invalid_goods";
    case ErrorCode::kInvalidLevel:
      return "invalid_level";
    case ErrorCode::kLineTooLong:
      return "line_too_long";
    case ErrorCode::kIdConflict:
      return "id_conflict";
    case ErrorCode::kDuplicateOrder:
      return "duplicate_order";
    case ErrorCode::kLimitExceeded:
      return "limit_exceeded";
    case ErrorCode::kInvalidMonth:
      return "invalid_month";
    case ErrorCode::kAlreadyPublished:
      return "already_published";
    case ErrorCode::kMonthNotAfterLatest:
      return "month_not_after_latest";
    case ErrorCode::kInstantInFuture:
      return "instant_in_future";
    case ErrorCode::kNotPublished:
      return "not_published";
    case ErrorCode::kUnknownMember:
      return "unknown_member";
    case ErrorCode::kNotEligible:
      return "not_eligible";
    case ErrorCode::kNotInvited:
      return "not_invited";
    case ErrorCode::kAlreadyInvited:
      return "already_invited";
    case ErrorCode::kInvalidConfig:
      return "invalid_config";
    case ErrorCode::kStoreError:
      return "store_error";
    case ErrorCode::kCorruptState:
      return "corrupt_state";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    // HTTP API idempotency keys (issue 4).
    case ErrorCode::kInvalidIdempotencyKey:
      return "invalid_idempotency_key";
    case ErrorCode::kIdempotencyKeyReused:
      return "idempotency_key_reused";
  }
  return "unknown_error";
}

std::string Error::ToString() const {
  std::string out(ErrorCodeName(code));
  if (!field.empty()) out += " (" + field + ")";
  if (!message.empty()) out += ": " + message;
  return out;
}

std::string QuoteInput(std::string_view text) {
  constexpr size_t kShownBytesMax = 40;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kShownBytesMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (text.size() > kShownBytesMax) out += "...";
  out += '"';
  return out;
}

}  // namespace onecard
