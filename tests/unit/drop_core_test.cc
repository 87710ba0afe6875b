// The pure rules of drops: SHA-256 (against digests from coreutils sha256sum and FIPS 180-4's
// examples), slots in program time, eligibility, quantities, claim transitions and the lottery.
#include <gtest/gtest.h>

#include "core/drop_allocation.h"
#include "core/drop_lottery.h"
#include "core/drop_schedule.h"
#include "core/sha256.h"
#include "support/default_score_config.h"

namespace onecard {
namespace {

TEST(Sha256, KnownDigests) {
  // FIPS 180-4 examples, and lengths around the one- and two-block padding edges (55, 56, 64 bytes)
  // and 1,000 bytes, checked with `printf ... | sha256sum`.
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(
      Sha256Hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop"
                "qklmnopqrlmnopqrsmnopqrstnopqrstu"),
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  EXPECT_EQ(Sha256Hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(Sha256Hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
  EXPECT_EQ(Sha256Hex(std::string(1000, 'x')),
            "44f8354494a5ba03ba1792a8d3e9c534c47a9181980fde7a3f44b06ef2ae7c7f");
}

TEST(DropLottery, TicketIsTheDocumentedHash) {
  // printf '%s\n%s\n%s\n%s' seed d 2025-06-03T10:00:00+08:00 m | sha256sum
  EXPECT_EQ(LotteryTicket("seed", "d", "2025-06-03T10:00:00+08:00", "m"),
            "98ae5dbb9f9227387ef847d2ace2984882ba02efe0e8bde511e8d369aecbdf76");
}

TEST(DropLottery, RanksByTicketAndFillsStockInOrder) {
  // Tickets for seed s33d, drop lot, slot 2025-06-12T10:00:00+08:00 (sha256sum):
  // r1 0644…, r4 331f…, r2 784b…, r3 8a3e…. With 4 units: r1 takes 2 (0, 1), r4 1 (2),
  // r2 1 of its 2 (3) and the stock is gone; r3 loses.
  const std::vector<LotteryEntry> entries = {{"r1", 2}, {"r2", 2}, {"r3", 2}, {"r4", 1}};
  const auto winners = DrawLottery("s33d", "lot", "2025-06-12T10:00:00+08:00", 4, entries);
  ASSERT_EQ(winners.size(), 3u);
  EXPECT_EQ(winners[0].member, "r1");
  EXPECT_EQ(winners[0].units, (std::vector<int32_t>{0, 1}));
  EXPECT_EQ(winners[1].member, "r4");
  EXPECT_EQ(winners[1].units, (std::vector<int32_t>{2}));
  EXPECT_EQ(winners[2].member, "r2");
  EXPECT_EQ(winners[2].units, (std::vector<int32_t>{3}));
  EXPECT_EQ(winners[2].rank, 2);
  // The order of the input does not matter; another seed gives another draw.
  const std::vector<LotteryEntry> reversed(entries.rbegin(), entries.rend());
  const auto again = DrawLottery("s33d", "lot", "2025-06-12T10:00:00+08:00", 4, reversed);
  ASSERT_EQ(again.size(), winners.size());
  for (size_t i = 0; i < again.size(); ++i) EXPECT_EQ(again[i].member, winners[i].member);
  EXPECT_TRUE(DrawLottery("s33d", "lot", "x", 0, entries).empty());
}

DropRules FoldPhone() {
  DropRules rules;
  rules.id = "fold-phone";
  rules.product = "phone";
  rules.schedule.weekdays = (1 << 1) | (1 << 3) | (1 << 5);  // tue, thu, sat
  rules.schedule.minute_of_day = 10 * 60;
  rules.units_per_slot = 200;
  rules.per_member_limit = 1;
  rules.window_minutes = 60;
  rules.hold_minutes = 15;
  rules.eligibility.paid_plan = true;
  return rules;
}

TEST(DropSchedule, SlotsInProgramTime) {
  const ProgramTime time(8 * 3600);
  const DropRules rules = FoldPhone();
  EXPECT_EQ(WeekdayOf(LocalDay{0}), 3);  // 1970-01-01 was a Thursday
  // 2025-06-03 (Tuesday) 10:00 +08:00 = 02:00Z.
  const Instant slot = time.ParseTimestamp("2025-06-03T10:00:00").value();
  EXPECT_EQ(slot, time.ParseTimestamp("2025-06-03T02:00:00Z").value());
  EXPECT_TRUE(IsSlot(rules, time, slot));
  EXPECT_FALSE(IsSlot(rules, time, time.ParseTimestamp("2025-06-04T10:00:00").value()));
  EXPECT_EQ(OpenSlotAt(rules, time, slot), slot);
  EXPECT_EQ(OpenSlotAt(rules, time, time.ParseTimestamp("2025-06-03T10:59:59").value()), slot);
  EXPECT_FALSE(OpenSlotAt(rules, time, time.ParseTimestamp("2025-06-03T11:00:00").value()));
  EXPECT_FALSE(OpenSlotAt(rules, time, time.ParseTimestamp("2025-06-03T09:59:59").value()));
  // Wednesday: the latest slot is Tuesday's, the next Thursday's.
  const Instant wednesday = time.ParseTimestamp("2025-06-04T12:00:00").value();
  EXPECT_EQ(LatestSlotAtOrBefore(rules, time, wednesday), slot);
  EXPECT_EQ(NextSlotAtOrAfter(rules, time, wednesday),
            time.ParseTimestamp("2025-06-05T10:00:00").value());
  // Saturday to the next Tuesday crosses the week.
  EXPECT_EQ(NextSlotAtOrAfter(rules, time, time.ParseTimestamp("2025-06-07T10:00:01").value()),
            time.ParseTimestamp("2025-06-10T10:00:00").value());
}

TEST(DropSchedule, WindowAcrossMidnightAndOneDate) {
  const ProgramTime time(8 * 3600);
  DropRules rules = FoldPhone();
  rules.schedule.weekdays = 0;
  rules.schedule.date = ParseLocalDate("2025-12-31");
  rules.schedule.minute_of_day = 23 * 60 + 30;
  rules.window_minutes = 60;
  const Instant slot = time.ParseTimestamp("2025-12-31T23:30:00").value();
  EXPECT_EQ(OpenSlotAt(rules, time, time.ParseTimestamp("2026-01-01T00:29:59").value()), slot);
  EXPECT_FALSE(OpenSlotAt(rules, time, time.ParseTimestamp("2026-01-01T00:30:00").value()));
  EXPECT_FALSE(
      LatestSlotAtOrBefore(rules, time, time.ParseTimestamp("2025-12-31T23:29:59").value()));
  EXPECT_FALSE(NextSlotAtOrAfter(rules, time, time.ParseTimestamp("2025-12-31T23:30:01").value()));
}

TEST(DropSchedule, TextForms) {
  EXPECT_EQ(ParseWeekdayName("sat"), 5);
  EXPECT_FALSE(ParseWeekdayName("Sat"));
  EXPECT_EQ(ParseMinuteOfDay("23:59"), 1439);
  EXPECT_FALSE(ParseMinuteOfDay("24:00"));
  EXPECT_FALSE(ParseMinuteOfDay("9:00"));
  EXPECT_EQ(FormatMinuteOfDay(605), "10:05");
  EXPECT_FALSE(ParseLocalDate("2025-02-29"));
  EXPECT_EQ(FormatLocalDate(ParseLocalDate("2024-02-29").value()), "2024-02-29");
}

TEST(DropAllocation, EligibilityByPaidPlanAndTier) {
  const ProgramConfig config = test_support::DefaultScoreConfig();
  DropRules rules = FoldPhone();
  rules.eligibility.min_tier = "standard";
  MemberStanding standing;
  standing.member = "m";
  standing.tier = "super";
  EXPECT_EQ(CheckEligibility(rules, config.tiers, standing).error().code,
            ErrorCode::kPaidPlanRequired);
  standing.paid = true;
  EXPECT_TRUE(CheckEligibility(rules, config.tiers, standing).ok());
  standing.tier = "apass";  // the invitation tier ranks above every other
  EXPECT_TRUE(CheckEligibility(rules, config.tiers, standing).ok());
  standing.tier = "registered";
  EXPECT_EQ(CheckEligibility(rules, config.tiers, standing).error().code, ErrorCode::kTierTooLow);
  standing.tier = "";
  EXPECT_EQ(CheckEligibility(rules, config.tiers, standing).error().code, ErrorCode::kTierTooLow);
}

TEST(DropAllocation, QuantityRepeatAndTransitions) {
  DropRules rules = FoldPhone();
  rules.per_member_limit = 2;
  EXPECT_EQ(CheckQuantity(rules, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(CheckQuantity(rules, 2).ok());
  EXPECT_EQ(CheckQuantity(rules, 3).error().code, ErrorCode::kOverMemberLimit);
  EXPECT_TRUE(CheckRepeat(1, 1).ok());
  EXPECT_EQ(CheckRepeat(1, 2).error().code, ErrorCode::kClaimConflict);

  DropClaim claim;
  claim.quantity = 1;
  claim.hold_until = Instant{1000};
  EXPECT_TRUE(CheckConfirm(claim, Instant{999}).ok());
  EXPECT_EQ(CheckConfirm(claim, Instant{1000}).error().code, ErrorCode::kHoldExpired);
  EXPECT_TRUE(CheckRelease(claim).ok());
  EXPECT_TRUE(HoldExpired(claim, Instant{1000}));
  claim.status = DropClaimStatus::kConfirmed;
  EXPECT_FALSE(HoldExpired(claim, Instant{5000}));
  EXPECT_EQ(CheckConfirm(claim, Instant{0}).error().code, ErrorCode::kClaimNotHeld);
  EXPECT_EQ(CheckRelease(claim).error().code, ErrorCode::kClaimNotHeld);
}

TEST(DropAllocation, TallyCountsUnitsByState) {
  std::vector<DropClaim> claims(4);
  claims[0].quantity = 2;  // held
  claims[1].quantity = 1;
  claims[1].status = DropClaimStatus::kConfirmed;
  claims[2].quantity = 3;
  claims[2].status = DropClaimStatus::kReleased;
  claims[3].quantity = 1;
  claims[3].status = DropClaimStatus::kExpired;
  const SlotTally tally = TallyClaims(10, claims);
  EXPECT_EQ(tally.held, 2);
  EXPECT_EQ(tally.confirmed, 1);
  EXPECT_EQ(tally.released, 3);
  EXPECT_EQ(tally.expired, 1);
  EXPECT_EQ(tally.available(), 7);  // 10 - 2 held - 1 confirmed
  EXPECT_EQ(tally.claims, 4);
}

TEST(DropRulesValidation, BoundsAndFields) {
  const ProgramConfig config = test_support::DefaultScoreConfig();
  DropRules rules = FoldPhone();
  EXPECT_TRUE(ValidateDropRules(rules, config.tiers).ok());
  rules.hold_minutes = 0;
  EXPECT_EQ(ValidateDropRules(rules, config.tiers).error().field, "hold_minutes");
  rules = FoldPhone();
  rules.schedule.date = LocalDay{20000};
  EXPECT_EQ(ValidateDropRules(rules, config.tiers).error().field, "schedule");
  rules = FoldPhone();
  rules.eligibility.min_tier = "gold";
  EXPECT_EQ(ValidateDropRules(rules, config.tiers).error().field, "eligibility.min_tier");
}

}  // namespace
}  // namespace onecard
