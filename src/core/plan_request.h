// Checks of the inputs every paid-plan request carries (member, idempotency key, reason), each
// failing with the field's own code, so that a bad request is refused before anything is read.
#pragma once

#include <optional>
#include <string_view>

#include "core/error.h"

namespace onecard {

// A member id as events carry it: 1..kMemberIdBytesMax bytes of visible ASCII. kInvalidMember.
std::optional<Error> CheckPlanMember(std::string_view member);
// An idempotency key: 1..kPlanKeyBytesMax bytes of visible ASCII. kInvalidKey.
std::optional<Error> CheckPlanKey(std::string_view key);
// An operator's reason: at most kPlanReasonBytesMax bytes, no control characters (may be empty).
// kInvalidText.
std::optional<Error> CheckPlanReason(std::string_view reason);

}  // namespace onecard
