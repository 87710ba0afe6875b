#include "engine/event_codec.h"

#include <array>
#include <boost/json.hpp>

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

}  // namespace

Result<Event> DecodeEventJson(std::string_view line, const ProgramTime& time) {
  if (static_cast<int64_t>(line.size()) > limits::kEventLineBytesMax) {
    return MakeError(
        ErrorCode::kLineTooLong, "",
        "line is longer than " + std::to_string(limits::kEventLineBytesMax) + " bytes");
  }
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
  RawEvent raw;
  for (const json::key_value_pair& entry : document.get_object()) {
    Status status = ReadField(entry.key(), entry.value(), &raw);
    if (!status.ok()) return status.error();
  }
  return ValidateEvent(raw, time);
}

std::string EncodeEventJson(const Event& event, const ProgramTime& time) {
  json::object object;
  object["id"] = event.id;
  object["type"] = EventTypeName(event.type);
  object["member"] = event.member;
  object["at"] = time.FormatLocal(event.at);
  switch (event.type) {
    case EventType::kPurchase:
      object["order"] = event.order;
      object["amount"] = FormatMoney(event.amount);
      object["site"] = event.site;
      object["shop"] = event.shop;
      object["category"] = event.category;
      object["goods"] = GoodsName(event.goods);
      break;
    case EventType::kRefund:
      if (!event.order.empty()) object["order"] = event.order;
      object["amount"] = FormatMoney(event.amount);
      break;
    case EventType::kReview:
      object["order"] = event.order;
      object["photos"] = event.photos;
      break;
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer:
    case EventType::kVisit:
      object["site"] = event.site;
      break;
    case EventType::kCredit:
      object["level"] = event.level;
      break;
  }
  return json::serialize(object);
}

}  // namespace onecard
