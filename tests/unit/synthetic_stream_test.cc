// The synthetic event stream: determinism by seed, validity of every event, the configured rates
// of faults and the skew of activity, and memory that does not grow with the stream.
#include "engine/synthetic_stream.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "engine/event_codec.h"

namespace onecard {
namespace {

uint64_t Fnv1a(uint64_t hash, std::string_view text) {
  for (char c : text) hash = (hash ^ static_cast<uint8_t>(c)) * 0x100000001B3ULL;
  return hash;
}

// Visits the first `limit` deliveries (all of them when the stream is shorter).
void ForEach(const SyntheticOptions& options, int64_t limit,
             const std::function<void(const Event&)>& visit) {
  SyntheticStream stream(options);
  Event event;
  for (int64_t i = 0; i < limit && stream.Next(&event); ++i) visit(event);
}

uint64_t CanonicalHash(const SyntheticOptions& options, int64_t limit) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  ForEach(options, limit, [&](const Event& event) {
    hash = Fnv1a(Fnv1a(hash, event.id), CanonicalEventText(event));
  });
  return hash;
}

// The fields in a text of this test's own, so that the pinned hash below changes only when the
// stream does.
uint64_t FieldHash(const SyntheticOptions& options, int64_t limit) {
  uint64_t hash = 0xCBF29CE484222325ULL;
  ForEach(options, limit, [&](const Event& e) {
    std::string text = e.id + "|" + std::to_string(static_cast<int>(e.type)) + "|" + e.member +
                       "|" + std::to_string(e.at.us) + "|" + e.order + "|" +
                       std::to_string(e.amount.minor) + "|" + e.site + "|" + e.shop + "|" +
                       e.category + "|" + std::to_string(static_cast<int>(e.goods)) + "|" +
                       (e.photos ? "p" : "-") + "|" + std::to_string(e.level) + "\n";
    hash = Fnv1a(hash, text);
  });
  return hash;
}

SyntheticOptions Options(int64_t members, int32_t months, uint64_t seed) {
  SyntheticOptions options;
  options.members = members;
  options.months = months;
  options.seed = seed;
  options.time = ProgramTime(8 * 3600);
  return options;
}

TEST(SyntheticStreamTest, SameSeedGivesTheSameStream) {
  const SyntheticOptions options = Options(5'000, 2, 42);
  EXPECT_EQ(CanonicalHash(options, 100'000), CanonicalHash(options, 100'000));
}

TEST(SyntheticStreamTest, DifferentSeedsGiveDifferentStreams) {
  EXPECT_NE(CanonicalHash(Options(5'000, 2, 42), 100'000),
            CanonicalHash(Options(5'000, 2, 43), 100'000));
}

// Pinned: the stream of a seed is the same on every platform and standard library (integer maths
// and an own generator). A deliberate change of the generator updates this number.
TEST(SyntheticStreamTest, StreamOfASeedIsPinned) {
  EXPECT_EQ(FieldHash(Options(5'000, 2, 42), 100'000), 17197928262183565165ULL);
}

TEST(SyntheticStreamTest, EveryEventRoundTripsThroughJsonWithinItsMonths) {
  SyntheticOptions options = Options(3'000, 3, 7);
  options.first_month = MonthKey::FromYearMonth(2024, 11);  // across a year end
  const Instant first = options.time.StartOfLocalDay(options.first_month, 1);
  const Instant end = options.time.StartOfLocalDay(options.first_month.plus(3), 1);
  int64_t count = 0;
  ForEach(options, 100'000, [&](const Event& event) {
    ++count;
    Result<Event> decoded = DecodeEventJson(EncodeEventJson(event, options.time), options.time);
    ASSERT_TRUE(decoded.ok()) << EncodeEventJson(event, options.time) << ": "
                              << decoded.error().ToString();
    ASSERT_EQ(*decoded, event) << EncodeEventJson(event, options.time);
    ASSERT_GE(event.at, first);
    ASSERT_LT(event.at, end);
  });
  EXPECT_EQ(count, 100'000);
}

TEST(SyntheticStreamTest, FaultsAndMixAreAtTheConfiguredRates) {
  const SyntheticOptions options = Options(8'000, 1, 11);
  SyntheticStream stream(options);
  std::unordered_map<std::string, std::string> seen;  // id → canonical text
  std::unordered_set<std::string> orders;             // member/order
  int64_t repeats = 0;
  Event event;
  while (stream.Next(&event)) {
    std::string text = CanonicalEventText(event);
    auto [it, inserted] = seen.emplace(event.id, text);
    if (!inserted) {
      ++repeats;
      ASSERT_EQ(it->second, text) << "a duplicate delivery must be the exact same event";
      continue;
    }
    if (event.type == EventType::kPurchase) {
      ASSERT_TRUE(orders.insert(event.member + "/" + event.order).second)
          << "orders unique per member";
    }
    if (event.type == EventType::kCredit) {
      ASSERT_GE(event.level, 1);
      ASSERT_LE(event.level, 5);
    }
  }
  const SyntheticCounters& c = stream.counters();
  EXPECT_EQ(repeats, c.duplicates);
  int64_t distinct = 0;
  for (int64_t n : c.by_type) distinct += n;
  EXPECT_EQ(distinct + c.duplicates, c.events);
  EXPECT_EQ(static_cast<int64_t>(seen.size()), distinct);

  const double events = static_cast<double>(c.events);
  EXPECT_NEAR(static_cast<double>(c.duplicates) / events, 0.005, 0.0015);
  EXPECT_NEAR(static_cast<double>(c.out_of_order) / events, 0.020, 0.004);
  const int64_t purchases = c.by_type[static_cast<size_t>(EventType::kPurchase)];
  EXPECT_NEAR(static_cast<double>(c.virtual_purchases) / static_cast<double>(purchases), 0.15,
              0.02);
  for (int64_t n : c.by_type) EXPECT_GT(n, 0);
  EXPECT_GT(c.reviews_with_photos, 0);
  EXPECT_GT(c.reviews_before_purchase, 0);
  EXPECT_GT(c.reviews_of_unknown_order, 0);
  EXPECT_GT(c.refunds_full, 0);
  EXPECT_GT(c.refunds_partial, c.refunds_full);
  EXPECT_GT(c.refunds_without_order, 0);
  EXPECT_GT(c.refunds_before_purchase, 0);
  // Partial and full refunds of an earlier purchase are most refunds.
  EXPECT_GT(c.refunds_full + c.refunds_partial,
            c.by_type[static_cast<size_t>(EventType::kRefund)] / 2);
}

TEST(SyntheticStreamTest, ActivityAndShopsAreSkewed) {
  const SyntheticOptions options = Options(20'000, 1, 5);
  std::unordered_map<std::string, int64_t> per_member;
  std::unordered_map<std::string, int64_t> per_shop;
  std::unordered_set<std::string> categories, sites;
  int64_t total = 0, purchases = 0;
  ForEach(options, INT64_MAX, [&](const Event& event) {
    ++total;
    ++per_member[event.member];
    if (!event.site.empty()) sites.insert(event.site);
    if (event.type != EventType::kPurchase) return;
    ++purchases;
    ++per_shop[event.shop];
    categories.insert(event.category);
  });
  auto descending = [](const std::unordered_map<std::string, int64_t>& counts) {
    std::vector<int64_t> values;
    for (const auto& [key, n] : counts) values.push_back(n);
    std::sort(values.rbegin(), values.rend());
    return values;
  };
  auto top_share = [](const std::vector<int64_t>& values, size_t top, int64_t all) {
    int64_t sum = 0;
    for (size_t i = 0; i < top && i < values.size(); ++i) sum += values[i];
    return static_cast<double>(sum) / static_cast<double>(all);
  };
  const std::vector<int64_t> members = descending(per_member);
  const double mean_per_member = static_cast<double>(total) / 20'000.0;
  EXPECT_NEAR(mean_per_member, 40.0, 6.0);
  EXPECT_LT(static_cast<double>(members[members.size() / 2]), 0.8 * mean_per_member);
  EXPECT_GT(top_share(members, members.size() / 100, total), 0.12);  // top 1% of members
  EXPECT_GT(members.front(), 1'000);
  const std::vector<int64_t> shops = descending(per_shop);
  EXPECT_GT(shops.size(), 3'000u);
  EXPECT_GT(top_share(shops, 60, purchases), 0.3);  // top 1% of the 6,000 shops
  EXPECT_GE(categories.size(), 40u);
  EXPECT_EQ(sites.size(), 12u);
}

TEST(SyntheticStreamTest, WithoutFaultsEachMemberMonthIsInTimeOrder) {
  SyntheticOptions options = Options(2'000, 2, 3);
  options.duplicate_permille = 0;
  options.out_of_order_permille = 0;
  Event previous;
  int64_t count = 0;
  SyntheticStream stream(options);
  Event event;
  while (stream.Next(&event)) {
    if (count++ > 0 && event.member == previous.member &&
        options.time.MonthOf(event.at) == options.time.MonthOf(previous.at)) {
      ASSERT_GE(event.at, previous.at) << event.id;
    }
    previous = event;
  }
  EXPECT_EQ(stream.counters().duplicates, 0);
  EXPECT_EQ(stream.counters().out_of_order, 0);
  EXPECT_EQ(stream.counters().events, count);
  EXPECT_FALSE(stream.Next(&event));  // stays over
}

TEST(SyntheticStreamTest, MemoryDoesNotGrowWithTheStream) {
  SyntheticStream small(Options(1'000, 1, 9));
  SyntheticStream large(Options(kSyntheticMembersMax, kSyntheticMonthsMax, 9));
  Event event;
  const size_t before = large.MemoryBytes();
  for (int i = 0; i < 300'000; ++i) {
    ASSERT_TRUE(large.Next(&event));
    small.Next(&event);
  }
  EXPECT_EQ(large.MemoryBytes(), before);
  EXPECT_EQ(large.MemoryBytes(), small.MemoryBytes());
  EXPECT_LT(large.MemoryBytes(), 512u * 1024u);
}

TEST(SyntheticStreamTest, RejectsOptionsOutOfRange) {
  auto field_of = [](SyntheticOptions options) {
    Status status = ValidateSyntheticOptions(options);
    EXPECT_FALSE(status.ok());
    if (status.ok()) return std::string("ok");
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
    return status.error().field;
  };
  EXPECT_TRUE(ValidateSyntheticOptions(SyntheticOptions{}).ok());
  SyntheticOptions options;
  options.members = 0;
  EXPECT_EQ(field_of(options), "members");
  options = {};
  options.members = kSyntheticMembersMax + 1;
  EXPECT_EQ(field_of(options), "members");
  options = {};
  options.months = 0;
  EXPECT_EQ(field_of(options), "months");
  options = {};
  options.duplicate_permille = 1001;
  EXPECT_EQ(field_of(options), "duplicate_permille");
  options = {};
  options.out_of_order_permille = -1;
  EXPECT_EQ(field_of(options), "out_of_order_permille");
  options = {};
  options.events_per_member_mean = 0;
  EXPECT_EQ(field_of(options), "events_per_member_mean");
  options = {};
  options.first_month = MonthKey::FromYearMonth(9999, 6);
  options.months = 12;
  EXPECT_EQ(field_of(options), "first_month");
}

}  // namespace
}  // namespace onecard
