#include "core/plan_request.h"

#include <string>

#include "core/limits.h"
#include "core/plan_limits.h"
#include "core/result.h"

namespace onecard {
namespace {

std::optional<Error> CheckVisibleAscii(std::string_view value, const char* field, ErrorCode code,
                                       int64_t max_bytes) {
  if (value.empty()) return MakeError(code, field, std::string(field) + " is empty");
  if (static_cast<int64_t>(value.size()) > max_bytes) {
    return MakeError(code, field,
                     std::string(field) + " " + QuoteInput(value) + " is longer than " +
                         std::to_string(max_bytes) + " bytes");
  }
  for (char c : value) {
    if (c < 0x21 || c > 0x7E) {
      return MakeError(code, field,
                       std::string(field) + " " + QuoteInput(value) +
                           " contains a character that is not visible ASCII (spaces and control "
                           "characters are not allowed)");
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> CheckPlanMember(std::string_view member) {
  return CheckVisibleAscii(member, "member", ErrorCode::kInvalidMember, limits::kMemberIdBytesMax);
}

std::optional<Error> CheckPlanKey(std::string_view key) {
  return CheckVisibleAscii(key, "key", ErrorCode::kInvalidKey, limits::kPlanKeyBytesMax);
}

std::optional<Error> CheckPlanReason(std::string_view reason) {
  if (static_cast<int64_t>(reason.size()) > limits::kPlanReasonBytesMax) {
    return MakeError(
        ErrorCode::kInvalidText, "reason",
        "reason is longer than " + std::to_string(limits::kPlanReasonBytesMax) + " bytes");
  }
  for (char c : reason) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      return MakeError(ErrorCode::kInvalidText, "reason", "reason contains a control character");
    }
  }
  return std::nullopt;
}

}  // namespace onecard
