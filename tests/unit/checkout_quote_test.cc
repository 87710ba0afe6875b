// The quote's arithmetic and its options that the scenario files do not reach: percent_base
// "discounted", floors per line, the no-overflow product, budget left per choice, and the record
// that a commit stores (encoded and decoded back).
#include "core/checkout_quote.h"

#include <gtest/gtest.h>

#include <limits>

#include "core/benefit_eligibility.h"
#include "core/checkout_record.h"
#include "engine/config_loader.h"

namespace onecard {
namespace {

class QuoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = LoadProgramConfig(std::string(ONECARD_SOURCE_DIR) +
                                    "/tests/scenarios/checkout/checkout-test.toml");
    ASSERT_TRUE(config.ok()) << config.error().ToString();
    config_ = *config;
    standing_.member = "m1";
    standing_.tier = "super";
    standing_.paid = true;
    standing_.term_start = Instant{0};
    standing_.term_end = Instant{std::numeric_limits<int64_t>::max()};
    left_.fill(Money{std::numeric_limits<int64_t>::max()});
  }

  Quote Run(const CheckoutRequest& request) {
    QuoteContext context;
    context.catalog = &config_.benefits;
    context.standing = &standing_;
    context.tier_rank = TierRank(config_.tiers, standing_.tier);
    context.at = Instant{1'740'000'000'000'000};  // 2025-02-19
    context.window = UseWindow{LocalDay{20'000}, MonthKey::FromYearMonth(2025, 2), 1};
    context.usage = &usage_;
    context.budget_left = left_.data();
    EXPECT_TRUE(ValidateCheckoutRequest(request, config_.benefits).ok());
    Quote quote;
    ComputeQuote(context, request, &quote);
    return quote;
  }

  int32_t Benefit(const char* id) { return config_.benefits.FindBenefit(id); }

  ProgramConfig config_;
  MemberStanding standing_;
  MemberUsage usage_;
  std::array<Money, 16> left_;
};

CheckoutRequest BrandCart() {
  CheckoutRequest r;
  r.member = "m1";
  r.order = "o1";
  r.cart.lines = {CartLine{"l0", Money{10000}, 1, {"tmall_95", "brand_offer"}, "", "lancome", ""}};
  return r;
}

TEST_F(QuoteTest, PercentOnOriginalOrDiscountedAmount) {
  // Let the two percent discounts stack (no exclusive set) to see the base matter:
  // tmall_95 5% of 100.00 = 5.00 first, then brand_90 10% of 100.00 = 10.00 ("original") or of
  // the 95.00 left = 9.50 ("discounted").
  std::fill(config_.benefits.checkout.group_exclusive_sets.begin(),
            config_.benefits.checkout.group_exclusive_sets.end(), 0);
  CheckoutRequest r = BrandCart();
  r.choices = {{Benefit("brand_90"), 1}, {Benefit("tmall_95"), 1}};
  Quote original = Run(r);
  ASSERT_EQ(original.applied.size(), 2u);
  EXPECT_EQ(original.applied[0].benefit, Benefit("tmall_95"));
  EXPECT_EQ(original.applied[1].discount, Money{1000});
  EXPECT_EQ(original.total, Money{8500});
  config_.benefits.checkout.percent_base = PercentBase::kDiscounted;
  Quote discounted = Run(r);
  EXPECT_EQ(discounted.applied[1].discount, Money{950});
  EXPECT_EQ(discounted.total, Money{8550});
  // brand_90's cost is half its discount, floored: 9.50 / 2 = 4.75.
  EXPECT_EQ(discounted.applied[1].cost, Money{475});
}

TEST_F(QuoteTest, FloorsEachLineToTheMinorUnit) {
  // 5% of 0.19 = 0.0095 -> 0.00 on each of three lines; of 3 × 0.19 = 0.57 on one line
  // (quantity 3) -> 0.0285 -> 0.02. Rounding is per line, never on the cart.
  CheckoutRequest r;
  r.member = "m1";
  r.order = "o1";
  for (int i = 0; i < 3; ++i)
    r.cart.lines.push_back(CartLine{"", Money{19}, 1, {"tmall_95"}, "", "", ""});
  r.cart.lines.push_back(CartLine{"", Money{19}, 3, {"tmall_95"}, "", "", ""});
  r.choices = {{Benefit("tmall_95"), 1}};
  Quote q = Run(r);
  ASSERT_EQ(q.applied.size(), 1u);
  EXPECT_EQ(q.applied[0].discount, Money{2});
  ASSERT_EQ(q.line_discounts.size(), 1u);
  EXPECT_EQ(q.line_discounts[0].line, 3);
}

TEST_F(QuoteTest, ApplyPpmNeverOverflows) {
  EXPECT_EQ(ApplyPpm(10'000'000'000'000, 999'999), 9'999'990'000'000);
  EXPECT_EQ(ApplyPpm(2'000'000'000'000'000, 1'000'000), 2'000'000'000'000'000);
  EXPECT_EQ(ApplyPpm(1'999'999, 500'000), 999'999);  // 999,999.5 floored
}

TEST_F(QuoteTest, BudgetLeftIsPerChoice) {
  CheckoutRequest r = BrandCart();
  r.choices = {{Benefit("brand_90"), 1}};
  left_[0] = Money{499};  // brand_90 would cost 5.00
  Quote q = Run(r);
  ASSERT_EQ(q.declined.size(), 1u);
  EXPECT_EQ(q.declined[0].reason, DeclineReason::kBudgetExhausted);
  left_[0] = Money{500};
  EXPECT_EQ(Run(r).applied.size(), 1u);
}

TEST_F(QuoteTest, RecordRoundTrips) {
  CheckoutRequest r = BrandCart();
  r.cart.lines.push_back(CartLine{"l1", Money{3000}, 1, {}, "eleme", "", ""});
  r.choices = {
      {Benefit("tmall_95"), 1}, {Benefit("delivery_voucher"), 1}, {Benefit("brand_90"), 1}};
  Quote q = Run(r);
  const UseWindow window{LocalDay{20'000}, MonthKey::FromYearMonth(2025, 2), 77};
  const std::string bytes = EncodeCheckoutRecord(window, q, config_.benefits);
  UseWindow read_window;
  Quote read;
  ASSERT_TRUE(DecodeCheckoutRecord(bytes, config_.benefits, &read_window, &read).ok());
  EXPECT_EQ(read_window.term_start_us, 77);
  EXPECT_EQ(read.total, q.total);
  ASSERT_EQ(read.applied.size(), q.applied.size());
  EXPECT_EQ(read.line_discounts.size(), q.line_discounts.size());
  ASSERT_EQ(read.declined.size(), 1u);
  EXPECT_EQ(read.declined[0].reason, DeclineReason::kExclusiveGroup);
  EXPECT_FALSE(
      DecodeCheckoutRecord(bytes.substr(0, bytes.size() - 1), config_.benefits, &read_window, &read)
          .ok());
}

TEST_F(QuoteTest, UsageCountersRoll) {
  MemberUsage usage;
  const int32_t tmall = Benefit("tmall_95");
  const UseWindow march{LocalDay{100}, MonthKey::FromYearMonth(2025, 3), 5};
  const UseWindow april{LocalDay{131}, MonthKey::FromYearMonth(2025, 4), 5};
  usage.Add(tmall, march, 1, Money{500});
  usage.Add(tmall, march, 1, Money{300});
  EXPECT_EQ(usage.Of(tmall).MonthDiscount(march.month), Money{800});
  usage.Add(tmall, april, 1, Money{100});
  EXPECT_EQ(usage.Of(tmall).MonthDiscount(march.month), Money{});
  EXPECT_EQ(usage.Of(tmall).TermUnits(5), 3);
  // A reversal of a March use in April changes only the term.
  usage.Remove(tmall, march, 1, Money{500}, true);
  EXPECT_EQ(usage.Of(tmall).MonthDiscount(april.month), Money{100});
  EXPECT_EQ(usage.Of(tmall).TermUnits(5), 2);
}

}  // namespace
}  // namespace onecard
