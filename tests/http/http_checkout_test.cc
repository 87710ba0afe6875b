// Checkout and benefits over HTTP: the CLI's request JSON, quote (uses nothing up), commit under an
// Idempotency-Key (or the body's "key"), reverse, and the benefit catalogue and a member's view.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

constexpr const char* kReplayed = "Idempotent-Replayed";

// m1's order o1: one 100.00 line of the Tmall shop flagged for the 95% price, with the benefit.
std::string Cart(const std::string& order = "o1", const std::string& price = "100.00") {
  return R"({"member":"m1","order":")" + order + R"(","lines":[{"price":")" + price +
         R"(","quantity":1,"flags":["tmall_95"],"shop":"tmall"}],"choices":[{"benefit":"tmall_95"}]})";
}

std::string Field(const HttpReply& reply) {
  return std::string(reply.Json().at("error").at("field").as_string());
}

class CheckoutHttpTest : public HttpServerTest {
 protected:
  // m1 on the paid plan, so that the 95% price applies.
  void StartPaid() {
    StartServer();
    IngestAndPublish();
    ASSERT_EQ(PostWithKey("/v1/members/m1/plan/purchase", "{}", "b1").status, 201);
  }
  std::string CapLeft() {
    const boost::json::value benefits = Get("/v1/members/m1/benefits").Json();
    for (const boost::json::value& b : benefits.at("benefits").as_array()) {
      if (b.at("benefit").as_string() == "tmall_95")
        return std::string(b.at("cap_left").as_string());
    }
    return "<none>";
  }
};

TEST_F(CheckoutHttpTest, QuoteUsesNothingUp) {
  StartPaid();
  HttpReply quote = Post("/v1/checkout/quote", Cart(), kAppSecret);
  ASSERT_EQ(quote.status, 200) << quote.body;
  EXPECT_EQ(quote.Json().at("discount").as_string(), "5.00");
  EXPECT_EQ(quote.Json().at("total").as_string(), "95.00");
  EXPECT_EQ(CapLeft(), "1000.00");
  // The CLI's decoder names the field at fault.
  HttpReply bad = Post("/v1/checkout/quote",
                       R"({"member":"m1","order":"o1","lines":[{"price":"x","quantity":1}]})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.ErrorCode(), "invalid_amount");
  EXPECT_EQ(Field(bad), "lines[0].price");
  HttpReply unknown =
      Post("/v1/checkout/quote", R"({"member":"m1","order":"o1","lines":[],"x":1})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.ErrorCode(), "unknown_field");
  EXPECT_EQ(Field(unknown), "x");
}

TEST_F(CheckoutHttpTest, CommitReplaysAndConflictsUnderItsKey) {
  StartPaid();
  HttpReply no_key = Post("/v1/checkout/commit", Cart(), kAppSecret);
  EXPECT_EQ(no_key.status, 400);
  EXPECT_EQ(Field(no_key), "Idempotency-Key");
  EXPECT_EQ(CapLeft(), "1000.00") << "a refused commit uses nothing";

  HttpReply first = PostWithKey("/v1/checkout/commit", Cart(), "c1", kAppSecret);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.Json().at("discount").as_string(), "5.00");
  EXPECT_EQ(CapLeft(), "995.00");
  HttpReply retry = PostWithKey("/v1/checkout/commit", Cart(), "c1", kAppSecret);
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.headers[kReplayed], "true");
  HttpReply conflict = PostWithKey("/v1/checkout/commit", Cart("o1", "99.00"), "c1", kAppSecret);
  EXPECT_EQ(conflict.status, 422);
  EXPECT_EQ(conflict.ErrorCode(), "idempotency_conflict");
  // The same order under another key is a duplicate order, not a second use.
  HttpReply duplicate = PostWithKey("/v1/checkout/commit", Cart(), "c2", kAppSecret);
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.ErrorCode(), "duplicate_order");
  EXPECT_EQ(CapLeft(), "995.00");

  // The body's "key" serves when no header is sent; it is scoped to the API key as well.
  std::string keyed = Cart("o2");
  keyed.insert(1, R"("key":"k9",)");
  HttpReply by_body = Post("/v1/checkout/commit", keyed, kAppSecret);
  ASSERT_EQ(by_body.status, 201) << by_body.body;
  EXPECT_FALSE(by_body.Json().at("replayed").as_bool());
  HttpReply by_body_again = Post("/v1/checkout/commit", keyed, kAppSecret);
  EXPECT_TRUE(by_body_again.Json().at("replayed").as_bool());
  EXPECT_EQ(by_body_again.headers[kReplayed], "true");
  EXPECT_EQ(CapLeft(), "990.00");
}

TEST_F(CheckoutHttpTest, ReverseGivesBackWhatTheOrderUsed) {
  StartPaid();
  ASSERT_EQ(PostWithKey("/v1/checkout/commit", Cart(), "c1", kAppSecret).status, 201);
  EXPECT_EQ(CapLeft(), "995.00");
  HttpReply missing = PostWithKey("/v1/checkout/reverse", R"({"member":"m1"})", "v1", kAppSecret);
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(Field(missing), "order");
  HttpReply unknown = Post("/v1/checkout/reverse", R"({"member":"m1","order":"nope"})");
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(unknown.ErrorCode(), "unknown_order");
  const std::string body = R"({"member":"m1","order":"o1"})";
  HttpReply reversed = PostWithKey("/v1/checkout/reverse", body, "v1", kAppSecret);
  ASSERT_EQ(reversed.status, 200) << reversed.body;
  EXPECT_EQ(reversed.Json().at("returned").as_array().size(), 1u);
  EXPECT_EQ(CapLeft(), "1000.00");
  HttpReply replay = PostWithKey("/v1/checkout/reverse", body, "v1", kAppSecret);
  EXPECT_EQ(replay.body, reversed.body);
  EXPECT_EQ(replay.headers[kReplayed], "true");
  HttpReply conflict =
      PostWithKey("/v1/checkout/reverse", R"({"member":"m1","order":"o2"})", "v1", kAppSecret);
  EXPECT_EQ(conflict.ErrorCode(), "idempotency_conflict");
  // Without a key a second reversal answers the first one (the service's own replay).
  HttpReply twice = Post("/v1/checkout/reverse", body, kAppSecret);
  EXPECT_TRUE(twice.Json().at("replayed").as_bool());
  EXPECT_EQ(CapLeft(), "1000.00");
}

TEST_F(CheckoutHttpTest, BenefitCatalogueAndAMembersView) {
  StartPaid();
  HttpReply catalogue = Get("/v1/benefits", kPartnerSecret);
  ASSERT_EQ(catalogue.status, 200) << catalogue.body;
  const boost::json::value listing = catalogue.Json();
  const boost::json::array& benefits = listing.at("benefits").as_array();
  ASSERT_FALSE(benefits.empty());
  EXPECT_EQ(benefits.front().at("benefit").as_string(), "tmall_95");
  EXPECT_FALSE(benefits.front().as_object().contains("availability")) << "no member's data";
  HttpReply mine = Get("/v1/members/m1/benefits", kMemberSecret);
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.Json().at("member").as_string(), "m1");
  EXPECT_EQ(CapLeft(), "1000.00");
  EXPECT_EQ(Get("/v1/members/m2/benefits", kMemberSecret).status, 403);
}

}  // namespace
}  // namespace onecard::server::testing
