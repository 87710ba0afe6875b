#include "engine/event_codec.h"

#include <array>
#include <boost/json.hpp>
#include <optional>
#include <vector>

#include "core/limits.h"

namespace onecard {
namespace {

namespace json = boost::json;

Error FieldError(ErrorCode code, std::string_view field, std::string message) {
  return MakeError(code, std::string(field), std::move(message));
}

// Reads a string field; JSON null counts as absent.
Status ReadString(const json::value& value, std::string_view field,
                  std::optional<std::string>* out) {
  if (value.is_null()) return Status::Ok();
  if (!value.is_string()) {
    return FieldError(ErrorCode::kInvalidType, field,
                      std::string(field) + " must be a JSON string");
  }
  const json::string& text = value.get_string();
  *out = std::string(text.data(), text.size());
  return Status::Ok();
}

Status ReadField(std::string_view key, const json::value& value, RawEvent* raw) {
  struct StringField {
    std::string_view name;
    std::optional<std::string> RawEvent::*member;
  };
  static constexpr std::array<StringField, 10> kStringFields = {{
      {"id", &RawEvent::id},
      {"type", &RawEvent::type},
      {"member", &RawEvent::member},
      {"at", &RawEvent::at},
      {"order", &RawEvent::order},
      {"amount", &RawEvent::amount},
      {"site", &RawEvent::site},
      {"shop", &RawEvent::shop},
      {"category", &RawEvent::category},
      {"goods", &RawEvent::goods},
  }};
  for (const StringField& field : kStringFields) {
    if (key == field.name) return ReadString(value, field.name, &(raw->*field.member));
  }
  if (key == "photos") {
    if (value.is_null()) return Status::Ok();
    if (!value.is_bool()) {
      return FieldError(ErrorCode::kInvalidType, key, "photos must be true or false");
    }
    raw->photos = value.get_bool();
    return Status::Ok();
  }
  if (key == "level") {
    if (value.is_null()) return Status::Ok();
    if (value.is_int64()) {
      raw->level = value.get_int64();
    } else if (value.is_uint64()) {
      return FieldError(ErrorCode::kInvalidLevel, key, "level is out of range");
    } else {
      return FieldError(ErrorCode::kInvalidType, key, "level must be a JSON integer");
    }
    return Status::Ok();
  }
  return FieldError(ErrorCode::kUnknownField, key,
                    "unknown field \"" + std::string(key.substr(0, 64)) + "\"");
}

// The first key that appears twice in the top-level object of `line` (as written, escapes and
// all), or "" when none does. The JSON parser keeps the last of repeated keys silently; an event
// whose fields say two things is rejected instead. REQUIRES: `line` is valid JSON (it was parsed).
std::string RepeatedTopLevelKey(std::string_view line) {
  std::vector<std::string_view> keys;
  int depth = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == '"') {
      const size_t start = i + 1;
      for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\') ++i;  // skip the escaped character
      }
      const std::string_view text = line.substr(start, i - start);
      size_t next = line.find_first_not_of(" \t\r\n", i + 1);
      if (depth == 1 && next != std::string_view::npos && line[next] == ':') {
        for (std::string_view seen : keys) {
          if (seen == text) return std::string(text);
        }
        keys.push_back(text);
      }
    }
  }
  return "";
}

// A decoder for the common case, by hand: a flat object whose strings are printable ASCII without
// escapes, each key a known field given once with a value of its kind (a string or null; photos
// true, false or null; level a non-negative integer or null). Such a line means the same to the
// JSON parser, so the result is the same; anything else (escapes, other bytes, other kinds,
// unknown or repeated keys, bad syntax) returns false and takes the parser's path, which
// reports every fault exactly as before.
class FastEventParser {
 public:
  explicit FastEventParser(std::string_view line) : line_(line) {}

  bool Parse(RawEvent* raw) {
    SkipSpace();
    if (!Take('{')) return false;
    SkipSpace();
    if (Take('}')) return AtEndAfterSpace();
    uint32_t seen = 0;
    while (true) {
      std::string_view key;
      if (!String(&key)) return false;
      SkipSpace();
      if (!Take(':')) return false;
      SkipSpace();
      const int field = FieldIndex(key);
      if (field < 0 || (seen & (1u << field)) != 0) return false;
      seen |= 1u << field;
      if (!Value(field, raw)) return false;
      SkipSpace();
      if (Take('}')) return AtEndAfterSpace();
      if (!Take(',')) return false;
      SkipSpace();
    }
  }

 private:
  static constexpr std::array<std::string_view, 12> kFields = {
      "id",   "type", "member",   "at",    "order",  "amount",
      "site", "shop", "category", "goods", "photos", "level"};
  static constexpr int kPhotos = 10;
  static constexpr int kLevel = 11;

  static int FieldIndex(std::string_view key) {
    for (size_t i = 0; i < kFields.size(); ++i) {
      if (kFields[i] == key) return static_cast<int>(i);
    }
    return -1;
  }

