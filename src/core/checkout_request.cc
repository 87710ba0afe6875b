#include "core/checkout_request.h"

#include <algorithm>

#include "core/checkout_limits.h"
#include "core/limits.h"

namespace onecard {
namespace {

namespace lim = checkout_limits;

bool IsPrintable(const std::string& text) {
  return std::all_of(text.begin(), text.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7F;
  });
}

bool TextOk(const std::string& text, bool required) {
  return !(required && text.empty()) && static_cast<int64_t>(text.size()) <= lim::kTextBytesMax &&
         IsPrintable(text);
}

Error TextError(const std::string& field, bool required) {
  return MakeError(ErrorCode::kInvalidCart, field,
                   field + std::string(required ? " must be 1 to " : " must be at most ") +
                       std::to_string(lim::kTextBytesMax) + " printable bytes");
}

bool AmountOk(Money amount) {
  return amount.minor >= 0 && amount.minor <= lim::kLineAmountMinorMax;
}

Error AmountError(const std::string& field) {
  return MakeError(ErrorCode::kInvalidCart, field,
                   field + " must be from 0.00 to " + FormatMoney(Money{lim::kLineAmountMinorMax}));
}

// Field names are built only for an error: a valid cart is checked without allocating.
Status CheckLine(const CartLine& line, size_t index) {
  const auto at = [index](std::string_view name) {
    return "lines[" + std::to_string(index) + "]" + std::string(name);
  };
  if (!TextOk(line.id, false)) return TextError(at(".id"), false);
  if (line.quantity < 1 || line.quantity > lim::kLineQuantityMax) {
    return MakeError(
        ErrorCode::kInvalidCart, at(".quantity"),
        at(".quantity") + " must be from 1 to " + std::to_string(lim::kLineQuantityMax));
  }
  if (!AmountOk(line.price)) return AmountError(at(".price"));
  if (line.price.minor > lim::kLineAmountMinorMax / line.quantity) {
    return MakeError(
        ErrorCode::kInvalidCart, at(".quantity"),
        at("") + ": price × quantity exceeds " + FormatMoney(Money{lim::kLineAmountMinorMax}));
  }
  if (static_cast<int64_t>(line.flags.size()) > lim::kLineFlagsMax) {
    return MakeError(
        ErrorCode::kInvalidCart, at(".flags"),
        at(".flags") + " has more than " + std::to_string(lim::kLineFlagsMax) + " flags");
  }
  for (size_t f = 0; f < line.flags.size(); ++f) {
    if (!TextOk(line.flags[f], true)) {
      return TextError(at(".flags[" + std::to_string(f) + "]"), true);
    }
  }
  if (!TextOk(line.shop, false)) return TextError(at(".shop"), false);
  if (!TextOk(line.brand, false)) return TextError(at(".brand"), false);
  if (!TextOk(line.category, false)) return TextError(at(".category"), false);
  return Status::Ok();
}

Status CheckChoices(const std::vector<BenefitChoice>& choices, const BenefitCatalog& catalog) {
  if (static_cast<int64_t>(choices.size()) > lim::kChoicesMax) {
    return MakeError(ErrorCode::kInvalidCart, "choices",
                     "at most " + std::to_string(lim::kChoicesMax) + " benefits per request");
  }
  for (size_t i = 0; i < choices.size(); ++i) {
    const auto at = [i] { return "choices[" + std::to_string(i) + "]"; };
    const BenefitChoice& choice = choices[i];
    ONECARD_ASSERT(choice.benefit >= 0 &&
                   choice.benefit < static_cast<int32_t>(catalog.benefits.size()));
    const Benefit& benefit = catalog.benefits[static_cast<size_t>(choice.benefit)];
    if (!IsCheckoutKind(benefit.kind)) {
      return MakeError(ErrorCode::kNotCheckoutBenefit, at() + ".benefit",
                       "\"" + benefit.id + "\" is a " + std::string(BenefitKindName(benefit.kind)) +
                           ", not a benefit used at checkout");
    }
    for (size_t j = 0; j < i; ++j) {
      if (choices[j].benefit == choice.benefit) {
        return MakeError(ErrorCode::kInvalidCart, at() + ".benefit",
                         "\"" + benefit.id + "\" is chosen twice; use count for vouchers");
      }
    }
    const int32_t count_max =
        benefit.kind == BenefitKind::kMonthlyVoucher ? benefit.voucher.per_order : 1;
    if (choice.count < 1 || choice.count > count_max) {
      return MakeError(ErrorCode::kInvalidCart, at() + ".count",
                       at() + ".count must be from 1 to " + std::to_string(count_max) + " for \"" +
                           benefit.id + "\"");
    }
  }
  return Status::Ok();
}

}  // namespace

