#include "engine/checkout_codec.h"

#include <boost/json.hpp>

namespace onecard {
namespace {

namespace json = boost::json;

Error TypeError(const std::string& field, std::string_view expected) {
  return MakeError(ErrorCode::kInvalidType, field, field + " must be " + std::string(expected));
}

Status CheckKeys(const json::object& object, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : object) {
    if (std::find(allowed.begin(), allowed.end(), std::string_view(key)) == allowed.end()) {
      const std::string field = path.empty() ? std::string(key) : path + "." + std::string(key);
      return MakeError(ErrorCode::kUnknownField, field,
                       "unknown field " + QuoteInput(std::string_view(key)));
    }
  }
  return Status::Ok();
}

// Reads an optional string field into *out (absent or null: unchanged).
Status ReadText(const json::object& object, std::string_view key, const std::string& field,
                std::string* out) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return Status::Ok();
  if (!value->is_string()) return TypeError(field, "a JSON string");
  *out = std::string(value->get_string());
  return Status::Ok();
}

Status ReadRequiredText(const json::object& object, std::string_view key, const std::string& field,
                        std::string* out) {
  if (object.if_contains(key) == nullptr) {
    return MakeError(ErrorCode::kMissingField, field, field + " is required");
  }
  return ReadText(object, key, field, out);
}

Status ReadMoney(const json::object& object, std::string_view key, const std::string& field,
                 bool required, Money* out) {
  std::string text;
  Status read =
      required ? ReadRequiredText(object, key, field, &text) : ReadText(object, key, field, &text);
  if (!read.ok() || text.empty()) return read;
  Result<Money> money = ParseMoney(text);
  if (!money.ok()) return MakeError(ErrorCode::kInvalidAmount, field, money.error().message);
  *out = *money;
  return Status::Ok();
}

Status ReadInteger(const json::object& object, std::string_view key, const std::string& field,
                   int64_t* out) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr || value->is_null()) return Status::Ok();
  if (!value->is_int64()) return TypeError(field, "a JSON integer");
  *out = value->get_int64();
  return Status::Ok();
}

Status ReadLine(const json::value& value, const std::string& at, CartLine* line) {
  if (!value.is_object()) return TypeError(at, "a JSON object");
  const json::object& object = value.get_object();
  if (Status s =
          CheckKeys(object, at, {"id", "price", "quantity", "flags", "shop", "brand", "category"});
      !s.ok()) {
    return s;
  }
  if (Status s = ReadText(object, "id", at + ".id", &line->id); !s.ok()) return s;
  if (Status s = ReadMoney(object, "price", at + ".price", true, &line->price); !s.ok()) return s;
  if (object.if_contains("quantity") == nullptr) {
    return MakeError(ErrorCode::kMissingField, at + ".quantity", at + ".quantity is required");
  }
  if (Status s = ReadInteger(object, "quantity", at + ".quantity", &line->quantity); !s.ok()) {
    return s;
  }
  if (const json::value* flags = object.if_contains("flags"); flags != nullptr) {
    if (!flags->is_array()) return TypeError(at + ".flags", "an array of strings");
    for (const json::value& flag : flags->get_array()) {
      if (!flag.is_string()) return TypeError(at + ".flags", "an array of strings");
      line->flags.emplace_back(flag.get_string());
    }
  }
  if (Status s = ReadText(object, "shop", at + ".shop", &line->shop); !s.ok()) return s;
  if (Status s = ReadText(object, "brand", at + ".brand", &line->brand); !s.ok()) return s;
  return ReadText(object, "category", at + ".category", &line->category);
}

