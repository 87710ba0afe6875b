// JSON ⇄ checkout: the request of `onecard checkout quote|commit` (and later the HTTP API) and the
// answers of quote, commit, reverse and activation.
//
// Request: {"key": "k1" (commit only), "member": "m1", "order": "o1",
//           "lines": [{"id": "l1", "price": "100.00", "quantity": 1, "flags": ["tmall_95"],
//                      "shop": "s1", "brand": "b1", "category": "shoes"}],
//           "tax": "0.00", "shipping": "0.00", "deposit": "0.00",
//           "choices": [{"benefit": "tmall_95"}, {"benefit": "eleme_voucher", "count": 1}]}
// id, flags, shop, brand, category, tax, shipping, deposit, choices and count are optional. Money
// is a decimal string (core/money.h). Unknown fields are errors.
#pragma once

#include <string>
#include <string_view>

#include "core/benefit_catalog.h"
#include "core/checkout_request.h"
#include "core/program_time.h"
#include "core/result.h"
#include "engine/checkout_service.h"

namespace onecard {

struct CheckoutInput {
  std::string key;  // empty when absent
  CheckoutRequest request;
};

// Errors: kInvalidJson, kUnknownField, kMissingField, kInvalidType, kInvalidAmount (naming the
// field, e.g. "lines[1].price"), kUnknownBenefit ("choices[0].benefit"), kLineTooLong beyond
// kCheckoutJsonBytesMax. Field rules are checked later by ValidateCheckoutRequest.
inline constexpr int64_t kCheckoutJsonBytesMax = 1 << 20;
Result<CheckoutInput> DecodeCheckoutJson(std::string_view text, const BenefitCatalog& catalog);

std::string EncodeCheckoutOutcomeJson(const CheckoutOutcome& outcome,
                                      const CheckoutRequest& request, const BenefitCatalog& catalog,
                                      const ProgramTime& time);
std::string EncodeReverseJson(const ReverseOutcome& outcome, const BenefitCatalog& catalog,
                              const ProgramTime& time);
std::string EncodeFulfilmentJson(const Fulfilment& fulfilment, const ProgramTime& time);
std::string_view FulfilmentStatusName(FulfilmentStatus status);

}  // namespace onecard