Status ValidateCheckoutRequest(const CheckoutRequest& request, const BenefitCatalog& catalog) {
  if (request.member.empty() ||
      static_cast<int64_t>(request.member.size()) > limits::kMemberIdBytesMax ||
      !IsPrintable(request.member)) {
    return MakeError(
        ErrorCode::kInvalidMember, "member",
        "member must be 1 to " + std::to_string(limits::kMemberIdBytesMax) + " printable bytes");
  }
  if (request.order.empty() ||
      static_cast<int64_t>(request.order.size()) > limits::kOrderIdBytesMax ||
      !IsPrintable(request.order)) {
    return MakeError(
        ErrorCode::kInvalidOrder, "order",
        "order must be 1 to " + std::to_string(limits::kOrderIdBytesMax) + " printable bytes");
  }
  const Cart& cart = request.cart;
  if (cart.lines.empty() || static_cast<int64_t>(cart.lines.size()) > lim::kCartLinesMax) {
    return MakeError(ErrorCode::kInvalidCart, "lines",
                     "a cart has 1 to " + std::to_string(lim::kCartLinesMax) + " lines");
  }
  for (size_t i = 0; i < cart.lines.size(); ++i) {
    if (Status s = CheckLine(cart.lines[i], i); !s.ok()) return s;
  }
  if (!AmountOk(cart.tax)) return AmountError("tax");
  if (!AmountOk(cart.shipping)) return AmountError("shipping");
  if (!AmountOk(cart.deposit)) return AmountError("deposit");
  return CheckChoices(request.choices, catalog);
}

namespace {

class Fnv {
 public:
  void Bytes(std::string_view bytes) {
    Int(static_cast<int64_t>(bytes.size()));
    for (char c : bytes) Byte(static_cast<uint8_t>(c));
  }
  void Int(int64_t value) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<uint8_t>(static_cast<uint64_t>(value) >> (8 * i)));
  }
  uint64_t hash() const { return hash_; }

 private:
  void Byte(uint8_t byte) {
    hash_ ^= byte;
    hash_ *= 0x100000001b3ULL;
  }
  uint64_t hash_ = 0xcbf29ce484222325ULL;
};

}  // namespace

uint64_t RequestFingerprint(const CheckoutRequest& request, const BenefitCatalog& catalog) {
  Fnv fnv;
  fnv.Bytes(request.member);
  fnv.Bytes(request.order);
  fnv.Int(static_cast<int64_t>(request.cart.lines.size()));
  for (const CartLine& line : request.cart.lines) {
    fnv.Bytes(line.id);
    fnv.Int(line.price.minor);
    fnv.Int(line.quantity);
    fnv.Int(static_cast<int64_t>(line.flags.size()));
    for (const std::string& flag : line.flags) fnv.Bytes(flag);
    fnv.Bytes(line.shop);
    fnv.Bytes(line.brand);
    fnv.Bytes(line.category);
  }
  fnv.Int(request.cart.tax.minor);
  fnv.Int(request.cart.shipping.minor);
  fnv.Int(request.cart.deposit.minor);
  fnv.Int(static_cast<int64_t>(request.choices.size()));
  for (const BenefitChoice& choice : request.choices) {
    // By id: the fingerprint is stored, and an index is only the catalogue's position.
    fnv.Bytes(catalog.benefits[static_cast<size_t>(choice.benefit)].id);
    fnv.Int(choice.count);
  }
  return fnv.hash();
}

}  // namespace onecard
