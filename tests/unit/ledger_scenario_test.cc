// The ledger's scenarios (issue 5): expiry order, pending release, reversals after partial
// spending, exchange with the block bonus, holds, multipliers and the status challenge. Expected
// values are worked out by hand from tests/support/ledger_test_config.h; every scenario ends with
// every invariant checked (core/ledger_verify.h) and again after rebuilding from the log.
#include <gtest/gtest.h>

#include "support/ledger_harness.h"

namespace onecard {
namespace {

using namespace test_support;

void Ok(LedgerHarness& h, const LedgerRequest& request, Instant now) {
  auto outcome = h.Do(request, now);
  ASSERT_TRUE(outcome.ok()) << outcome.error().ToString();
  ASSERT_FALSE(outcome->duplicate);
}

void Job(LedgerHarness& h, Instant now) {
  auto counts = h.service().RunJob(now);
  ASSERT_TRUE(counts.ok()) << counts.error().ToString();
}

void Sound(LedgerHarness& h) {
  h.ExpectSound();
  h.Reopen();
  h.ExpectSound();
}

TEST(LedgerScenario, SpendsEarliestExpiringFirstAndFirstInAmongEquals) {
  LedgerHarness h;
  Ok(h, Earn("a", "o1", "100.00", Day(0)), Day(0));  // 100, lot expires day 100
  Ok(h, Earn("a", "o2", "50.00", Day(5)), Day(5));   // 50, expires day 105
  Ok(h, Earn("a", "o3", "30.00", Day(0)), Day(5));   // 30, expires day 100, recorded after o2
  Job(h, Day(15));
  // Expiry first (day 100 before day 105), then first in among equals (o1 before o3).
  EXPECT_EQ(h.Lots("a"), "100@100 30@100 50@105");
  Ok(h, Redeem("r1", "a", 110), Day(20));
  EXPECT_EQ(h.Lots("a"), "20@100 50@105");  // o1's 100 and 10 of o3
  // A transfer keeps the points' expiry: b gets 10 expiring day 100 from a's o3 lot.
  Ok(h, Move("t1", "a", "b", 10), Day(21));
  EXPECT_EQ(h.Lots("a"), "10@100 50@105");
  EXPECT_EQ(h.Lots("b"), "10@100");
  // Warnings 7 days ahead: on day 94 nothing is within (94, 101]... day 100 is.
  auto warnings = ExpiryWarnings(h.ledger(), 0, Day(94));
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0].member, "a");
  EXPECT_EQ(warnings[0].points, 10);  // the 50 expire on day 105, beyond day 101
  EXPECT_EQ(warnings[0].first_expiry, Day(100));
  EXPECT_EQ(ExpiryWarnings(h.ledger(), 0, Day(92)).size(), 0u);  // day 99 is the horizon
  // Day 100: a's 10 and b's 10 expire into the expiry account.
  Job(h, Day(100));
  EXPECT_EQ(h.Lots("a"), "50@105");
  EXPECT_EQ(h.Available("b"), 0);
  auto expiry = h.ledger().FindAccount(0, AccountKind::kExpiry, "");
  ASSERT_TRUE(expiry.has_value());
  EXPECT_EQ(h.ledger().accounts()[*expiry].balance(), 20);
  Job(h, Day(100));  // nothing more is due
  EXPECT_EQ(h.ledger().accounts()[*expiry].balance(), 20);
  Sound(h);
}

TEST(LedgerScenario, PendingPointsReleaseWhenTheReturnWindowCloses) {
  LedgerHarness h;
  Ok(h, Earn("a", "o1", "100.00", Day(0)), Day(0));
  EXPECT_EQ(h.Pending("a"), 100);
  EXPECT_EQ(h.Available("a"), 0);
  // A refund of 25.00 inside the window: the pending 100 is voided and 75 pending again.
  Ok(h, Refund("x1", "o1", "25.00", Day(5)), Day(5));
  EXPECT_EQ(h.Pending("a"), 75);
  EXPECT_EQ(h.Debt("a"), 0);
  Job(h, Instant{Day(10).us - 1});  // one microsecond before the window closes
  EXPECT_EQ(h.Available("a"), 0);
  Job(h, Day(10));
  EXPECT_EQ(h.Pending("a"), 0);
  EXPECT_EQ(h.Available("a"), 75);
  EXPECT_EQ(h.Lots("a"), "75@100");  // the lot keeps the purchase's expiry
  // A full refund inside the window leaves nothing pending and no lot.
  Ok(h, Earn("b", "o2", "10.00", Day(0)), Day(1));
  Ok(h, Refund("x2", "o2", "10.00", Day(2)), Day(2));
  EXPECT_EQ(h.Pending("b"), 0);
  Job(h, Day(30));
  EXPECT_EQ(h.Available("b"), 0);
  Sound(h);
}