Status ReadChoice(const json::value& value, const std::string& at, const BenefitCatalog& catalog,
                  BenefitChoice* choice) {
  if (!value.is_object()) return TypeError(at, "a JSON object");
  const json::object& object = value.get_object();
  if (Status s = CheckKeys(object, at, {"benefit", "count"}); !s.ok()) return s;
  std::string id;
  if (Status s = ReadRequiredText(object, "benefit", at + ".benefit", &id); !s.ok()) return s;
  choice->benefit = catalog.FindBenefit(id);
  if (choice->benefit < 0) {
    return MakeError(ErrorCode::kUnknownBenefit, at + ".benefit",
                     "no benefit " + QuoteInput(id) + " in the catalogue");
  }
  int64_t count = 1;
  if (Status s = ReadInteger(object, "count", at + ".count", &count); !s.ok()) return s;
  if (count < 0 || count > INT32_MAX) {
    return MakeError(ErrorCode::kInvalidCart, at + ".count", at + ".count is out of range");
  }
  choice->count = static_cast<int32_t>(count);
  return Status::Ok();
}

Status ReadArray(const json::object& object, std::string_view key, bool required,
                 const json::array** out) {
  const json::value* value = object.if_contains(key);
  if (value == nullptr) {
    if (!required) return Status::Ok();
    return MakeError(ErrorCode::kMissingField, std::string(key), std::string(key) + " is required");
  }
  if (!value->is_array()) return TypeError(std::string(key), "a JSON array");
  *out = &value->get_array();
  return Status::Ok();
}

}  // namespace

Result<CheckoutInput> DecodeCheckoutJson(std::string_view text, const BenefitCatalog& catalog) {
  if (static_cast<int64_t>(text.size()) > kCheckoutJsonBytesMax) {
    return MakeError(ErrorCode::kLineTooLong, "", "the request exceeds 1 MiB");
  }
  boost::system::error_code code;
  json::value root = json::parse(text, code);
  if (code) return MakeError(ErrorCode::kInvalidJson, "", "not JSON: " + code.message());
  if (!root.is_object()) return MakeError(ErrorCode::kInvalidJson, "", "expected a JSON object");
  const json::object& object = root.get_object();
  if (Status s = CheckKeys(
          object, "", {"key", "member", "order", "lines", "tax", "shipping", "deposit", "choices"});
      !s.ok()) {
    return s.error();
  }
  CheckoutInput input;
  CheckoutRequest& r = input.request;
  for (Status s : {ReadText(object, "key", "key", &input.key),
                   ReadRequiredText(object, "member", "member", &r.member),
                   ReadRequiredText(object, "order", "order", &r.order),
                   ReadMoney(object, "tax", "tax", false, &r.cart.tax),
                   ReadMoney(object, "shipping", "shipping", false, &r.cart.shipping),
                   ReadMoney(object, "deposit", "deposit", false, &r.cart.deposit)}) {
    if (!s.ok()) return s.error();
  }
  const json::array* lines = nullptr;
  if (Status s = ReadArray(object, "lines", true, &lines); !s.ok()) return s.error();
  for (size_t i = 0; i < lines->size(); ++i) {
    CartLine& line = r.cart.lines.emplace_back();
    Status s = ReadLine((*lines)[i], "lines[" + std::to_string(i) + "]", &line);
    if (!s.ok()) return s.error();
  }
  const json::array* choices = nullptr;
  if (Status s = ReadArray(object, "choices", false, &choices); !s.ok()) return s.error();
  for (size_t i = 0; choices != nullptr && i < choices->size(); ++i) {
    BenefitChoice& choice = r.choices.emplace_back();
    Status s = ReadChoice((*choices)[i], "choices[" + std::to_string(i) + "]", catalog, &choice);
    if (!s.ok()) return s.error();
  }
  return input;
}

