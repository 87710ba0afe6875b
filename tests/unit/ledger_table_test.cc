// The ledger's operations as a table: each row one request (or a run of the job) at a moment and
// its exact result code, in the manner of TigerBeetle's ledger tests. Rows run in order against
// one ledger; the comments work the balances out by hand from tests/support/ledger_test_config.h
// (1 point per unit online, lots for 100 days, pending 10 days, holds 15 minutes, hotel 3:1).
#include <gtest/gtest.h>

#include <optional>

#include "support/ledger_harness.h"

namespace onecard {
namespace {

using namespace test_support;

constexpr int64_t kMinuteUs = 60'000'000;

struct Row {
  int line;
  std::optional<LedgerRequest> request;  // nullopt: run the job
  Instant now;
  std::string expected;  // "ok", "duplicate" or an error code's name
};

SettleRequest Post(std::string id, std::string pending, std::string confirmation = "") {
  return SettleRequest{std::move(id), std::move(pending), true, std::move(confirmation)};
}
SettleRequest Void(std::string id, std::string pending) {
  return SettleRequest{std::move(id), std::move(pending), false, ""};
}
LinkRequest Link(std::string member, std::string account, bool consent) {
  return LinkRequest{"shop", std::move(member), "hotel", std::move(account), consent};
}
ExchangeRequest Exchange(std::string id, std::string member, int64_t points,
                         std::string partner = "hotel") {
  return ExchangeRequest{std::move(id), "shop", std::move(member), std::move(partner), points};
}

TEST(LedgerTable, EveryRowHasItsExactResultCode) {
  const Instant d11{Day(11).us};
  const std::vector<Row> rows = {
      // Earning: 100.00 online = 100 points, pending until day 10.
      {__LINE__, Earn("a", "o1", "100.00", Day(0)), Day(0), "ok"},
      {__LINE__, Earn("a", "o1", "100.00", Day(0)), Day(0), "duplicate"},
      {__LINE__, Earn("a", "o1", "100.01", Day(0)), Day(0), "id_conflict"},
      {__LINE__, Earn("a", "o9", "1.00", Day(0), "online", "misc", "nope"), Day(0),
       "unknown_program"},
      {__LINE__, Earn("a", "o9", "1.00", Day(0), "tv"), Day(0), "unknown_channel"},
      {__LINE__, Earn("a", "o9", "0", Day(0)), Day(0), "invalid_amount"},
      {__LINE__, Earn("", "o9", "1.00", Day(0)), Day(0), "invalid_member"},
      {__LINE__, Earn("a", "", "1.00", Day(0)), Day(0), "invalid_order"},
      {__LINE__, Earn("a", "o9", "1.00", Day(0), "online", ""), Day(0), "invalid_text"},
      // Pending points cannot be spent.
      {__LINE__, Redeem("r1", "a", 50), Day(1), "insufficient_points"},
      // The job at day 10 posts the 100.
      {__LINE__, std::nullopt, Day(10), "ok"},
      {__LINE__, Redeem("r1", "a", 30), d11, "ok"},  // a: 70
      {__LINE__, Redeem("r1", "a", 30), d11, "duplicate"},
      {__LINE__, Redeem("r1", "a", 31), d11, "id_conflict"},
      {__LINE__, Redeem("bad:id", "a", 1), d11, "invalid_id"},
      {__LINE__, Redeem("r2", "a", 0), d11, "invalid_points"},
      {__LINE__, Redeem("r3", "a", 71), d11, "insufficient_points"},
      {__LINE__, Redeem("r4", "nobody", 1), d11, "insufficient_points"},
      {__LINE__, Move("t1", "a", "a", 5), d11, "same_account"},
      {__LINE__, Move("t2", "a", "c", 20), d11, "ok"},  // a: 50, c: 20
      // A hold at checkout, then posted.
      {__LINE__, Redeem("h1", "a", 40, true), d11, "ok"},  // a: 10 available
      {__LINE__, Post("p1", "h1"), Instant{d11.us + kMinuteUs}, "ok"},
      {__LINE__, Post("p1", "h1"), Instant{d11.us + kMinuteUs}, "duplicate"},
      {__LINE__, Void("v1", "h1"), d11, "already_posted"},
      // A hold that times out: posting after 15 minutes fails; the job voids it.
      {__LINE__, Redeem("h2", "a", 10, true), d11, "ok"},  // a: 0 available
      {__LINE__, Post("p2", "h2"), Instant{d11.us + 16 * kMinuteUs}, "pending_timed_out"},
      {__LINE__, std::nullopt, Instant{d11.us + 16 * kMinuteUs}, "ok"},  // a: 10 again
      {__LINE__, Void("v2", "h2"), d11, "already_voided"},
      {__LINE__, Post("p3", "nothing"), d11, "unknown_transfer"},
      {__LINE__, Post("p4", "r1"), d11, "not_pending"},
      {__LINE__, Post("p5", "earn:shop:o1"), d11, "not_pending"},  // earnings post by the job
      // Refunds.
      {__LINE__, Refund("x1", "o-none", "1.00", d11), d11, "unknown_order"},
      {__LINE__, Refund("x2", "o1", "100.01", d11), d11, "refund_exceeds_order"},
      // 40.00 of 100.00: 60 points stay, 40 go back; the o1 lot holds 10 (100 − 30 − 20 − 40),
      // so 10 are reversed and 30 become debt.
      {__LINE__, Refund("x3", "o1", "40.00", d11), d11, "ok"},
      {__LINE__, Refund("x3", "o1", "40.00", d11), d11, "duplicate"},
      {__LINE__, Refund("x3", "o1", "41.00", d11), d11, "id_conflict"},
      // 50.00 bought on day 20, seen on day 31 (window closed): posted at once, 30 pay the debt.
      {__LINE__, Earn("a", "o2", "50.00", Day(20)), Day(31), "ok"},  // a: 20, debt 0
      // Partner exchange and status.
      {__LINE__, Exchange("e1", "a", 3000), Day(31), "not_linked"},
      {__LINE__, Link("a", "H1", false), Day(31), "consent_required"},
      {__LINE__, Link("a", "H1", true), Day(31), "ok"},
      {__LINE__, Link("a", "H1", true), Day(31), "duplicate"},
      {__LINE__, Link("a", "H2", true), Day(31), "already_linked"},
      {__LINE__, Exchange("e1", "a", 3000), Day(31), "insufficient_points"},
      {__LINE__, Exchange("e2", "a", 3001), Day(31), "invalid_points"},
      {__LINE__, Exchange("e3", "a", 2997), Day(31), "invalid_points"},  // below the minimum
      {__LINE__, Exchange("e4", "a", 3000, "airline"), Day(31), "unknown_partner"},
      {__LINE__, ChallengeRequest{"shop", "a", "hotel"}, Day(31), "ok"},
      {__LINE__, ChallengeRequest{"shop", "a", "hotel"}, Day(32), "challenge_active"},
      {__LINE__, ChallengeRequest{"shop", "b", "hotel"}, Day(32), "not_linked"},
      {__LINE__, StayRequest{"s1", "shop", "a", "hotel", Day(32)}, Day(32), "ok"},
      {__LINE__, StayRequest{"s1", "shop", "a", "hotel", Day(32)}, Day(32), "duplicate"},
      {__LINE__, StayRequest{"s1", "shop", "a", "hotel", Day(33)}, Day(33), "id_conflict"},
      // Programs are separate ledgers: the same order id earns in "other" (no pending days).
      {__LINE__, Earn("a", "o1", "5.00", Day(31), "online", "misc", "other"), Day(31), "ok"},
      {__LINE__, Move("t3", "a", "c", 5, "other"), Day(31), "ok"},
      {__LINE__, Redeem("r5", "c", 21), Day(31), "insufficient_points"},  // c has 20 in shop
  };
  LedgerHarness h;
  for (const Row& row : rows) {
    std::string code = "ok";
    if (row.request.has_value()) {
      code = h.Code(*row.request, row.now);
    } else if (auto job = h.service().RunJob(row.now); !job.ok()) {
      code = std::string(ErrorCodeName(job.error().code));
    }
    EXPECT_EQ(code, row.expected) << "row at line " << row.line;
    h.ExpectSound();
  }
  EXPECT_EQ(h.Available("a"), 20);
  EXPECT_EQ(h.Debt("a"), 0);
  EXPECT_EQ(h.Available("c"), 20);
  EXPECT_EQ(h.Available("a", 1), 0);
  EXPECT_EQ(h.Available("c", 1), 5);
  // The log rebuilds the same ledger.
  h.Reopen();
  h.ExpectSound();
  EXPECT_EQ(h.Available("a"), 20);
  EXPECT_EQ(h.Available("c"), 20);
  EXPECT_EQ(h.Available("c", 1), 5);
}

}  // namespace
}  // namespace onecard