TEST(LedgerScenario, RefundAfterPartialSpendingReversesWhatIsLeftAndRecordsDebt) {
  LedgerHarness h;
  Ok(h, Earn("a", "o1", "200.00", Day(0)), Day(0));
  Job(h, Day(10));
  Ok(h, Redeem("r1", "a", 150), Day(11));  // 50 left of o1's lot
  // Refund 100.00: 100 points stay, 100 go back: 50 reversed from the lot, 50 debt.
  auto first = h.Do(Refund("x1", "o1", "100.00", Day(12)), Day(12));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->points, 100);
  EXPECT_EQ(first->debt, 50);
  EXPECT_EQ(h.Available("a"), 0);
  EXPECT_EQ(h.Debt("a"), 50);
  // The rest: nothing is left in the lot, so all 100 become debt (150 in all).
  Ok(h, Refund("x2", "o1", "100.00", Day(13)), Day(13));
  EXPECT_EQ(h.Debt("a"), 150);
  // The next earnings pay the debt first when they post: 300 − 150 = 150.
  Ok(h, Earn("a", "o2", "300.00", Day(20)), Day(20));
  EXPECT_EQ(h.Available("a"), 0);
  Job(h, Day(30));
  EXPECT_EQ(h.Debt("a"), 0);
  EXPECT_EQ(h.Available("a"), 150);
  // Points that had expired are written off, not owed: b's 40 expire on day 100.
  Ok(h, Earn("b", "o3", "40.00", Day(0)), Day(0));
  Job(h, Day(100));
  EXPECT_EQ(h.Available("b"), 0);
  auto late = h.Do(Refund("x3", "o3", "40.00", Day(101)), Day(101));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(late->points, 40);
  EXPECT_EQ(late->debt, 0);
  EXPECT_EQ(h.Debt("b"), 0);
  Sound(h);
}

TEST(LedgerScenario, MultipliersByTierPaidPlanCampaignAndCategory) {
  LedgerHarness h;
  h.standing().Set("vip", true, "super");
  h.standing().Set("sup", false, "super");
  // 10.00 in "big" (2 per unit) on the campaign day (×2), super (×1.5), paid (×10): 600.
  auto vip = h.Do(Earn("vip", "o1", "10.00", Day(219), "online", "big"), Day(219));
  ASSERT_TRUE(vip.ok());
  EXPECT_EQ(vip->points, 600);
  // 10.01 × 2 × 1.5 = 30.03, rounded down to 30; the day after the campaign.
  auto sup = h.Do(Earn("sup", "o2", "10.01", Day(220), "online", "big"), Day(220));
  ASSERT_TRUE(sup.ok());
  EXPECT_EQ(sup->points, 30);
  // A member without tier or plan in a store (1 per unit): 0.99 earns nothing, yet the order
  // is recorded so that its refund is known.
  auto small = h.Do(Earn("x", "o3", "0.99", Day(1), "store"), Day(1));
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->points, 0);
  EXPECT_TRUE(small->transfers.empty());
  EXPECT_EQ(h.Code(Refund("x3", "o3", "0.99", Day(2)), Day(2)), "ok");
  Sound(h);
}

