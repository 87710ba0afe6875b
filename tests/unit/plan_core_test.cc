// The paid plan's rules in the core: price bands, eligibility by tier, term arithmetic, the state
// machine folded from a history, refund targets and policies, economics arithmetic, input checks.
// Expected values are worked out by hand in the comments.
#include <gtest/gtest.h>

#include "core/plan_decisions.h"
#include "core/plan_economics.h"
#include "core/plan_limits.h"
#include "core/plan_pricing.h"
#include "core/plan_request.h"
#include "core/plan_term.h"
#include "support/default_score_config.h"

namespace onecard {
namespace {

constexpr int64_t kDayUs = 86'400'000'000;
constexpr int64_t kTermUs = 365 * kDayUs;

ProgramConfig PlanConfig(std::string min_tier = "") {
  ProgramConfig config = test_support::DefaultScoreConfig();
  config.plan.term_days = 365;
  config.plan.min_tier = std::move(min_tier);
  config.plan.prices = {{0, Money{88'800}}, {1000, Money{8'800}}};
  config.plan.refund_policy = RefundPolicy::kFullIfUnused;
  return config;
}

PlanBasis Published(int64_t score, std::string tier) {
  return PlanBasis{MonthKey::FromYearMonth(2012, 1), score, std::move(tier)};
}

Instant Day(int64_t day) { return Instant{1'325'376'000'000'000 + day * kDayUs}; }  // 2012-01-01Z

TEST(PlanPricingTest, TheBandFlipsAtExactlyItsMinScore) {
  const PlanRules rules = PlanConfig().plan;
  EXPECT_EQ(PlanPriceFor(rules, 0), Money{88'800});
  EXPECT_EQ(PlanPriceFor(rules, 999), Money{88'800});
  EXPECT_EQ(PlanPriceFor(rules, 1000), Money{8'800});
  EXPECT_EQ(PlanPriceFor(rules, 4050), Money{8'800});
}

TEST(PlanPricingTest, ThreeBandsPickTheHighestReached) {
  PlanRules rules = PlanConfig().plan;
  rules.prices.push_back({2500, Money{0}});
  EXPECT_EQ(PlanPriceFor(rules, 2499), Money{8'800});
  EXPECT_EQ(PlanPriceFor(rules, 2500), Money{0});
}

TEST(PlanEligibilityTest, AnEmptyMinTierSellsToEverybodyIncludingTheNeverPublished) {
  const ProgramConfig config = PlanConfig();
  EXPECT_TRUE(CheckPlanEligibility(config, "").ok());
  EXPECT_TRUE(CheckPlanEligibility(config, "registered").ok());
}

TEST(PlanEligibilityTest, AMinTierRanksTiersAndPutsTheInvitationTierOnTop) {
  const ProgramConfig config = PlanConfig("standard");
  EXPECT_EQ(CheckPlanEligibility(config, "registered").error().code, ErrorCode::kNotEligible);
  EXPECT_EQ(CheckPlanEligibility(config, "").error().code, ErrorCode::kNotEligible);
  EXPECT_EQ(CheckPlanEligibility(config, "").error().field, "member");
  EXPECT_TRUE(CheckPlanEligibility(config, "standard").ok());
  EXPECT_TRUE(CheckPlanEligibility(config, "super").ok());
  EXPECT_TRUE(CheckPlanEligibility(config, "apass").ok());
  EXPECT_EQ(CheckPlanEligibility(config, "unheard_of").error().code, ErrorCode::kNotEligible);
}

TEST(PlanTermTest, ManualRenewalContinuesARunningTermAndRestartsAnEndedOne) {
  // Running: paid until day 100, renewed on day 90 -> [100, 465).
  EXPECT_EQ(ManualRenewalTerm(Day(100), Day(90), 365), (PlanTerm{Day(100), Day(465)}));
  // Ended on day 100, renewed on day 120 -> [120, 485).
  EXPECT_EQ(ManualRenewalTerm(Day(100), Day(120), 365), (PlanTerm{Day(120), Day(485)}));
  // Renewed at the very end: the term has ended (ends are exclusive), so it starts then.
  EXPECT_EQ(ManualRenewalTerm(Day(100), Day(100), 365), (PlanTerm{Day(100), Day(465)}));
}

TEST(PlanTermTest, AutomaticRenewalContinuesUnlessAWholeTermPassed) {
  // Ended on day 100, job on day 105 -> continued [100, 465).
  EXPECT_EQ(AutoRenewalTerm(Day(100), Day(105), 365), (PlanTerm{Day(100), Day(465)}));
  // Job on day 464 (364 days late) -> still continued [100, 465).
  EXPECT_EQ(AutoRenewalTerm(Day(100), Day(464), 365), (PlanTerm{Day(100), Day(465)}));
  // Job on day 465 (a whole term late) -> [465, 830).
  EXPECT_EQ(AutoRenewalTerm(Day(100), Day(465), 365), (PlanTerm{Day(465), Day(830)}));
}

TEST(PlanTermTest, OnlyOneTermMayBePaidAhead) {
  // Paid until day 400, on day 35: 365 days ahead -> allowed; on day 34: 366 -> too early.
  EXPECT_FALSE(RenewalTooEarly(Day(400), Day(35), 365));
  EXPECT_TRUE(RenewalTooEarly(Day(400), Day(34), 365));
  EXPECT_EQ(PlanTermLengthUs(365), kTermUs);
}

TEST(PlanStateTest, PurchaseRenewalExpiryAndRefundFoldAsTheStateMachineSays) {
  const ProgramConfig config = PlanConfig();
  std::vector<PlanEntry> history;
  EXPECT_EQ(ViewPlan(history, Day(0)).status, PlanStatus::kNone);
  history.push_back(DecidePurchase(config, history, Published(1000, "super"), Day(10)).value());
  EXPECT_EQ(history[0].amount, Money{8'800});
  EXPECT_EQ(history[0].rule_version, "test-1");
  EXPECT_EQ(history[0].term, (PlanTerm{Day(10), Day(375)}));

  PlanView view = ViewPlan(history, Day(374));
  EXPECT_EQ(view.status, PlanStatus::kActive);
  EXPECT_TRUE(view.paid);
  view = ViewPlan(history, Day(375));
  EXPECT_EQ(view.status, PlanStatus::kExpired);
  EXPECT_FALSE(view.paid);
  EXPECT_EQ(view.term->term, (PlanTerm{Day(10), Day(375)}));

  // A renewal after a score drop pays the higher price and starts at the renewal.
  history.push_back(
      DecideRenewal(config, history, Published(999, "standard"), Day(400), false).value());
  EXPECT_EQ(history[1].amount, Money{88'800});
  EXPECT_EQ(history[1].term, (PlanTerm{Day(400), Day(765)}));
  EXPECT_EQ(ViewPlan(history, Day(400)).status, PlanStatus::kActive);
  // Before the renewal was recorded, the view is as it was then.
  EXPECT_EQ(ViewPlan(history, Day(399)).status, PlanStatus::kExpired);

  auto target = FindRefundTarget(history, Day(410)).value();
  EXPECT_EQ(target.charge->seq, 2);
  EXPECT_EQ(target.uses_since, Day(400));
  history.push_back(
      DecideRefund(RefundPolicy::kFullIfUnused, history, target, false, Day(410)).value());
  EXPECT_EQ(history[2].amount, Money{88'800});
  view = ViewPlan(history, Day(410));
  EXPECT_EQ(view.status, PlanStatus::kRefunded);
  EXPECT_EQ(view.term->term, (PlanTerm{Day(400), Day(410)}));
  EXPECT_EQ(view.paid_until, Day(410));
  EXPECT_TRUE(ViewPlan(history, Day(409)).paid);
}

TEST(PlanStateTest, EachRequestIsRefusedInTheStatesThatDoNotAllowIt) {
  const ProgramConfig config = PlanConfig();
  const PlanBasis basis = Published(1000, "super");
  std::vector<PlanEntry> history;
  EXPECT_EQ(DecideRenewal(config, history, basis, Day(1), false).error().code,
            ErrorCode::kPlanNotActive);
  EXPECT_EQ(FindRefundTarget(history, Day(1)).error().code, ErrorCode::kPlanNotActive);
  EXPECT_EQ(DecideSuspension(history, "", Day(1)).error().code, ErrorCode::kPlanNotActive);
  EXPECT_EQ(DecideReinstatement(history, "", Day(1)).error().code, ErrorCode::kPlanNotSuspended);
  EXPECT_EQ(DecideRevocation(history, "", Day(1)).error().code, ErrorCode::kPlanNotActive);

  history.push_back(DecidePurchase(config, history, basis, Day(1)).value());
  EXPECT_EQ(DecidePurchase(config, history, basis, Day(2)).error().code, ErrorCode::kPlanActive);
  history.push_back(DecideSuspension(history, "dispute", Day(2)).value());
  EXPECT_FALSE(ViewPlan(history, Day(2)).paid);
  for (ErrorCode code : {DecidePurchase(config, history, basis, Day(3)).error().code,
                         DecideRenewal(config, history, basis, Day(3), false).error().code,
                         FindRefundTarget(history, Day(3)).error().code,
                         DecideSuspension(history, "", Day(3)).error().code}) {
    EXPECT_EQ(code, ErrorCode::kPlanSuspended);
  }
  history.push_back(DecideRevocation(history, "fraud", Day(3)).value());
  for (ErrorCode code : {DecidePurchase(config, history, basis, Day(4)).error().code,
                         DecideRenewal(config, history, basis, Day(4), false).error().code,
                         FindRefundTarget(history, Day(4)).error().code,
                         DecideSuspension(history, "", Day(4)).error().code,
                         DecideReinstatement(history, "", Day(4)).error().code,
                         DecideRevocation(history, "", Day(4)).error().code}) {
    EXPECT_EQ(code, ErrorCode::kPlanRevoked);
  }
  EXPECT_EQ(ViewPlan(history, Day(4)).status, PlanStatus::kRevoked);
}

TEST(PlanStateTest, TimeMayNotRunBackwards) {
  const ProgramConfig config = PlanConfig();
  std::vector<PlanEntry> history;
  history.push_back(DecidePurchase(config, history, Published(0, "registered"), Day(10)).value());
  const Error error =
      DecideRenewal(config, history, Published(0, "registered"), Day(9), false).error();
  EXPECT_EQ(error.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.field, "now");
}

TEST(PlanStateTest, AMemberHistoryHasALimit) {
  const ProgramConfig config = PlanConfig();
  std::vector<PlanEntry> history;
  history.push_back(DecidePurchase(config, history, Published(0, "registered"), Day(1)).value());
  // A purchase and 999 suspensions and reinstatements: 1,000 entries, the most kept.
  for (int64_t i = 1; i < limits::kPlanEntriesPerMemberMax; ++i) {
    history.push_back(i % 2 == 1 ? DecideSuspension(history, "", Day(1)).value()
                                 : DecideReinstatement(history, "", Day(1)).value());
  }
  ASSERT_EQ(static_cast<int64_t>(history.size()), limits::kPlanEntriesPerMemberMax);
  const Error error = DecideRevocation(history, "", Day(2)).error();
  EXPECT_EQ(error.code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(error.field, "member");
}

TEST(PlanRefundTest, PoliciesDecideWithTheBenefitUseAnswer) {
  const ProgramConfig config = PlanConfig();
  std::vector<PlanEntry> history;
  history.push_back(DecidePurchase(config, history, Published(0, "registered"), Day(1)).value());
  const RefundTarget target = FindRefundTarget(history, Day(2)).value();
  EXPECT_EQ(DecideRefund(RefundPolicy::kFullIfUnused, history, target, true, Day(2)).error().code,
            ErrorCode::kRefundNotAllowed);
  EXPECT_TRUE(DecideRefund(RefundPolicy::kFullIfUnused, history, target, false, Day(2)).ok());
  EXPECT_EQ(DecideRefund(RefundPolicy::kNone, history, target, false, Day(2)).error().code,
            ErrorCode::kRefundNotAllowed);
  const PlanEntry full = DecideRefund(RefundPolicy::kFull, history, target, true, Day(2)).value();
  EXPECT_EQ(full.amount, Money{88'800});
  EXPECT_EQ(full.refunded_seq, 1);
}

TEST(PlanRefundTest, ARenewalPaidAheadIsCancelledAndItsUsesCountFromItsTerm) {
  const ProgramConfig config = PlanConfig();
  const PlanBasis basis = Published(1000, "super");
  std::vector<PlanEntry> history;
  history.push_back(DecidePurchase(config, history, basis, Day(0)).value());          // [0, 365)
  history.push_back(DecideRenewal(config, history, basis, Day(300), false).value());  // [365, 730)
  const RefundTarget target = FindRefundTarget(history, Day(310)).value();
  EXPECT_EQ(target.charge->seq, 2);
  EXPECT_EQ(target.uses_since, Day(365));  // the renewed term's start, not the charge (day 300)
  history.push_back(
      DecideRefund(RefundPolicy::kFullIfUnused, history, target, false, Day(310)).value());
  const PlanView view = ViewPlan(history, Day(310));
  EXPECT_EQ(view.status, PlanStatus::kActive);
  EXPECT_EQ(view.paid_until, Day(365));
  EXPECT_EQ(view.last_charge->seq, 1);
}

TEST(PlanRefundTest, ARefundAtThePurchaseInstantEndsThePlan) {
  const ProgramConfig config = PlanConfig();
  std::vector<PlanEntry> history;
  history.push_back(DecidePurchase(config, history, Published(0, "registered"), Day(5)).value());
  const RefundTarget target = FindRefundTarget(history, Day(5)).value();
  history.push_back(
      DecideRefund(RefundPolicy::kFullIfUnused, history, target, false, Day(5)).value());
  const PlanView view = ViewPlan(history, Day(5));
  EXPECT_EQ(view.status, PlanStatus::kRefunded);
  EXPECT_EQ(view.term->term, (PlanTerm{Day(5), Day(5)}));
  EXPECT_EQ(view.paid_until, Day(5));
  // It may be bought again at once.
  EXPECT_TRUE(DecidePurchase(config, history, Published(0, "registered"), Day(5)).ok());
}

TEST(PlanRefundTest, AnAutomaticRenewalCountsUsesFromItsCharge) {
  const ProgramConfig config = PlanConfig();
  const PlanBasis basis = Published(1000, "super");
  std::vector<PlanEntry> history;
  history.push_back(DecidePurchase(config, history, basis, Day(0)).value());  // [0, 365)
  // The job runs on day 370 and continues the term from day 365.
  history.push_back(DecideRenewal(config, history, basis, Day(370), true).value());
  EXPECT_EQ(history[1].term, (PlanTerm{Day(365), Day(730)}));
  EXPECT_TRUE(history[1].automatic);
  EXPECT_EQ(FindRefundTarget(history, Day(371)).value().uses_since, Day(370));
}

TEST(PlanEconomicsTest, PerMemberFiguresRoundHalfAwayFromZero) {
  EXPECT_EQ(DivideRounded(Money{2903}, 5), Money{581});        // 580.6
  EXPECT_EQ(DivideRounded(Money{-183497}, 5), Money{-36699});  // -36699.4
  EXPECT_EQ(DivideRounded(Money{5}, 2), Money{3});             // 2.5
  EXPECT_EQ(DivideRounded(Money{-5}, 2), Money{-3});           // -2.5
  EXPECT_EQ(DivideRounded(Money{0}, 7), Money{0});
}

TEST(PlanEconomicsTest, NetIsFeesLessRefundsLessSubsidy) {
  PlanFees fees;
  fees.charged = Money{275'200};
  fees.charges = 4;
  fees.refunded = Money{88'800};
  fees.refunds = 1;
  fees.paying_members = 4;
  fees.paid_members = 5;
  const PlanEconomics e =
      ComputePlanEconomics(MonthKey::FromYearMonth(2012, 3), fees, PlanSubsidy{Money{2903}, 4, 2});
  EXPECT_EQ(e.net, Money{183'497});                      // 1864.00 - 29.03
  EXPECT_EQ(e.net_fees_per_paid_member, Money{37'280});  // 1864.00 / 5
  EXPECT_EQ(e.subsidy_per_paid_member, Money{581});      // 5.806
  EXPECT_EQ(e.net_per_paid_member, Money{36'699});       // 366.994
  const PlanEconomics empty =
      ComputePlanEconomics(MonthKey::FromYearMonth(2012, 3), PlanFees{}, PlanSubsidy{});
  EXPECT_FALSE(empty.net_per_paid_member.has_value());
}

TEST(PlanRequestTest, MemberKeyAndReasonAreChecked) {
  EXPECT_FALSE(CheckPlanMember("m1").has_value());
  EXPECT_EQ(CheckPlanMember("").value().code, ErrorCode::kInvalidMember);
  EXPECT_EQ(CheckPlanMember(std::string(65, 'm')).value().code, ErrorCode::kInvalidMember);
  EXPECT_EQ(CheckPlanMember("a b").value().field, "member");
  EXPECT_FALSE(CheckPlanKey(std::string(128, 'k')).has_value());
  EXPECT_EQ(CheckPlanKey(std::string(129, 'k')).value().code, ErrorCode::kInvalidKey);
  EXPECT_EQ(CheckPlanKey("k\x01").value().field, "key");
  EXPECT_FALSE(CheckPlanReason("").has_value());
  EXPECT_FALSE(CheckPlanReason("chargeback: order 7 (¥88)").has_value());
  EXPECT_EQ(CheckPlanReason("a\nb").value().code, ErrorCode::kInvalidText);
  EXPECT_EQ(CheckPlanReason(std::string(257, 'r')).value().code, ErrorCode::kInvalidText);
}

TEST(RefundPolicyTest, NamesRoundTrip) {
  for (RefundPolicy policy :
       {RefundPolicy::kFullIfUnused, RefundPolicy::kFull, RefundPolicy::kNone}) {
    EXPECT_EQ(ParseRefundPolicy(RefundPolicyName(policy)), policy);
  }
  EXPECT_FALSE(ParseRefundPolicy("partial").has_value());
}

}  // namespace
}  // namespace onecard
