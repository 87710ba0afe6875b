#include "core/plan_refund_policy.h"

namespace onecard {

std::string_view RefundPolicyName(RefundPolicy policy) {
  switch (policy) {
    case RefundPolicy::kFullIfUnused:
      return "full_if_unused";
    case RefundPolicy::kFull:
      return "full";
    case RefundPolicy::kNone:
      return "none";
  }
  return "none";
}

std::optional<RefundPolicy> ParseRefundPolicy(std::string_view name) {
  for (RefundPolicy policy :
       {RefundPolicy::kFullIfUnused, RefundPolicy::kFull, RefundPolicy::kNone}) {
    if (RefundPolicyName(policy) == name) return policy;
  }
  return std::nullopt;
}

}  // namespace onecard