TEST(LedgerScenario, ExchangeToAPartnerWithTheBlockBonus) {
  LedgerHarness h;
  h.standing().Set("a", true, "");                     // paid: ×10
  Ok(h, Earn("a", "o1", "6000.00", Day(0)), Day(0));   // 60,000 points
  Ok(h, Earn("a", "o2", "12300.00", Day(0)), Day(0));  // 123,000 points
  Job(h, Day(10));
  Ok(h, LinkRequest{"shop", "a", "hotel", "H-77", true}, Day(10));
  // 60,000 at 3:1 = 20,000 hotel points, plus one block bonus of 15,000.
  auto one = h.Do(ExchangeRequest{"e1", "shop", "a", "hotel", 60'000}, Day(10));
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->points, 20'000);
  EXPECT_EQ(one->bonus, 15'000);
  EXPECT_EQ(h.Available("a"), 123'000);  // the 60,000 are held until the partner confirms
  EXPECT_EQ(h.Code(SettleRequest{"c1", "e1", true, ""}, Day(10)), "missing_field");
  Ok(h, SettleRequest{"c1", "e1", true, "HTL-CONF-1"}, Day(11));
  const auto partner = h.ledger().FindAccount(0, AccountKind::kPartner, "hotel");
  ASSERT_TRUE(partner.has_value());
  EXPECT_EQ(h.ledger().accounts()[*partner].balance(), 60'000);
  EXPECT_EQ(h.ledger().transfers().back().reference, "HTL-CONF-1");
  // 123,000 = 41,000 hotel points and two full blocks: 30,000 bonus. Not confirmed within 72
  // hours, it is voided and the points return.
  auto two = h.Do(ExchangeRequest{"e2", "shop", "a", "hotel", 123'000}, Day(12));
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->points, 41'000);
  EXPECT_EQ(two->bonus, 30'000);
  EXPECT_EQ(h.Available("a"), 0);
  Job(h, Day(15));  // 72 hours after day 12
  EXPECT_EQ(h.Available("a"), 123'000);
  EXPECT_EQ(h.Code(SettleRequest{"c2", "e2", true, "late"}, Day(15)), "already_voided");
  Sound(h);
}

TEST(LedgerScenario, StatusForPaidMembersOrByChallenge) {
  LedgerHarness h;
  h.standing().Set("paid", true, "");
  Ok(h, LinkRequest{"shop", "a", "hotel", "H-1", true}, Day(0));
  Ok(h, LinkRequest{"shop", "paid", "hotel", "H-2", true}, Day(0));
  const PartnerExchange& hotel = h.ledger().config().programs[0].partners[0];
  EXPECT_EQ(PartnerStatusFor(h.ledger(), 0, hotel, "paid", true, Day(1)).reason, "paid");
  EXPECT_FALSE(PartnerStatusFor(h.ledger(), 0, hotel, "nobody", true, Day(1)).linked);
  Ok(h, ChallengeRequest{"shop", "a", "hotel"}, Day(0));
  Ok(h, StayRequest{"s1", "shop", "a", "hotel", Day(10)}, Day(10));
  Ok(h, StayRequest{"s2", "shop", "a", "hotel", Day(50)}, Day(50));
  Ok(h, StayRequest{"s3", "shop", "a", "hotel", Day(130)}, Day(130));  // after the 120 days
  PartnerStatus status = PartnerStatusFor(h.ledger(), 0, hotel, "a", false, Day(130));
  EXPECT_EQ(status.status, "");
  EXPECT_EQ(status.challenge_stays, 2);
  EXPECT_EQ(status.challenge_stays_needed, 3);
  // A second challenge from day 131: stays on days 131, 140 and 200 complete it on day 200.
  Ok(h, ChallengeRequest{"shop", "a", "hotel"}, Day(131));
  Ok(h, StayRequest{"s4", "shop", "a", "hotel", Day(131)}, Day(131));
  Ok(h, StayRequest{"s5", "shop", "a", "hotel", Day(140)}, Day(140));
  EXPECT_EQ(PartnerStatusFor(h.ledger(), 0, hotel, "a", false, Day(199)).status, "");
  Ok(h, StayRequest{"s6", "shop", "a", "hotel", Day(200)}, Day(200));
  status = PartnerStatusFor(h.ledger(), 0, hotel, "a", false, Day(200));
  EXPECT_EQ(status.status, "gold");
  EXPECT_EQ(status.reason, "challenge");
  EXPECT_EQ(status.until, Day(565));  // kept 365 days from the third stay
  EXPECT_EQ(PartnerStatusFor(h.ledger(), 0, hotel, "a", false, Day(565)).status, "");
  // A challenge that was completed may be started again.
  EXPECT_EQ(h.Code(ChallengeRequest{"shop", "a", "hotel"}, Day(201)), "ok");
  Sound(h);
}

TEST(LedgerScenario, AFailedCommitKeepsNothing) {
  LedgerHarness h;
  Ok(h, Earn("a", "o1", "10.00", Day(0)), Day(20));
  h.store().FailAppends(true);
  auto failed =
      h.service().Submit({Redeem("r1", "a", 5), Earn("b", "o2", "1.00", Day(0))}, Day(21));
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(h.Available("a"), 10);
  EXPECT_EQ(h.MemberAccount("b"), nullptr);
  h.store().FailAppends(false);
  EXPECT_EQ(h.Code(Redeem("r1", "a", 5), Day(21)), "ok");  // the id was not used
  Sound(h);
}

}  // namespace
}  // namespace onecard