std::string EncodeCheckoutOutcomeJson(const CheckoutOutcome& outcome,
                                      const CheckoutRequest& request, const BenefitCatalog& catalog,
                                      const ProgramTime& time) {
  const Quote& q = outcome.quote;
  json::object out;
  out["member"] = outcome.member;
  out["order"] = outcome.order;
  out["at"] = time.FormatLocal(outcome.at);
  out["replayed"] = outcome.replayed;
  json::array applied;
  for (const AppliedBenefit& a : q.applied) {
    const Benefit& b = catalog.benefits[static_cast<size_t>(a.benefit)];
    applied.push_back(json::object{{"benefit", b.id},
                                   {"kind", BenefitKindName(b.kind)},
                                   {"units", a.units},
                                   {"discount", FormatMoney(a.discount)},
                                   {"cost", FormatMoney(a.cost)},
                                   {"capped", a.capped}});
  }
  out["applied"] = std::move(applied);
  json::array lines;
  for (size_t i = 0; i < q.line_totals.size(); ++i) {
    json::array discounts;
    for (const LineDiscount& d : q.line_discounts) {
      if (d.line != static_cast<int32_t>(i)) continue;
      const int32_t benefit = q.applied[static_cast<size_t>(d.applied)].benefit;
      discounts.push_back(
          json::object{{"benefit", catalog.benefits[static_cast<size_t>(benefit)].id},
                       {"amount", FormatMoney(d.amount)}});
    }
    const std::string id = i < request.cart.lines.size() ? request.cart.lines[i].id : "";
    lines.push_back(json::object{{"line", i},
                                 {"id", id},
                                 {"total", FormatMoney(q.line_totals[i])},
                                 {"discounts", std::move(discounts)}});
  }
  out["lines"] = std::move(lines);
  json::array declined;
  for (const DeclinedBenefit& d : q.declined) {
    declined.push_back(
        json::object{{"benefit", catalog.benefits[static_cast<size_t>(d.benefit)].id},
                     {"reason", DeclineReasonName(d.reason)}});
  }
  out["declined"] = std::move(declined);
  out["subtotal"] = FormatMoney(q.subtotal);
  out["discount"] = FormatMoney(q.discount);
  out["tax"] = FormatMoney(q.tax);
  out["shipping"] = FormatMoney(q.shipping);
  out["deposit"] = FormatMoney(q.deposit);
  out["total"] = FormatMoney(q.total);
  return json::serialize(out);
}

std::string EncodeReverseJson(const ReverseOutcome& outcome, const BenefitCatalog& catalog,
                              const ProgramTime& time) {
  json::object out;
  out["member"] = outcome.member;
  out["order"] = outcome.order;
  out["reversed_at"] = time.FormatLocal(outcome.reversed_at);
  out["replayed"] = outcome.replayed;
  json::array returned;
  for (const ReturnedUse& r : outcome.returned) {
    returned.push_back(
        json::object{{"benefit", catalog.benefits[static_cast<size_t>(r.benefit)].id},
                     {"units", r.units},
                     {"units_returned", r.units_returned},
                     {"discount", FormatMoney(r.discount)},
                     {"cost", FormatMoney(r.cost)}});
  }
  out["returned"] = std::move(returned);
  return json::serialize(out);
}

std::string_view FulfilmentStatusName(FulfilmentStatus status) {
  switch (status) {
    case FulfilmentStatus::kPending:
      return "pending";
    case FulfilmentStatus::kConfirmed:
      return "confirmed";
    case FulfilmentStatus::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string EncodeFulfilmentJson(const Fulfilment& f, const ProgramTime& time) {
  json::object out;
  out["member"] = f.member;
  out["benefit"] = f.benefit;
  out["term_start"] = time.FormatLocal(Instant{f.term_start_us});
  out["status"] = FulfilmentStatusName(f.status);
  out["confirmation"] = f.confirmation;
  out["attempts"] = f.attempts;
  out["requested_at"] = time.FormatLocal(f.requested_at);
  if (f.confirmed_at.has_value()) out["confirmed_at"] = time.FormatLocal(*f.confirmed_at);
  out["cost"] = FormatMoney(f.cost);
  if (!f.last_error.empty()) out["last_error"] = f.last_error;
  return json::serialize(out);
}

}  // namespace onecard