  void SkipSpace() {
    while (pos_ < line_.size() && (line_[pos_] == ' ' || line_[pos_] == '\t' ||
                                   line_[pos_] == '\n' || line_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool Take(char c) {
    if (pos_ < line_.size() && line_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool TakeWord(std::string_view word) {
    if (line_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool AtEndAfterSpace() {
    SkipSpace();
    return pos_ == line_.size();
  }
  // A string of printable ASCII without escapes.
  bool String(std::string_view* out) {
    if (!Take('"')) return false;
    const size_t start = pos_;
    while (pos_ < line_.size()) {
      const auto c = static_cast<unsigned char>(line_[pos_]);
      if (c == '"') {
        *out = line_.substr(start, pos_ - start);
        ++pos_;
        return true;
      }
      if (c == '\\' || c < 0x20 || c >= 0x7f) return false;
      ++pos_;
    }
    return false;
  }
  bool Value(int field, RawEvent* raw) {
    if (TakeWord("null")) return true;  // absent, as the parser's path reads it
    if (field == kPhotos) {
      if (TakeWord("true")) {
        raw->photos = true;
      } else if (TakeWord("false")) {
        raw->photos = false;
      } else {
        return false;
      }
      return true;
    }
    if (field == kLevel) {
      // 1 to 18 digits without a leading zero: always an int64 to the parser too.
      const size_t start = pos_;
      while (pos_ < line_.size() && line_[pos_] >= '0' && line_[pos_] <= '9') ++pos_;
      const size_t digits = pos_ - start;
      if (digits == 0 || digits > 18 || (digits > 1 && line_[start] == '0')) return false;
      if (pos_ < line_.size() && (line_[pos_] == '.' || line_[pos_] == 'e' || line_[pos_] == 'E')) {
        return false;
      }
      int64_t value = 0;
      for (size_t i = start; i < pos_; ++i) value = value * 10 + (line_[i] - '0');
      raw->level = value;
      return true;
    }
    std::string_view text;
    if (!String(&text)) return false;
    static constexpr std::array<std::optional<std::string> RawEvent::*, 10> kMembers = {
        &RawEvent::id,       &RawEvent::type,   &RawEvent::member, &RawEvent::at,
        &RawEvent::order,    &RawEvent::amount, &RawEvent::site,   &RawEvent::shop,
        &RawEvent::category, &RawEvent::goods};
    (raw->*kMembers[static_cast<size_t>(field)]).emplace(text);
    return true;
  }

  std::string_view line_;
  size_t pos_ = 0;
};

}  // namespace

Result<Event> DecodeEventJson(std::string_view line, const ProgramTime& time) {
  if (static_cast<int64_t>(line.size()) > limits::kEventLineBytesMax) {
    return MakeError(
        ErrorCode::kLineTooLong, "",
        "line is longer than " + std::to_string(limits::kEventLineBytesMax) + " bytes");
  }
  if (RawEvent raw; FastEventParser(line).Parse(&raw)) return ValidateEvent(raw, time);
  // A small stack buffer serves most events without touching the heap.
  unsigned char buffer[4096];
  json::monotonic_resource resource(buffer, sizeof(buffer));
  json::parse_options options;
  options.max_depth = 4;
  boost::system::error_code parse_error;
  json::value document = json::parse(line, parse_error, &resource, options);
  if (parse_error) {
    return MakeError(ErrorCode::kInvalidJson, "", "not valid JSON: " + parse_error.message());
  }
  if (!document.is_object()) {
    return MakeError(ErrorCode::kInvalidJson, "", "an event must be a JSON object");
  }
  if (auto repeated = RepeatedTopLevelKey(line); !repeated.empty()) {
    return MakeError(ErrorCode::kInvalidJson, repeated,
                     "field \"" + repeated + "\" appears more than once");
  }
  RawEvent raw;
  for (const json::key_value_pair& entry : document.get_object()) {
    Status status = ReadField(entry.key(), entry.value(), &raw);
    if (!status.ok()) return status.error();
  }
  return ValidateEvent(raw, time);
}

namespace {

// Appends `text` as a JSON string. Event text fields are valid UTF-8 (ValidateEvent), so only the
// quote, the backslash and control characters need escaping.
void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (byte < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[byte >> 4]);
      out->push_back(kHex[byte & 0xF]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendField(std::string_view key, std::string_view text, std::string* out) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
  AppendJsonString(text, out);
}

}  // namespace

// Written by hand rather than through a JSON DOM: this runs for every event ingested (it is the
// content compared for idempotency) and every event `onecard gen` writes.
std::string EncodeEventJson(const Event& event, const ProgramTime& time) {
  std::string out;
  out.reserve(96 + event.id.size() + event.member.size() + event.order.size() + event.site.size() +
              event.shop.size() + event.category.size());
  out.append("{\"id\":");
  AppendJsonString(event.id, &out);
  AppendField("type", EventTypeName(event.type), &out);
  AppendField("member", event.member, &out);
  AppendField("at", time.FormatLocal(event.at), &out);
  switch (event.type) {
    case EventType::kPurchase:
      AppendField("order", event.order, &out);
      AppendField("amount", FormatMoney(event.amount), &out);
      AppendField("site", event.site, &out);
      AppendField("shop", event.shop, &out);
      AppendField("category", event.category, &out);
      AppendField("goods", GoodsName(event.goods), &out);
      break;
    case EventType::kRefund:
      if (!event.order.empty()) AppendField("order", event.order, &out);
      AppendField("amount", FormatMoney(event.amount), &out);
      break;
    case EventType::kReview:
      AppendField("order", event.order, &out);
      out.append(event.photos ? ",\"photos\":true" : ",\"photos\":false");
      break;
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer:
    case EventType::kVisit:
      AppendField("site", event.site, &out);
      break;
    case EventType::kCredit:
      out.append(",\"level\":" + std::to_string(event.level));
      break;
  }
  out.push_back('}');
  return out;
}

}  // namespace onecard
