// Event validation: the field set of each type, the form of every field, the order in which
// errors are reported, and the canonical text used for idempotency.
#include "core/event.h"

#include <gtest/gtest.h>

#include <set>

#include "core/limits.h"

namespace onecard {
namespace {

constexpr int32_t kUtc8 = 8 * 3600;
constexpr int64_t kUs = 1'000'000;
constexpr int64_t kDec8Local = 1323273600 * kUs;  // 2011-12-08T00:00:00+08:00

RawEvent Base(std::string type) {
  RawEvent raw;
  raw.id = "e-1";
  raw.type = std::move(type);
  raw.member = "alice";
  raw.at = "2011-12-08T00:00:00";
  return raw;
}

RawEvent Purchase() {
  RawEvent raw = Base("purchase");
  raw.order = "o-1";
  raw.amount = "123.45";
  raw.site = "tmall";
  raw.shop = "Apple 旗舰店";
  raw.category = "phones";
  raw.goods = "physical";
  return raw;
}

Result<Event> Validate(const RawEvent& raw) { return ValidateEvent(raw, ProgramTime(kUtc8)); }

// "code (field): message" of the expected failure, or "ok".
std::string Outcome(const RawEvent& raw) {
  Result<Event> event = Validate(raw);
  if (event.ok()) return "ok";
  return event.error().ToString();
}

std::string ErrorOf(const RawEvent& raw, ErrorCode* code, std::string* field) {
  Result<Event> event = Validate(raw);
  EXPECT_FALSE(event.ok());
  if (event.ok()) return "";
  *code = event.error().code;
  *field = event.error().field;
  return event.error().message;
}

// Asserts the exact code, field and message of the first error.
void ExpectError(const RawEvent& raw, ErrorCode code, std::string_view field,
                 std::string_view message) {
  ErrorCode got_code = ErrorCode::kInvalidArgument;
  std::string got_field;
  const std::string got_message = ErrorOf(raw, &got_code, &got_field);
  EXPECT_EQ(ErrorCodeName(got_code), ErrorCodeName(code)) << got_message;
  EXPECT_EQ(got_field, field);
  EXPECT_EQ(got_message, message);
}

TEST(EventTypeTest, NamesRoundTrip) {
  const std::string_view names[] = {"purchase", "refund", "review", "share",
                                    "post",     "answer", "credit", "visit"};
  for (int i = 0; i < kEventTypeCount; ++i) {
    const auto type = static_cast<EventType>(i);
    EXPECT_EQ(EventTypeName(type), names[i]);
    EXPECT_EQ(ParseEventType(names[i]), type);
  }
  EXPECT_EQ(ParseEventType("Purchase"), std::nullopt);
  EXPECT_EQ(ParseEventType(""), std::nullopt);
  EXPECT_EQ(ParseEventType("purchase "), std::nullopt);
  EXPECT_EQ(GoodsName(Goods::kPhysical), "physical");
  EXPECT_EQ(GoodsName(Goods::kVirtual), "virtual");
}

TEST(ValidateEventTest, Purchase) {
  Result<Event> event = Validate(Purchase());
  ASSERT_TRUE(event.ok()) << event.error().ToString();
  EXPECT_EQ(event->id, "e-1");
  EXPECT_EQ(event->type, EventType::kPurchase);
  EXPECT_EQ(event->member, "alice");
  EXPECT_EQ(event->at.us, kDec8Local);
  EXPECT_EQ(event->order, "o-1");
  EXPECT_EQ(event->amount.minor, 12345);
  EXPECT_EQ(event->site, "tmall");
  EXPECT_EQ(event->shop, "Apple 旗舰店");
  EXPECT_EQ(event->category, "phones");
  EXPECT_EQ(event->goods, Goods::kPhysical);
  RawEvent raw = Purchase();
  raw.goods = "virtual";
  EXPECT_EQ(Validate(raw)->goods, Goods::kVirtual);
}

TEST(ValidateEventTest, RefundWithAndWithoutOrder) {
  RawEvent raw = Base("refund");
  raw.amount = "10";
  Result<Event> event = Validate(raw);
  ASSERT_TRUE(event.ok()) << event.error().ToString();
  EXPECT_EQ(event->order, "");
  EXPECT_EQ(event->amount.minor, 1000);
  raw.order = "o-1";
  EXPECT_EQ(Validate(raw)->order, "o-1");
  raw.order = "";
  ExpectError(raw, ErrorCode::kInvalidOrder, "order", "order is empty");
}

TEST(ValidateEventTest, ReviewPhotosDefaultToFalse) {
  RawEvent raw = Base("review");
  raw.order = "o-1";
  Result<Event> event = Validate(raw);
  ASSERT_TRUE(event.ok()) << event.error().ToString();
  EXPECT_EQ(event->order, "o-1");
  EXPECT_FALSE(event->photos);
  raw.photos = true;
  EXPECT_TRUE(Validate(raw)->photos);
  raw.photos = false;
  EXPECT_FALSE(Validate(raw)->photos);
}

TEST(ValidateEventTest, SiteOnlyTypes) {
  for (const char* type : {"share", "post", "answer", "visit"}) {
    RawEvent raw = Base(type);
    raw.site = "ele.me";
    Result<Event> event = Validate(raw);
    ASSERT_TRUE(event.ok()) << type;
    EXPECT_EQ(EventTypeName(event->type), type);
    EXPECT_EQ(event->site, "ele.me");
    raw.site.reset();
    ExpectError(raw, ErrorCode::kMissingField, "site",
                "site is required for a " + std::string(type) + " event");
  }
}

TEST(ValidateEventTest, CreditLevels) {
  RawEvent raw = Base("credit");
  for (int64_t level = 1; level <= 5; ++level) {
    raw.level = level;
    Result<Event> event = Validate(raw);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(event->level, level);
  }
  raw.level = 0;
  ExpectError(raw, ErrorCode::kInvalidLevel, "level", "level 0 is outside 1 to 5");
  raw.level = 6;
  ExpectError(raw, ErrorCode::kInvalidLevel, "level", "level 6 is outside 1 to 5");
  raw.level = -1;
  ExpectError(raw, ErrorCode::kInvalidLevel, "level", "level -1 is outside 1 to 5");
  raw.level = int64_t{1} << 40;
  ExpectError(raw, ErrorCode::kInvalidLevel, "level", "level 1099511627776 is outside 1 to 5");
  raw.level.reset();
  ExpectError(raw, ErrorCode::kMissingField, "level", "level is required for a credit event");
}

TEST(ValidateEventTest, AlwaysRequiredFields) {
  RawEvent raw = Purchase();
  raw.id.reset();
  ExpectError(raw, ErrorCode::kMissingField, "id", "id is required");
  raw = Purchase();
  raw.type.reset();
  ExpectError(raw, ErrorCode::kMissingField, "type", "type is required");
  raw = Purchase();
  raw.member.reset();
  ExpectError(raw, ErrorCode::kMissingField, "member", "member is required");
  raw = Purchase();
  raw.at.reset();
  ExpectError(raw, ErrorCode::kMissingField, "at", "at is required");
}

TEST(ValidateEventTest, UnknownEventType) {
  RawEvent raw = Purchase();
  raw.type = "buy";
  ExpectError(raw, ErrorCode::kUnknownEventType, "type",
              "type \"buy\" is not an event type (purchase, refund, review, share, post, answer, "
              "credit or visit)");
}

TEST(ValidateEventTest, PurchaseMissingEachField) {
  const struct {
    std::optional<std::string> RawEvent::*member;
    const char* name;
  } fields[] = {{&RawEvent::order, "order"},       {&RawEvent::amount, "amount"},
                {&RawEvent::site, "site"},         {&RawEvent::shop, "shop"},
                {&RawEvent::category, "category"}, {&RawEvent::goods, "goods"}};
  for (const auto& field : fields) {
    RawEvent raw = Purchase();
    (raw.*field.member).reset();
    ExpectError(raw, ErrorCode::kMissingField, field.name,
                std::string(field.name) + " is required for a purchase event");
  }
  RawEvent review = Base("review");
  ExpectError(review, ErrorCode::kMissingField, "order", "order is required for a review event");
  RawEvent refund = Base("refund");
  ExpectError(refund, ErrorCode::kMissingField, "amount", "amount is required for a refund event");
}

TEST(ValidateEventTest, FieldsNotOfTheTypeAreUnknown) {
  RawEvent raw = Base("share");
  raw.site = "tmall";
  raw.amount = "1";
  ExpectError(raw, ErrorCode::kUnknownField, "amount", "amount is not a field of a share event");
  raw = Purchase();
  raw.photos = true;
  ExpectError(raw, ErrorCode::kUnknownField, "photos", "photos is not a field of a purchase event");
  raw = Purchase();
  raw.level = 3;
  ExpectError(raw, ErrorCode::kUnknownField, "level", "level is not a field of a purchase event");
  raw = Base("refund");
  raw.amount = "1";
  raw.site = "tmall";
  ExpectError(raw, ErrorCode::kUnknownField, "site", "site is not a field of a refund event");
  raw = Base("review");
  raw.order = "o";
  raw.goods = "physical";
  ExpectError(raw, ErrorCode::kUnknownField, "goods", "goods is not a field of a review event");
  raw = Base("credit");
  raw.level = 3;
  raw.order = "o";
  ExpectError(raw, ErrorCode::kUnknownField, "order", "order is not a field of a credit event");
  raw = Base("visit");
  raw.site = "s";
  raw.shop = "x";
  raw.category = "y";
  ExpectError(raw, ErrorCode::kUnknownField, "shop", "shop is not a field of a visit event");
}

TEST(ValidateEventTest, ErrorOrderIsFixed) {
  // Everything wrong at once: the id is reported first, then type, member, at, then type fields
  // in table order, and foreign fields last.
  RawEvent raw = Purchase();
  raw.id = "";
  raw.type = "nope";
  raw.member = "";
  raw.at = "x";
  raw.level = 9;
  EXPECT_EQ(Outcome(raw), "invalid_id (id): id is empty");
  raw.id = "e";
  EXPECT_EQ(ErrorCodeName(Validate(raw).error().code), "unknown_event_type");
  raw.type = "purchase";
  EXPECT_EQ(Validate(raw).error().field, "member");
  raw.member = "m";
  EXPECT_EQ(Validate(raw).error().field, "at");
  raw.at = "2011-12-08T00:00:00";
  raw.order = "";
  raw.amount = "x";
  raw.site = "";
  raw.shop = "";
  raw.category = "";
  raw.goods = "x";
  EXPECT_EQ(Validate(raw).error().field, "order");
  raw.order = "o";
  EXPECT_EQ(Validate(raw).error().field, "amount");
  raw.amount = "1";
  EXPECT_EQ(Validate(raw).error().field, "site");
  raw.site = "s";
  EXPECT_EQ(Validate(raw).error().field, "shop");
  raw.shop = "s";
  EXPECT_EQ(Validate(raw).error().field, "category");
  raw.category = "c";
  EXPECT_EQ(Validate(raw).error().field, "goods");
  raw.goods = "virtual";
  EXPECT_EQ(Outcome(raw), "unknown_field (level): level is not a field of a purchase event");
  raw.level.reset();
  EXPECT_EQ(Outcome(raw), "ok");
  // A refund checks its amount before its optional order.
  RawEvent refund = Base("refund");
  refund.order = "";
  refund.amount = "-1";
  EXPECT_EQ(Validate(refund).error().field, "amount");
}

TEST(ValidateEventTest, Identifiers) {
  const std::string id_max(limits::kEventIdBytesMax, 'i');
  const std::string member_max(limits::kMemberIdBytesMax, 'm');
  const std::string order_max(limits::kOrderIdBytesMax, 'o');
  RawEvent raw = Purchase();
  raw.id = id_max;
  raw.member = member_max;
  raw.order = order_max;
  raw.id->front() = '!';
  raw.id->back() = '~';
  ASSERT_TRUE(Validate(raw).ok());

  raw = Purchase();
  raw.id = id_max + "i";
  ExpectError(raw, ErrorCode::kInvalidId, "id",
              "id \"" + std::string(40, 'i') + "...\" is longer than 128 bytes");
  raw.id = "a b";
  ExpectError(raw, ErrorCode::kInvalidId, "id",
              "id \"a b\" contains a character that is not visible ASCII (spaces and control "
              "characters are not allowed)");
  raw.id = "a\tb";
  ExpectError(raw, ErrorCode::kInvalidId, "id",
              "id \"a\\x09b\" contains a character that is not visible ASCII (spaces and control "
              "characters are not allowed)");
  raw.id = "é";
  EXPECT_EQ(Validate(raw).error().code, ErrorCode::kInvalidId);
  raw.id = std::string("a\x7F", 2);
  EXPECT_EQ(Validate(raw).error().code, ErrorCode::kInvalidId);

  raw = Purchase();
  raw.member = "";
  ExpectError(raw, ErrorCode::kInvalidMember, "member", "member is empty");
  raw.member = member_max + "m";
  ExpectError(raw, ErrorCode::kInvalidMember, "member",
              "member \"" + std::string(40, 'm') + "...\" is longer than 64 bytes");
  raw.member = "bob smith";
  EXPECT_EQ(Outcome(raw),
            "invalid_member (member): member \"bob smith\" contains a character that is not "
            "visible ASCII (spaces and control characters are not allowed)");

  raw = Purchase();
  raw.order = "";
  ExpectError(raw, ErrorCode::kInvalidOrder, "order", "order is empty");
  raw.order = order_max + "o";
  ExpectError(raw, ErrorCode::kInvalidOrder, "order",
              "order \"" + std::string(40, 'o') + "...\" is longer than 128 bytes");
  raw.order = "o\n1";
  EXPECT_EQ(Validate(raw).error().code, ErrorCode::kInvalidOrder);
}

TEST(ValidateEventTest, Texts) {
  RawEvent raw = Purchase();
  raw.site = std::string(limits::kTextBytesMax, 's');
  raw.shop = "店 with spaces and ünïcödé 🎉";
  ASSERT_TRUE(Validate(raw).ok());
  raw.site = std::string(limits::kTextBytesMax + 1, 's');
  ExpectError(raw, ErrorCode::kInvalidText, "site",
              "site \"" + std::string(40, 's') + "...\" is longer than 128 bytes");
  raw.site = "";
  ExpectError(raw, ErrorCode::kInvalidText, "site", "site is empty");

  raw = Purchase();
  raw.shop = "a\nb";
  ExpectError(raw, ErrorCode::kInvalidText, "shop",
              "shop \"a\\x0ab\" contains a control character");
  raw.shop = std::string("a\x7F", 2);
  ExpectError(raw, ErrorCode::kInvalidText, "shop", "shop \"a\\x7f\" contains a control character");
  raw.shop = std::string("a\0b", 3);
  EXPECT_EQ(Validate(raw).error().code, ErrorCode::kInvalidText);

  raw = Purchase();
  const std::string bad_utf8[] = {
      "\xC3",              // truncated
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // invalid lead
      "\x80",              // lone continuation
      "\xE4\xB8",          // truncated 3-byte
      "\xE4\x41\x41",      // bad continuation
  };
  for (const std::string& text : bad_utf8) {
    raw.category = "c" + text;
    ErrorCode code = ErrorCode::kInvalidArgument;
    std::string field;
    const std::string message = ErrorOf(raw, &code, &field);
    EXPECT_EQ(code, ErrorCode::kInvalidText);
    EXPECT_EQ(field, "category");
    EXPECT_TRUE(message.ends_with("is not valid UTF-8")) << message;
  }
  raw.category = "\xF0\x9F\x8E\x89\xE4\xB8\xAD\xC3\xA9";  // 🎉中é
  EXPECT_TRUE(Validate(raw).ok());
}

TEST(ValidateEventTest, AmountAndGoodsAndAt) {
  RawEvent raw = Purchase();
  raw.amount = "12.345";
  ExpectError(raw, ErrorCode::kInvalidAmount, "amount",
              "amount \"12.345\" has more than two decimal places");
  raw = Purchase();
  raw.goods = "Physical";
  ExpectError(raw, ErrorCode::kInvalidGoods, "goods",
              "goods \"Physical\" is neither \"physical\" nor \"virtual\"");
  raw = Purchase();
  raw.at = "2011-02-30T00:00:00";
  ExpectError(raw, ErrorCode::kInvalidAt, "at",
              "at \"2011-02-30T00:00:00\" has day 30, which month 2011-02 does not have");
  raw.at = "2011-12-07T16:00:00Z";
  EXPECT_EQ(Validate(raw)->at.us, kDec8Local);
}

Event ValidOrDie(const RawEvent& raw) {
  Result<Event> event = Validate(raw);
  EXPECT_TRUE(event.ok()) << (event.ok() ? "" : event.error().ToString());
  return event.ok() ? *event : Event{};
}

TEST(CanonicalEventTextTest, ExactText) {
  EXPECT_EQ(CanonicalEventText(ValidOrDie(Purchase())),
            "type=8:purchase;member=5:alice;at=16:1323273600000000;order=3:o-1;amount=5:12345;"
            "site=5:tmall;shop=15:Apple 旗舰店;category=6:phones;goods=8:physical;");
  RawEvent refund = Base("refund");
  refund.amount = "1";
  EXPECT_EQ(CanonicalEventText(ValidOrDie(refund)),
            "type=6:refund;member=5:alice;at=16:1323273600000000;order=0:;amount=3:100;");
  RawEvent review = Base("review");
  review.order = "o";
  review.photos = true;
  EXPECT_EQ(CanonicalEventText(ValidOrDie(review)),
            "type=6:review;member=5:alice;at=16:1323273600000000;order=1:o;photos=4:true;");
  RawEvent credit = Base("credit");
  credit.level = 4;
  EXPECT_EQ(CanonicalEventText(ValidOrDie(credit)),
            "type=6:credit;member=5:alice;at=16:1323273600000000;level=1:4;");
}

TEST(CanonicalEventTextTest, SameContentSameTextWhateverTheSpelling) {
  RawEvent a = Purchase();
  RawEvent b = Purchase();
  b.id = "other-id";  // the id is the key, not the content
  b.at = "2011-12-07T16:00:00.000000Z";
  b.amount = "0123.45";
  EXPECT_EQ(CanonicalEventText(ValidOrDie(a)), CanonicalEventText(ValidOrDie(b)));
}

TEST(CanonicalEventTextTest, DifferentContentNeverCollides) {
  std::vector<RawEvent> raws;
  raws.push_back(Purchase());
  RawEvent shifted = Purchase();  // moves a byte from one field to the next
  shifted.site = "tmal";
  shifted.shop = "lApple 旗舰店";
  raws.push_back(shifted);
  RawEvent virt = Purchase();
  virt.goods = "virtual";
  raws.push_back(virt);
  RawEvent later = Purchase();
  later.at = "2011-12-08T00:00:00.000001";
  raws.push_back(later);
  RawEvent cents = Purchase();
  cents.amount = "123.46";
  raws.push_back(cents);
  RawEvent member = Purchase();
  member.member = "alicf";
  raws.push_back(member);
  RawEvent tricky = Purchase();  // a value that spells the next key
  tricky.site = "tmall;shop=15:Apple 旗舰店";
  tricky.shop = "x";
  raws.push_back(tricky);
  for (const char* type : {"share", "post", "answer", "visit"}) {
    RawEvent raw = Base(type);
    raw.site = "tmall";
    raws.push_back(raw);
  }
  RawEvent photos = Base("review");
  photos.order = "o";
  raws.push_back(photos);
  photos.photos = true;
  raws.push_back(photos);
  RawEvent refund = Base("refund");
  refund.amount = "1";
  raws.push_back(refund);
  refund.order = "o";
  raws.push_back(refund);
  for (int64_t level = 1; level <= 5; ++level) {
    RawEvent credit = Base("credit");
    credit.level = level;
    raws.push_back(credit);
  }
  std::set<std::string> texts;
  for (const RawEvent& raw : raws) texts.insert(CanonicalEventText(ValidOrDie(raw)));
  EXPECT_EQ(texts.size(), raws.size());
}

}  // namespace
}  // namespace onecard
