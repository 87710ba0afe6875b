// A checkout request (PRODUCT §4): a cart — lines with price, quantity, flags, shop, brand and
// category, plus tax, shipping and a presale deposit — and the benefits the member chooses to use
// on it. Decoding JSON is the engine's job (engine/checkout_codec.h); the rules of each field are
// here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/benefit_catalog.h"
#include "core/money.h"
#include "core/result.h"

namespace onecard {

struct CartLine {
  std::string id;  // the app's line id, echoed in per-line discounts (may be empty)
  Money price;     // per unit
  int64_t quantity = 0;
  std::vector<std::string> flags;  // e.g. "tmall_95", "new_launch", "flash_sale", "targeted"
  std::string shop;
  std::string brand;
  std::string category;

  friend bool operator==(const CartLine&, const CartLine&) = default;
};

struct Cart {
  std::vector<CartLine> lines;
  // Paid with the order and never discounted by any benefit.
  Money tax;
  Money shipping;
  Money deposit;  // a presale deposit

  friend bool operator==(const Cart&, const Cart&) = default;
};

struct BenefitChoice {
  int32_t benefit = 0;  // index into BenefitCatalog::benefits
  int32_t count = 1;    // vouchers of a monthly voucher to use; 1 for other kinds

  friend bool operator==(const BenefitChoice&, const BenefitChoice&) = default;
};

struct CheckoutRequest {
  std::string member;
  std::string order;  // the app's order id, unique per member
  Cart cart;
  std::vector<BenefitChoice> choices;

  friend bool operator==(const CheckoutRequest&, const CheckoutRequest&) = default;
};

// Checks every field against checkout_limits.h and the catalogue: member and order ids, 1 to
// kCartLinesMax lines, quantity 1..kLineQuantityMax, price × quantity and tax, shipping, deposit
// each at most kLineAmountMinorMax, flags, texts, and choices (each benefit once, a checkout kind,
// count 1 — or 1..per_order for a voucher). Errors: kInvalidMember, kInvalidOrder, kInvalidCart,
// kNotCheckoutBenefit, each naming the field ("lines[2].quantity", "choices[0].count").
Status ValidateCheckoutRequest(const CheckoutRequest& request, const BenefitCatalog& catalog);

// A 64-bit fingerprint of everything in the request, in a fixed order with lengths: what "the
// same request" means when a commit key is retried (FNV-1a; keys are scoped per member, so only
// the member's own app could try to forge a collision).
uint64_t RequestFingerprint(const CheckoutRequest& request, const BenefitCatalog& catalog);

}  // namespace onecard
