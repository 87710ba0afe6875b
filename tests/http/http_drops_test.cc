// Exclusive drops over HTTP: opening a drop, first-come claims with confirm and release, lottery
// registrations and draws, a slot's status and claims, a member's own claim; each POST's
// validation, replay (the service's natural key and the Idempotency-Key) and conflicts.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

constexpr const char* kReplayed = "Idempotent-Replayed";
// The fixture's now is 2026-01-01T08:00:00+08:00: this drop's one slot opens then.
constexpr const char* kSneaker =
    R"({"id":"sneaker","product":"Sneaker","date":"2026-01-01","time":"08:00","units":2,"limit":1})";
constexpr const char* kLottery =
    R"({"id":"lot","product":"Watch","mode":"lottery","date":"2026-01-01","time":"08:00","units":3,"limit":2,"window_minutes":30})";

std::string Field(const HttpReply& reply) {
  return std::string(reply.Json().at("error").at("field").as_string());
}

std::string Member(const std::string& member) { return R"({"member":")" + member + R"("})"; }

TEST_F(HttpServerTest, OpenDropValidatesAndReplays) {
  StartServer();
  HttpReply missing = Post("/v1/drops", R"({"id":"x","time":"08:00","units":1})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Field(missing), "product");
  HttpReply mode = Post("/v1/drops", R"({"id":"x","product":"p","time":"08:00","units":1,)"
                                     R"("date":"2026-01-01","mode":"auction"})");
  EXPECT_EQ(mode.status, 400);
  EXPECT_EQ(Field(mode), "mode");
  HttpReply unknown =
      Post("/v1/drops", R"({"id":"x","product":"p","time":"08:00","units":1,"y":2})");
  EXPECT_EQ(unknown.ErrorCode(), "unknown_field");
  EXPECT_EQ(Field(unknown), "y");
  EXPECT_EQ(Post("/v1/drops", kSneaker, kAppSecret).status, 403);
  const size_t drops_before = Get("/v1/drops").Json().at("drops").as_array().size();

  HttpReply opened = PostWithKey("/v1/drops", kSneaker, "d1");
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_EQ(opened.Json().at("drop").as_string(), "sneaker");
  EXPECT_EQ(opened.Json().at("next_slot").as_string(), "2026-01-01T08:00:00+08:00");
  EXPECT_EQ(PostWithKey("/v1/drops", kSneaker, "d1").headers[kReplayed], "true");
  // The same rules without the key: the service answers the drop as it is.
  HttpReply again = Post("/v1/drops", kSneaker);
  EXPECT_EQ(again.status, 201);
  EXPECT_EQ(again.body, opened.body);
  EXPECT_EQ(again.headers[kReplayed], "true");
  std::string other = kSneaker;
  other.replace(other.find("\"units\":2"), 9, "\"units\":3");
  EXPECT_EQ(Post("/v1/drops", other).ErrorCode(), "drop_exists");
  EXPECT_EQ(PostWithKey("/v1/drops", other, "d1").ErrorCode(), "idempotency_conflict");
  EXPECT_EQ(Get("/v1/drops", kMemberSecret).Json().at("drops").as_array().size(), drops_before + 1);
}

TEST_F(HttpServerTest, ClaimConfirmAndRelease) {
  StartServer();
  ASSERT_EQ(Post("/v1/drops", kSneaker).status, 201);
  EXPECT_EQ(Post("/v1/drops/sneaker/claims", R"({"quantity":1})", kAppSecret).ErrorCode(),
            "missing_field");
  EXPECT_EQ(Post("/v1/drops/sneaker/claims", R"({"member":"m1","quantity":"1"})").ErrorCode(),
            "invalid_type");
  EXPECT_EQ(Post("/v1/drops/sneaker/claims", R"({"member":"m1","quantity":2})").ErrorCode(),
            "over_member_limit");
  EXPECT_EQ(Post("/v1/drops/nope/claims", Member("m1")).status, 404);
  EXPECT_EQ(Get("/v1/drops/sneaker/status").Json().at("claims").as_int64(), 0)
      << "refused claims changed nothing";

  HttpReply claim = PostWithKey("/v1/drops/sneaker/claims", Member("m1"), "c1", kAppSecret);
  ASSERT_EQ(claim.status, 201) << claim.body;
  EXPECT_EQ(claim.Json().at("status").as_string(), "held");
  EXPECT_EQ(claim.Json().at("hold_until").as_string(), "2026-01-01T08:15:00+08:00");
  HttpReply retry = PostWithKey("/v1/drops/sneaker/claims", Member("m1"), "c1", kAppSecret);
  EXPECT_EQ(retry.body, claim.body);
  EXPECT_EQ(retry.headers[kReplayed], "true");
  EXPECT_EQ(PostWithKey("/v1/drops/sneaker/claims", Member("m2"), "c1", kAppSecret).ErrorCode(),
            "idempotency_conflict");
  // Without a key a repeated claim is the service's replay.
  EXPECT_EQ(Post("/v1/drops/sneaker/claims", Member("m1"), kAppSecret).headers[kReplayed], "true");
  ASSERT_EQ(Post("/v1/drops/sneaker/claims", Member("m2"), kAppSecret).status, 201);
  HttpReply sold_out = Post("/v1/drops/sneaker/claims", Member("m3"), kAppSecret);
  EXPECT_EQ(sold_out.status, 409);
  EXPECT_EQ(sold_out.ErrorCode(), "sold_out");

  HttpReply confirmed = PostWithKey("/v1/drops/sneaker/confirm", Member("m1"), "f1", kAppSecret);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.Json().at("status").as_string(), "confirmed");
  HttpReply confirmed_again = Post("/v1/drops/sneaker/confirm", Member("m1"), kAppSecret);
  EXPECT_EQ(confirmed_again.Json().at("status").as_string(), "confirmed");
  EXPECT_EQ(confirmed_again.headers[kReplayed], "true");
  EXPECT_EQ(Post("/v1/drops/sneaker/release", Member("m1")).ErrorCode(), "claim_not_held");
  EXPECT_EQ(Post("/v1/drops/sneaker/confirm", Member("m9")).ErrorCode(), "no_claim");
  EXPECT_EQ(Post("/v1/drops/sneaker/confirm", R"({"member":"m2","slot":"bad"})").ErrorCode(),
            "invalid_slot");

  HttpReply released = Post("/v1/drops/sneaker/release", Member("m2"), kAppSecret);
  ASSERT_EQ(released.status, 200) << released.body;
  EXPECT_EQ(released.Json().at("status").as_string(), "released");
  EXPECT_EQ(Post("/v1/drops/sneaker/release", Member("m2")).headers[kReplayed], "true");
  EXPECT_EQ(Post("/v1/drops/sneaker/confirm", Member("m2")).ErrorCode(), "claim_not_held");
  // The released unit is back in stock.
  EXPECT_EQ(Post("/v1/drops/sneaker/claims", Member("m3"), kAppSecret).status, 201);
  const boost::json::value status = Get("/v1/drops/sneaker/status", kAppSecret).Json();
  EXPECT_EQ(status.at("confirmed").as_int64(), 1);
  EXPECT_EQ(status.at("held").as_int64(), 1);
  EXPECT_EQ(status.at("available").as_int64(), 0);
  EXPECT_EQ(Get("/v1/drops/sneaker/results").Json().at("claims").as_array().size(), 3u);
  EXPECT_EQ(Get("/v1/drops/sneaker/results", kAppSecret).status, 403);

  // A member reads its own claim only.
  HttpReply mine = Get("/v1/members/m1/drops/sneaker", kMemberSecret);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("status").as_string(), "confirmed");
  EXPECT_EQ(Get("/v1/members/m2/drops/sneaker", kMemberSecret).status, 403);
  EXPECT_EQ(Get("/v1/members/m9/drops/sneaker").ErrorCode(), "no_claim");
  EXPECT_EQ(Get("/v1/members/m1/drops/sneaker?slot=2026-01-01T08%3A00%3A00%2B08%3A00").status, 200);
}

