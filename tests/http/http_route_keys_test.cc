// Every state-changing POST over the services beside the engine takes an Idempotency-Key: the same
// key and request answer the stored status and body (marked replayed) without acting again; the
// same key with another body is 422 idempotency_conflict and changes nothing.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

constexpr const char* kReplayed = "Idempotent-Replayed";

struct KeyedRoute {
  std::string path;
  std::string body;   // the request made under the key
  std::string other;  // another request under the same key
};

std::string Cart(const std::string& price) {
  return R"({"member":"m1","order":"o1","lines":[{"price":")" + price +
         R"(","quantity":1,"flags":["tmall_95"],"shop":"tmall"}],"choices":[{"benefit":"tmall_95"}]})";
}

std::string Drop(const std::string& id, const std::string& extra = "") {
  return R"({"id":")" + id + R"(","product":"p","date":"2026-01-01","time":"08:00","units":5)" +
         extra + "}";
}

std::string Earn(const std::string& order) {
  return R"({"type":"earn","program":"aurora_beauty","member":"m1","order":")" + order +
         R"(","channel":"tmall_flagship","category":"skincare","amount":"9000.00",)"
         R"("at":"2025-11-01T10:00:00+08:00"})";
}

TEST_F(HttpServerTest, EveryServicePostReplaysItsKeyAndRejectsItsReuse) {
  StartServer();
  IngestAndPublish();
  const std::vector<KeyedRoute> routes = {
      {"/v1/members/m1/plan/purchase", "{}", R"({"auto_renew":true})"},
      {"/v1/members/m1/plan/renew", "{}", ""},
      {"/v1/checkout/commit", Cart("100.00"), Cart("99.00")},
      {"/v1/checkout/reverse", R"({"member":"m1","order":"o1"})",
       R"({"member":"m1","order":"o2"})"},
      {"/v1/members/m1/plan/refund", "{}", ""},
      {"/v1/drops", Drop("fc"), Drop("fc2")},
      {"/v1/drops/fc/claims", R"({"member":"m1"})", R"({"member":"m2"})"},
      {"/v1/drops/fc/confirm", R"({"member":"m1"})", R"({"member":"m2"})"},
      {"/v1/drops/fc/claims", R"({"member":"m3"})", R"({"member":"m4"})"},
      {"/v1/drops/fc/release", R"({"member":"m3"})", R"({"member":"m4"})"},
      {"/v1/drops", Drop("lot", R"(,"mode":"lottery","limit":2)"), Drop("lot2")},
      {"/v1/drops/lot/registrations", R"({"member":"m1"})", R"({"member":"m2"})"},
      {"/v1/drops",
       R"({"id":"past","product":"p","mode":"lottery","date":"2025-12-31",)"
       R"("time":"08:00","units":1})",
       Drop("past2")},
      {"/v1/drops/past/draw", R"({"seed":"a"})", R"({"seed":"b"})"},
      {"/v1/points/earn", Earn("p1"), Earn("p2")},
      {"/v1/points/expire", "", "{}"},
      {"/v1/points/redeem", R"({"id":"r1","member":"m1","points":50})",
       R"({"id":"r1","member":"m1","points":60})"},
      {"/v1/points/link",
       R"({"member":"m1","partner":"meridian_hotels","account":"H1","consent":true})",
       R"({"member":"m1","partner":"meridian_hotels","account":"H2","consent":true})"},
      {"/v1/points/exchange",
       R"({"id":"x1","member":"m1","partner":"meridian_hotels","points":3000})",
       R"({"id":"x1","member":"m1","partner":"meridian_hotels","points":6000})"},
  };
  int n = 0;
  for (const KeyedRoute& route : routes) {
    const std::string key = "route-key-" + std::to_string(++n);
    HttpReply first = PostWithKey(route.path, route.body, key, kAdminSecret);
    ASSERT_GE(first.status, 200) << route.path << ": " << first.body;
    ASSERT_LT(first.status, 300) << route.path << ": " << first.body;
    EXPECT_FALSE(first.headers.contains(kReplayed)) << route.path;
    HttpReply replay = PostWithKey(route.path, route.body, key, kAdminSecret);
    EXPECT_EQ(replay.status, first.status) << route.path;
    EXPECT_EQ(replay.body, first.body) << route.path;
    EXPECT_EQ(replay.headers[kReplayed], "true") << route.path;
    HttpReply reused = PostWithKey(route.path, route.other, key, kAdminSecret);
    EXPECT_EQ(reused.status, 422) << route.path << ": " << reused.body;
    EXPECT_EQ(reused.ErrorCode(), "idempotency_conflict") << route.path;
  }
  // The conflicting requests changed nothing: no second purchase, claim or redemption.
  EXPECT_EQ(Get("/v1/members/m1/plan").Json().at("history").as_array().size(), 3u);
  EXPECT_EQ(Get("/v1/drops/fc/status").Json().at("claims").as_int64(), 2);
  EXPECT_EQ(Get("/v1/drops/lot/status").Json().at("registrations").as_int64(), 1);
  EXPECT_EQ(Get("/v1/ledger/verify").Json().at("holds").as_bool(), true);
}

}  // namespace
}  // namespace onecard::server::testing
