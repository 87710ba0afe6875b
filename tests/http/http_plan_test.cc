// The paid plan over HTTP: status, purchase, renewal and refund under an Idempotency-Key (which
// becomes the plan's own key, scoped to the API key), the plan and benefits on the member profile,
// and the economics of a month.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

constexpr const char* kReplayed = "Idempotent-Replayed";
constexpr const char* kPurchase = "/v1/members/m1/plan/purchase";

std::string Field(const HttpReply& reply) {
  return std::string(reply.Json().at("error").at("field").as_string());
}

TEST_F(HttpServerTest, PlanPurchaseValidatesItsBodyAndKeyAndChangesNothingWhenRefused) {
  StartServer();
  IngestAndPublish();
  HttpReply no_key = Post(kPurchase, "{}", kAppSecret);
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(no_key.ErrorCode(), "missing_field");
  EXPECT_EQ(Field(no_key), "Idempotency-Key");
  HttpReply wrong_type = PostWithKey(kPurchase, R"({"auto_renew":"yes"})", "b1", kAppSecret);
  EXPECT_EQ(wrong_type.status, 400);
  EXPECT_EQ(wrong_type.ErrorCode(), "invalid_type");
  EXPECT_EQ(Field(wrong_type), "auto_renew");
  HttpReply unknown = PostWithKey(kPurchase, R"({"auto_renew":true,"colour":1})", "b1", kAppSecret);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorCode(), "unknown_field");
  EXPECT_EQ(Field(unknown), "colour");
  EXPECT_EQ(PostWithKey(kPurchase, "[1]", "b1", kAppSecret).ErrorCode(), "invalid_json");
  // Nothing was bought, and the key b1 is still free.
  HttpReply status = Get("/v1/members/m1/plan");
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.Json().at("status").as_string(), "none");
  EXPECT_FALSE(status.Json().at("paid").as_bool());
  EXPECT_EQ(PostWithKey(kPurchase, "{}", "b1", kAppSecret).status, 201);
}

TEST_F(HttpServerTest, PlanPurchaseReplaysAndConflictsUnderItsKey) {
  StartServer();
  IngestAndPublish();
  HttpReply first = PostWithKey(kPurchase, R"({"auto_renew":true})", "b1", kAppSecret);
  ASSERT_EQ(first.status, 201) << first.body;
  const boost::json::value receipt = first.Json();
  EXPECT_EQ(receipt.at("member").as_string(), "m1");
  EXPECT_EQ(receipt.at("entry").at("kind").as_string(), "purchase");
  EXPECT_EQ(receipt.at("entry").at("amount").as_string(), "888.00");
  EXPECT_EQ(receipt.at("status").as_string(), "active");
  EXPECT_EQ(receipt.at("paid_until").as_string(), "2027-01-01T08:00:00+08:00");
  EXPECT_FALSE(first.headers.contains(kReplayed));

  HttpReply retry = PostWithKey(kPurchase, R"({"auto_renew":true})", "b1", kAppSecret);
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.headers[kReplayed], "true");
  HttpReply conflict = PostWithKey(kPurchase, "{}", "b1", kAppSecret);
  EXPECT_EQ(conflict.status, 422);
  EXPECT_EQ(conflict.ErrorCode(), "idempotency_conflict");
  // Another path under the key is another request too.
  EXPECT_EQ(PostWithKey("/v1/members/m2/plan/purchase", R"({"auto_renew":true})", "b1", kAppSecret)
                .ErrorCode(),
            "idempotency_conflict");
  // The admin's b1 is not the app's b1: a new request, refused because m1 has paid already.
  HttpReply admin = PostWithKey(kPurchase, R"({"auto_renew":true})", "b1", kAdminSecret);
  EXPECT_EQ(admin.status, 409);
  EXPECT_EQ(admin.ErrorCode(), "plan_active");

  // The member reads its own plan; the history has the one purchase.
  HttpReply mine = Get("/v1/members/m1/plan", kMemberSecret);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_TRUE(mine.Json().at("paid").as_bool());
  EXPECT_TRUE(mine.Json().at("auto_renew").as_bool());
  EXPECT_EQ(mine.Json().at("history").as_array().size(), 1u);
  EXPECT_EQ(Get("/v1/members/m2/plan", kMemberSecret).status, 403);
}

