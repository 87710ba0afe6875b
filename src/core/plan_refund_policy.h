// How the paid plan refunds its last charge (PRODUCT §3: "full refund if no benefit was used since
// the last charge; otherwise none (configurable)"). The program file names the policy in
// [plan] refund_policy; core/plan_membership.h applies it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace onecard {

enum class RefundPolicy : uint8_t {
  kFullIfUnused,  // "full_if_unused": the whole last charge, if no benefit was used in its term
  kFull,          // "full": the whole last charge, whatever was used
  kNone,          // "none": no refunds
};

std::string_view RefundPolicyName(RefundPolicy policy);
// The policy with that config name, or nothing.
std::optional<RefundPolicy> ParseRefundPolicy(std::string_view name);

}  // namespace onecard
