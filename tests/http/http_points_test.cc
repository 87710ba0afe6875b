// Brand points over HTTP: earning from an order line (the CLI's JSONL line), the job that posts it,
// balance and history (a member token for its own only), redemption, a partner link and an
// exchange out, and the ledger's verification; each POST's validation, replay and conflicts.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

constexpr const char* kReplayed = "Idempotent-Replayed";

// 90.00 on the brand's flagship shop on 2025-12-25: 90 points, pending for the return window
// until 2026-01-09T10:00 (the fixture's now is 2026-01-01T08:00). An earlier purchase, whose window
// has closed, is posted at once.
std::string Earn(const std::string& order, const std::string& amount = "90.00",
                 const std::string& at = "2025-12-25T10:00:00+08:00") {
  return R"({"type":"earn","program":"aurora_beauty","member":"m1","order":")" + order +
         R"(","channel":"tmall_flagship","category":"skincare","amount":")" + amount +
         R"(","at":")" + at + R"("})";
}

std::string Field(const HttpReply& reply) {
  return std::string(reply.Json().at("error").at("field").as_string());
}

TEST_F(HttpServerTest, EarnPostAndReadThePoints) {
  StartServer();
  HttpReply bad = Post("/v1/points/earn", Earn("o1", "x"), kAppSecret);
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ErrorCode(), "invalid_amount");
  std::string unknown = Earn("o1");
  unknown.insert(unknown.size() - 1, R"(,"colour":"red")");
  HttpReply colour = Post("/v1/points/earn", unknown);
  EXPECT_EQ(colour.ErrorCode(), "unknown_field");
  EXPECT_EQ(Field(colour), "colour");
  EXPECT_EQ(Post("/v1/points/earn", Earn("o1"), kMemberSecret).status, 403);
  EXPECT_EQ(Get("/v1/members/m1/points").Json().at("pending").as_int64(), 0)
      << "refused requests earn nothing";

  HttpReply earned = PostWithKey("/v1/points/earn", Earn("o1"), "e1", kAppSecret);
  ASSERT_EQ(earned.status, 201) << earned.body;
  EXPECT_EQ(earned.Json().at("result").as_string(), "ok");
  EXPECT_EQ(earned.Json().at("points").as_int64(), 90);
  EXPECT_TRUE(earned.Json().at("pending").as_bool());
  HttpReply replay = PostWithKey("/v1/points/earn", Earn("o1"), "e1", kAppSecret);
  EXPECT_EQ(replay.body, earned.body);
  EXPECT_EQ(replay.headers[kReplayed], "true");
  EXPECT_EQ(PostWithKey("/v1/points/earn", Earn("o2"), "e1", kAppSecret).ErrorCode(),
            "idempotency_conflict");
  // Without a key the order is the ledger's own key.
  HttpReply duplicate = Post("/v1/points/earn", Earn("o1"), kAppSecret);
  EXPECT_EQ(duplicate.Json().at("result").as_string(), "duplicate");
  EXPECT_EQ(duplicate.headers[kReplayed], "true");
  EXPECT_EQ(Post("/v1/points/earn", Earn("o1", "10.00")).ErrorCode(), "id_conflict");

  const boost::json::value pending = Get("/v1/members/m1/points", kMemberSecret).Json();
  EXPECT_EQ(pending.at("pending").as_int64(), 90);
  EXPECT_EQ(pending.at("available").as_int64(), 0);
  EXPECT_EQ(Post("/v1/points/expire", "").Json().at("posted").as_int64(), 0) << "still pending";
  now_us_ += 9LL * 86'400 * 1'000'000;  // 2026-01-10T08:00: the window has closed
  HttpReply job = Post("/v1/points/expire", "");
  ASSERT_EQ(job.status, 200) << job.body;
  EXPECT_EQ(job.Json().at("posted").as_int64(), 1);
  EXPECT_EQ(Post("/v1/points/expire", "", kAppSecret).status, 403);
  const boost::json::value posted = Get("/v1/members/m1/points", kMemberSecret).Json();
  EXPECT_EQ(posted.at("available").as_int64(), 90);
  ASSERT_EQ(posted.at("lots").as_array().size(), 1u);
  EXPECT_EQ(posted.at("lots").at(0).at("expires").as_string(), "2026-12-25T10:00:00+08:00");
  EXPECT_EQ(Get("/v1/members/m2/points", kMemberSecret).status, 403);
  EXPECT_EQ(Get("/v1/members/m1/points?program=nope").ErrorCode(), "unknown_program");
  HttpReply history = Get("/v1/members/m1/points/history?limit=1", kMemberSecret);
  ASSERT_EQ(history.status, 200) << history.body;
  EXPECT_EQ(history.Json().at("transfers").as_array().size(), 1u);
  EXPECT_EQ(Get("/v1/members/m1/points/history?limit=0").ErrorCode(), "invalid_argument");
  HttpReply verify = Get("/v1/ledger/verify");
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.Json().at("holds").as_bool());
}