TEST_F(HttpServerTest, PlanRenewAndRefund) {
  StartServer();
  IngestAndPublish();
  HttpReply none = PostWithKey("/v1/members/m1/plan/renew", "", "r1");
  EXPECT_EQ(none.status, 409);
  EXPECT_EQ(none.ErrorCode(), "plan_not_active");
  ASSERT_EQ(PostWithKey(kPurchase, "", "b1").status, 201);
  EXPECT_EQ(PostWithKey("/v1/members/m1/plan/renew", R"({"x":1})", "r1").ErrorCode(),
            "unknown_field");
  HttpReply renewed = PostWithKey("/v1/members/m1/plan/renew", "{}", "r1");
  ASSERT_EQ(renewed.status, 201) << renewed.body;
  EXPECT_EQ(renewed.Json().at("entry").at("kind").as_string(), "renewal");
  EXPECT_EQ(renewed.Json().at("paid_until").as_string(), "2028-01-01T08:00:00+08:00");
  EXPECT_EQ(PostWithKey("/v1/members/m1/plan/renew", "{}", "r1").body, renewed.body);
  EXPECT_EQ(PostWithKey("/v1/members/m1/plan/renew", "{}", "r2").ErrorCode(), "renewal_too_early");

  EXPECT_EQ(Post("/v1/members/m1/plan/refund", "{}").ErrorCode(), "missing_field");
  HttpReply refund = PostWithKey("/v1/members/m1/plan/refund", "{}", "f1");
  ASSERT_EQ(refund.status, 201) << refund.body;
  EXPECT_EQ(refund.Json().at("entry").at("kind").as_string(), "refund");
  EXPECT_EQ(refund.Json().at("entry").at("refunded_seq").as_int64(), 2);
  HttpReply again = PostWithKey("/v1/members/m1/plan/refund", "{}", "f1");
  EXPECT_EQ(again.body, refund.body);
  EXPECT_EQ(again.headers[kReplayed], "true");
}

TEST_F(HttpServerTest, MemberProfileShowsThePlanAndEntitlements) {
  StartServer();
  IngestAndPublish();
  HttpReply before = Get("/v1/members/m1", kMemberSecret);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.Json().at("plan").at("status").as_string(), "none");
  ASSERT_EQ(PostWithKey(kPurchase, "{}", "b1").status, 201);
  HttpReply after = Get("/v1/members/m1", kMemberSecret);
  const boost::json::value profile = after.Json();
  EXPECT_EQ(profile.at("events").as_int64(), 1);
  EXPECT_EQ(profile.at("plan").at("status").as_string(), "active");
  bool tmall = false;
  for (const boost::json::value& entitlement : profile.at("entitlements").as_array()) {
    if (entitlement.at("benefit").as_string() != "tmall_95") continue;
    tmall = true;
    EXPECT_EQ(entitlement.at("availability").as_string(), "available");
    EXPECT_EQ(entitlement.at("cap_left").as_string(), "1000.00");
  }
  EXPECT_TRUE(tmall) << after.body;
  EXPECT_EQ(Get("/v1/members/m2", kMemberSecret).body, Get("/v1/members/m3", kMemberSecret).body)
      << "another member's profile: the same 403, whoever it is";
}

TEST_F(HttpServerTest, EconomicsOfAMonth) {
  StartServer();
  IngestAndPublish();
  ASSERT_EQ(PostWithKey(kPurchase, "{}", "b1").status, 201);
  HttpReply economics = Get("/v1/economics/2026-01");
  ASSERT_EQ(economics.status, 200) << economics.body;
  EXPECT_EQ(economics.Json().at("month").as_string(), "2026-01");
  EXPECT_EQ(economics.Json().at("charges").as_int64(), 1);
  EXPECT_EQ(economics.Json().at("fees").as_string(), "888.00");
  EXPECT_EQ(economics.Json().at("paid_members").as_int64(), 1);
  HttpReply bad = Get("/v1/economics/2026-13");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ErrorCode(), "invalid_month");
}

}  // namespace
}  // namespace onecard::server::testing
