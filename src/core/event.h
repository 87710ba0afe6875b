// The behaviour events of PRODUCT §1: the immutable inputs of the program, and their validation.
// Decoding JSON is the engine's job (core is pure); it hands over a RawEvent of the fields it
// found, and ValidateEvent turns that into an Event or an Error naming the field at fault.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/money.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

enum class EventType : uint8_t {
  kPurchase,
  kRefund,
  kReview,
  kShare,
  kPost,
  kAnswer,
  kCredit,
  kVisit
};
inline constexpr int kEventTypeCount = 8;

std::string_view EventTypeName(EventType type);
std::optional<EventType> ParseEventType(std::string_view name);

enum class Goods : uint8_t { kPhysical, kVirtual };
std::string_view GoodsName(Goods goods);

struct Event {
  std::string id;
  EventType type = EventType::kVisit;
  std::string member;
  Instant at;
  std::string order;     // purchase, review: required; refund: empty when it names no order
  Money amount;          // purchase, refund
  std::string site;      // purchase, share, post, answer, visit
  std::string shop;      // purchase
  std::string category;  // purchase
  Goods goods = Goods::kPhysical;  // purchase
  bool photos = false;             // review
  int32_t level = 0;               // credit: 1..5

  friend bool operator==(const Event&, const Event&) = default;
};

// The fields of one event as found in the input, before validation. A field that was absent or
// JSON null is std::nullopt.
struct RawEvent {
  std::optional<std::string> id, type, member, at, order, amount, site, shop, category, goods;
  std::optional<bool> photos;
  std::optional<int64_t> level;
};

// Checks presence, form and range of every field for the event's type; a field that does not
// belong to the type is kUnknownField. Timestamps without an offset are read in program time.
Result<Event> ValidateEvent(const RawEvent& raw, const ProgramTime& time);

// The event's content in one canonical text (fixed key order, UTC microseconds for `at`, money in
// minor units), so that two deliveries of the same event compare equal whatever their key order,
// spacing or offset. Used for idempotency: same id and same canonical text is a duplicate.
std::string CanonicalEventText(const Event& event);

// True when two validated events are the same delivery: equal id and equal content (the fields
// of their type; the others are not part of an event). The same as equal CanonicalEventText and
// ids, without building the texts.
bool SameEventContent(const Event& a, const Event& b);

}  // namespace onecard