TEST_F(HttpServerTest, RedeemLinkAndExchange) {
  StartServer();
  ASSERT_EQ(Post("/v1/points/earn", Earn("o1", "9000.00", "2025-11-01T10:00:00+08:00")).status,
            201);
  const int64_t available = Get("/v1/members/m1/points").Json().at("available").as_int64();
  ASSERT_GE(available, 9000);

  EXPECT_EQ(Post("/v1/points/redeem", R"({"id":"r1","member":"m1"})").ErrorCode(), "missing_field");
  EXPECT_EQ(Post("/v1/points/redeem", R"({"id":"r1","member":"m1","points":"5"})").ErrorCode(),
            "invalid_type");
  const std::string redeem = R"({"id":"r1","member":"m1","points":100})";
  HttpReply redeemed = PostWithKey("/v1/points/redeem", redeem, "k1", kAppSecret);
  ASSERT_EQ(redeemed.status, 201) << redeemed.body;
  EXPECT_EQ(PostWithKey("/v1/points/redeem", redeem, "k1", kAppSecret).body, redeemed.body);
  EXPECT_EQ(Post("/v1/points/redeem", redeem).headers[kReplayed], "true");
  EXPECT_EQ(Post("/v1/points/redeem", R"({"id":"r1","member":"m1","points":7})").ErrorCode(),
            "id_conflict");
  EXPECT_EQ(Get("/v1/members/m1/points").Json().at("available").as_int64(), available - 100);
  HttpReply too_many = Post("/v1/points/redeem", R"({"id":"r2","member":"m1","points":100000000})");
  EXPECT_EQ(too_many.status, 422);
  EXPECT_EQ(too_many.ErrorCode(), "insufficient_points");

  const std::string exchange =
      R"({"id":"x1","member":"m1","partner":"meridian_hotels","points":3000})";
  EXPECT_EQ(Post("/v1/points/exchange", exchange).ErrorCode(), "not_linked");
  EXPECT_EQ(Post("/v1/points/link", R"({"member":"m1","partner":"meridian_hotels","account":"H1",)"
                                    R"("consent":false})")
                .ErrorCode(),
            "consent_required");
  const std::string link =
      R"({"member":"m1","partner":"meridian_hotels","account":"H1","consent":true})";
  ASSERT_EQ(PostWithKey("/v1/points/link", link, "l1", kAppSecret).status, 201);
  EXPECT_EQ(Post("/v1/points/link", link).headers[kReplayed], "true");
  EXPECT_EQ(Post("/v1/points/link", R"({"member":"m1","partner":"meridian_hotels","account":"H2",)"
                                    R"("consent":true})")
                .ErrorCode(),
            "already_linked");
  HttpReply exchanged = PostWithKey("/v1/points/exchange", exchange, "x", kAppSecret);
  ASSERT_EQ(exchanged.status, 201) << exchanged.body;
  EXPECT_EQ(exchanged.Json().at("points").as_int64(), 1000);  // 3:1
  EXPECT_EQ(Post("/v1/points/exchange", exchange).headers[kReplayed], "true");
  EXPECT_EQ(Get("/v1/members/m1/points").Json().at("held").as_int64(), 3000)
      << "pending until the partner confirms";
  EXPECT_TRUE(Get("/v1/ledger/verify").Json().at("holds").as_bool());
}

}  // namespace
}  // namespace onecard::server::testing
