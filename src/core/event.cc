// Event validation (PRODUCT §1). Fields are checked in one fixed order so that the first error
// reported for a bad event never depends on anything but the event:
//   1. id, type, member, at;
//   2. the type's own fields, in the order of the PRODUCT table:
//      purchase: order, amount, site, shop, category, goods
//      refund: amount, order (optional)
//      review: order, photos (optional)
//      share, post, answer, visit: site
//      credit: level
//   3. fields that do not belong to the type, in the order order, amount, site, shop, category,
//      goods, photos, level (kUnknownField).
#include "core/event.h"

#include <array>

#include "core/assert.h"
#include "core/error.h"
#include "core/limits.h"

namespace onecard {
namespace {

constexpr std::array<std::string_view, kEventTypeCount> kEventTypeNames = {
    "purchase", "refund", "review", "share", "post", "answer", "credit", "visit"};
constexpr int32_t kLevelMin = 1;
constexpr int32_t kLevelMax = 5;

std::optional<Error> Missing(const char* field, EventType type) {
  return MakeError(
      ErrorCode::kMissingField, field,
      std::string(field) + " is required for a " + std::string(EventTypeName(type)) + " event");
}

// Identifiers (id, member, order): 1..max_bytes of visible ASCII, so that they print, sort and
// compare byte-wise without surprises.
std::optional<Error> CheckIdentifier(std::string_view value, const char* field, ErrorCode code,
                                     int64_t max_bytes) {
  // Built only on the error path: this runs for every field of every event.
  const auto prefix = [&] { return std::string(field) + " " + QuoteInput(value); };
  if (value.empty()) return MakeError(code, field, std::string(field) + " is empty");
  if (static_cast<int64_t>(value.size()) > max_bytes) {
    return MakeError(code, field,
                     prefix() + " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  for (char c : value) {
    if (c < 0x21 || c > 0x7E) {
      return MakeError(code, field,
                       prefix() +
                           " contains a character that is not visible ASCII (spaces and "
                           "control characters are not allowed)");
    }
  }
  return std::nullopt;
}

// The length of the UTF-8 sequence at text[pos], or 0 when it is not well formed (overlong
// forms, surrogates and code points above U+10FFFF included).
size_t Utf8SequenceLength(std::string_view text, size_t pos) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return 1;
  size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_min = 0xA0;  // overlong
    if (lead == 0xED) second_max = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_min = 0x90;  // overlong
    if (lead == 0xF4) second_max = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (pos + length > text.size()) return 0;
  if (byte(pos + 1) < second_min || byte(pos + 1) > second_max) return 0;
  for (size_t i = 2; i < length; ++i) {
    if (byte(pos + i) < 0x80 || byte(pos + i) > 0xBF) return 0;
  }
  return length;
}

// Names (site, shop, category): 1..kTextBytesMax bytes of UTF-8 without control characters.
std::optional<Error> CheckText(std::string_view value, const char* field) {
  // Built only on the error path: this runs for every field of every event.
  const auto prefix = [&] { return std::string(field) + " " + QuoteInput(value); };
  if (value.empty()) {
    return MakeError(ErrorCode::kInvalidText, field, std::string(field) + " is empty");
  }
  if (static_cast<int64_t>(value.size()) > limits::kTextBytesMax) {
    return MakeError(
        ErrorCode::kInvalidText, field,
        prefix() + " is longer than " + std::to_string(limits::kTextBytesMax) + " bytes");
  }
  for (size_t pos = 0; pos < value.size();) {
    const auto c = static_cast<unsigned char>(value[pos]);
    if (c < 0x20 || c == 0x7F) {
      return MakeError(ErrorCode::kInvalidText, field, prefix() + " contains a control character");
    }
    const size_t length = Utf8SequenceLength(value, pos);
    if (length == 0) {
      return MakeError(ErrorCode::kInvalidText, field, prefix() + " is not valid UTF-8");
    }
    pos += length;
  }
  return std::nullopt;
}

// Which optional fields of RawEvent belong to which type.
struct FieldSet {
  bool order = false, amount = false, site = false, shop = false, category = false, goods = false,
       photos = false, level = false;
};

FieldSet FieldsOf(EventType type) {
  switch (type) {
    case EventType::kPurchase:
      return {true, true, true, true, true, true, false, false};
    case EventType::kRefund:
      return {true, true, false, false, false, false, false, false};
    case EventType::kReview:
      return {true, false, false, false, false, false, true, false};
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer:
    case EventType::kVisit:
      return {false, false, true, false, false, false, false, false};
    case EventType::kCredit:
      return {false, false, false, false, false, false, false, true};
  }
  ONECARD_ASSERT(false);
  return {};
}

std::optional<Error> CheckNoForeignFields(const RawEvent& raw, EventType type) {
  const FieldSet allowed = FieldsOf(type);
  const struct {
    bool present;
    bool allowed;
    const char* name;
  } fields[] = {
      {raw.order.has_value(), allowed.order, "order"},
      {raw.amount.has_value(), allowed.amount, "amount"},
      {raw.site.has_value(), allowed.site, "site"},
      {raw.shop.has_value(), allowed.shop, "shop"},
      {raw.category.has_value(), allowed.category, "category"},
      {raw.goods.has_value(), allowed.goods, "goods"},
      {raw.photos.has_value(), allowed.photos, "photos"},
      {raw.level.has_value(), allowed.level, "level"},
  };
  for (const auto& field : fields) {
    if (field.present && !field.allowed) {
      return MakeError(ErrorCode::kUnknownField, field.name,
                       std::string(field.name) + " is not a field of a " +
                           std::string(EventTypeName(type)) + " event");
    }
  }
  return std::nullopt;
}

std::optional<Error> CheckOrder(const std::optional<std::string>& order, bool required,
                                EventType type, Event* event) {
  if (!order) return required ? Missing("order", type) : std::nullopt;
  if (auto error =
          CheckIdentifier(*order, "order", ErrorCode::kInvalidOrder, limits::kOrderIdBytesMax)) {
    return error;
  }
  event->order = *order;
  return std::nullopt;
}

std::optional<Error> CheckAmount(const std::optional<std::string>& amount, EventType type,
                                 Event* event) {
  if (!amount) return Missing("amount", type);
  Result<Money> money = ParseMoney(*amount);
  if (!money) return money.error();
  event->amount = *money;
  return std::nullopt;
}

std::optional<Error> CheckTextField(const std::optional<std::string>& value, const char* field,
                                    EventType type, std::string* out) {
  if (!value) return Missing(field, type);
  if (auto error = CheckText(*value, field)) return error;
  *out = *value;
  return std::nullopt;
}

std::optional<Error> CheckGoods(const std::optional<std::string>& goods, Event* event) {
  if (!goods) return Missing("goods", EventType::kPurchase);
  if (*goods == "physical") {
    event->goods = Goods::kPhysical;
  } else if (*goods == "virtual") {
    event->goods = Goods::kVirtual;
  } else {
    return MakeError(ErrorCode::kInvalidGoods, "goods",
                     "goods " + QuoteInput(*goods) + " is neither \"physical\" nor \"virtual\"");
  }
  return std::nullopt;
}

std::optional<Error> CheckLevel(const std::optional<int64_t>& level, Event* event) {
  if (!level) return Missing("level", EventType::kCredit);
  if (*level < kLevelMin || *level > kLevelMax) {
    return MakeError(ErrorCode::kInvalidLevel, "level",
                     "level " + std::to_string(*level) + " is outside 1 to 5");
  }
  event->level = static_cast<int32_t>(*level);
  return std::nullopt;
}

// Step 2 of the order at the top of the file.
std::optional<Error> CheckTypeFields(const RawEvent& raw, Event* event) {
  const EventType type = event->type;
  switch (type) {
    case EventType::kPurchase:
      if (auto error = CheckOrder(raw.order, true, type, event)) return error;
      if (auto error = CheckAmount(raw.amount, type, event)) return error;
      if (auto error = CheckTextField(raw.site, "site", type, &event->site)) return error;
      if (auto error = CheckTextField(raw.shop, "shop", type, &event->shop)) return error;
      if (auto error = CheckTextField(raw.category, "category", type, &event->category)) {
        return error;
      }
      return CheckGoods(raw.goods, event);
    case EventType::kRefund:
      if (auto error = CheckAmount(raw.amount, type, event)) return error;
      return CheckOrder(raw.order, false, type, event);
    case EventType::kReview:
      event->photos = raw.photos.value_or(false);
      return CheckOrder(raw.order, true, type, event);
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer:
    case EventType::kVisit:
      return CheckTextField(raw.site, "site", type, &event->site);
    case EventType::kCredit:
      return CheckLevel(raw.level, event);
  }
  ONECARD_ASSERT(false);
  return std::nullopt;
}

// Appends "key=<bytes>:<value>;": the length prefix keeps any value from running into the next.
void AppendField(std::string* out, std::string_view key, std::string_view value) {
  *out += key;
  *out += '=';
  *out += std::to_string(value.size());
  *out += ':';
  *out += value;
  *out += ';';
}

}  // namespace

std::string_view EventTypeName(EventType type) {
  const auto index = static_cast<size_t>(type);
  ONECARD_ASSERT(index < kEventTypeNames.size());
  return kEventTypeNames[index];
}

std::optional<EventType> ParseEventType(std::string_view name) {
  for (size_t i = 0; i < kEventTypeNames.size(); ++i) {
    if (kEventTypeNames[i] == name) return static_cast<EventType>(i);
  }
  return std::nullopt;
}

std::string_view GoodsName(Goods goods) {
  switch (goods) {
    case Goods::kPhysical:
      return "physical";
    case Goods::kVirtual:
      return "virtual";
  }
  ONECARD_ASSERT(false);
  return {};
}

Result<Event> ValidateEvent(const RawEvent& raw, const ProgramTime& time) {
  Event event;
  if (!raw.id) return MakeError(ErrorCode::kMissingField, "id", "id is required");
  if (auto error =
          CheckIdentifier(*raw.id, "id", ErrorCode::kInvalidId, limits::kEventIdBytesMax)) {
    return *error;
  }
  event.id = *raw.id;
  if (!raw.type) return MakeError(ErrorCode::kMissingField, "type", "type is required");
  const std::optional<EventType> type = ParseEventType(*raw.type);
  if (!type) {
    return MakeError(ErrorCode::kUnknownEventType, "type",
                     "type " + QuoteInput(*raw.type) +
                         " is not an event type (purchase, refund, review, share, post, answer, "
                         "credit or visit)");
  }
  event.type = *type;
  if (!raw.member) return MakeError(ErrorCode::kMissingField, "member", "member is required");
  if (auto error = CheckIdentifier(*raw.member, "member", ErrorCode::kInvalidMember,
                                   limits::kMemberIdBytesMax)) {
    return *error;
  }
  event.member = *raw.member;
  if (!raw.at) return MakeError(ErrorCode::kMissingField, "at", "at is required");
  Result<Instant> at = time.ParseTimestamp(*raw.at);
  if (!at) return at.error();
  event.at = *at;
  if (auto error = CheckTypeFields(raw, &event)) return *error;
  if (auto error = CheckNoForeignFields(raw, event.type)) return *error;
  return event;
}

std::string CanonicalEventText(const Event& event) {
  // The id is left out: it is the key this text is compared under. Every other field of the
  // type is written, always in the same order, so equal content gives equal bytes and different
  // content different bytes.
  std::string out;
  AppendField(&out, "type", EventTypeName(event.type));
  AppendField(&out, "member", event.member);
  AppendField(&out, "at", std::to_string(event.at.us));
  const FieldSet fields = FieldsOf(event.type);
  if (fields.order) AppendField(&out, "order", event.order);
  if (fields.amount) AppendField(&out, "amount", std::to_string(event.amount.minor));
  if (fields.site) AppendField(&out, "site", event.site);
  if (fields.shop) AppendField(&out, "shop", event.shop);
  if (fields.category) AppendField(&out, "category", event.category);
  if (fields.goods) AppendField(&out, "goods", GoodsName(event.goods));
  if (fields.photos) AppendField(&out, "photos", event.photos ? "true" : "false");
  if (fields.level) AppendField(&out, "level", std::to_string(event.level));
  return out;
}

bool SameEventContent(const Event& a, const Event& b) {
  if (a.id != b.id || a.type != b.type || a.member != b.member || a.at != b.at) return false;
  const FieldSet fields = FieldsOf(a.type);
  return (!fields.order || a.order == b.order) && (!fields.amount || a.amount == b.amount) &&
         (!fields.site || a.site == b.site) && (!fields.shop || a.shop == b.shop) &&
         (!fields.category || a.category == b.category) && (!fields.goods || a.goods == b.goods) &&
         (!fields.photos || a.photos == b.photos) && (!fields.level || a.level == b.level);
}

}  // namespace onecard
