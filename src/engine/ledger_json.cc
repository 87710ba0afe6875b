#include "engine/ledger_json.h"

#include <boost/json.hpp>
#include <map>
#include <optional>

#include "core/ledger_limits.h"

namespace onecard {
namespace {

namespace json = boost::json;

using Fields = std::map<std::string, std::string, std::less<>>;

Result<Fields> ReadFields(const json::object& object) {
  Fields fields;
  for (const json::key_value_pair& entry : object) {
    const std::string key(entry.key());
    if (!entry.value().is_string()) {
      return MakeError(ErrorCode::kInvalidType, key, key + " must be a JSON string");
    }
    const json::string& text = entry.value().get_string();
    fields.emplace(key, std::string(text.data(), text.size()));
  }
  return fields;
}

// Takes the listed fields out of `fields`; whatever is left over is unknown.
Status Take(Fields& fields, std::initializer_list<std::pair<const char*, std::string*>> wanted) {
  for (const auto& [name, out] : wanted) {
    auto it = fields.find(name);
    if (it == fields.end()) {
      return MakeError(ErrorCode::kMissingField, name, std::string(name) + " is required");
    }
    *out = std::move(it->second);
    fields.erase(it);
  }
  if (!fields.empty()) {
    const std::string& key = fields.begin()->first;
    return MakeError(ErrorCode::kUnknownField, key, "unknown field \"" + key.substr(0, 64) + "\"");
  }
  return Status::Ok();
}

// How many keys the (valid, flat) JSON object in `line` is written with: the parser keeps only
// the last of repeated keys, and a request whose fields say two things is refused instead.
size_t KeysInLine(std::string_view line) {
  size_t keys = 0;
  bool in_string = false;
  bool after_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        after_string = true;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == ':' && after_string) {
      ++keys;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '"') after_string = false;
  }
  return keys;
}

Status MoneyAndTime(const std::string& amount_text, const std::string& at_text,
                    const ProgramTime& time, Money* amount, Instant* at) {
  Result<Money> money = ParseMoney(amount_text);
  if (!money.ok()) return money.error();
  Result<Instant> instant = time.ParseTimestamp(at_text);
  if (!instant.ok()) return instant.error();
  *amount = *money;
  *at = *instant;
  return Status::Ok();
}

}  // namespace

Result<LedgerRequest> DecodeLedgerRequestJson(std::string_view line, const ProgramTime& time) {
  if (static_cast<int64_t>(line.size()) > limits::kLedgerLineBytesMax) {
    return MakeError(
        ErrorCode::kLineTooLong, "",
        "line is longer than " + std::to_string(limits::kLedgerLineBytesMax) + " bytes");
  }
  boost::system::error_code parse_error;
  json::parse_options options;
  options.max_depth = 2;
  json::value document = json::parse(line, parse_error, {}, options);
  if (parse_error) {
    return MakeError(ErrorCode::kInvalidJson, "", "not valid JSON: " + parse_error.message());
  }
  if (!document.is_object()) {
    return MakeError(ErrorCode::kInvalidJson, "", "a request must be a JSON object");
  }
  if (KeysInLine(line) != document.get_object().size()) {
    return MakeError(ErrorCode::kInvalidJson, "", "a field appears more than once");
  }
  Result<Fields> fields = ReadFields(document.get_object());
  if (!fields.ok()) return fields.error();
  auto type_field = fields->find("type");
  if (type_field == fields->end()) {
    return MakeError(ErrorCode::kMissingField, "type", "type is required (earn or refund)");
  }
  const std::string type = std::move(type_field->second);
  fields->erase(type_field);
  std::string amount;
  std::string at;
  if (type == "earn") {
    EarnRequest r;
    if (Status s = Take(*fields, {{"program", &r.program},
                                  {"member", &r.member},
                                  {"order", &r.order},
                                  {"channel", &r.channel},
                                  {"category", &r.category},
                                  {"amount", &amount},
                                  {"at", &at}});
        !s.ok()) {
      return s.error();
    }
    if (Status s = MoneyAndTime(amount, at, time, &r.amount, &r.at); !s.ok()) return s.error();
    return LedgerRequest(std::move(r));
  }
  if (type == "refund") {
    RefundRequest r;
    if (Status s = Take(*fields, {{"id", &r.id},
                                  {"program", &r.program},
                                  {"order", &r.order},
                                  {"amount", &amount},
                                  {"at", &at}});
        !s.ok()) {
      return s.error();
    }
    if (Status s = MoneyAndTime(amount, at, time, &r.amount, &r.at); !s.ok()) return s.error();
    return LedgerRequest(std::move(r));
  }
  return MakeError(ErrorCode::kUnknownEventType, "type",
                   "type " + QuoteInput(type) + " is not earn or refund");
}

}  // namespace onecard