TEST_F(HttpServerTest, LotteryRegisterDrawAndVerify) {
  StartServer();
  ASSERT_EQ(Post("/v1/drops", kLottery).status, 201);
  EXPECT_EQ(Post("/v1/drops/lot/claims", Member("m1")).ErrorCode(), "wrong_drop_mode");
  HttpReply r1 = PostWithKey("/v1/drops/lot/registrations", R"({"member":"r1","quantity":2})", "g1",
                             kAppSecret);
  ASSERT_EQ(r1.status, 201) << r1.body;
  EXPECT_EQ(r1.Json().at("quantity").as_int64(), 2);
  EXPECT_EQ(PostWithKey("/v1/drops/lot/registrations", R"({"member":"r1","quantity":2})", "g1",
                        kAppSecret)
                .headers[kReplayed],
            "true");
  EXPECT_EQ(Post("/v1/drops/lot/registrations", R"({"member":"r1","quantity":1})").ErrorCode(),
            "claim_conflict");
  for (const char* member : {"r2", "r3", "r4"}) {
    ASSERT_EQ(Post("/v1/drops/lot/registrations", Member(member), kAppSecret).status, 201);
  }
  EXPECT_EQ(Post("/v1/drops/lot/draw", R"({"seed":"s33d"})").ErrorCode(), "draw_not_ready");
  EXPECT_EQ(Post("/v1/drops/lot/draw", "{}").ErrorCode(), "missing_field");
  EXPECT_EQ(Get("/v1/drops/lot/verify").ErrorCode(), "not_drawn");
  now_us_ += 31LL * 60 * 1'000'000;  // the window has closed
  HttpReply draw = PostWithKey("/v1/drops/lot/draw", R"({"seed":"s33d"})", "w1");
  ASSERT_EQ(draw.status, 201) << draw.body;
  EXPECT_EQ(draw.Json().at("registrants").as_int64(), 4);
  const int64_t winners = draw.Json().at("winners").as_int64();
  EXPECT_GE(winners, 1);
  EXPECT_LE(draw.Json().at("units_won").as_int64(), 3);
  HttpReply again = Post("/v1/drops/lot/draw", R"({"seed":"s33d"})");
  EXPECT_EQ(again.body, draw.body);
  EXPECT_EQ(again.headers[kReplayed], "true");
  EXPECT_EQ(Post("/v1/drops/lot/draw", R"({"seed":"other"})").ErrorCode(), "already_drawn");
  EXPECT_EQ(Post("/v1/drops/lot/draw", R"({"seed":"s33d"})", kAppSecret).status, 403);
  HttpReply verify = Get("/v1/drops/lot/verify", kAppSecret);
  ASSERT_EQ(verify.status, 200) << verify.body;
  EXPECT_TRUE(verify.Json().at("matches").as_bool());
  EXPECT_EQ(static_cast<int64_t>(verify.Json().at("winners").as_array().size()), winners);
  EXPECT_EQ(Get("/v1/drops/lot/status").Json().at("draw").at("seed").as_string(), "s33d");
}

}  // namespace
}  // namespace onecard::server::testing
