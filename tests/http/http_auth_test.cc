// API keys and roles: the keys file, and the matrix of each role against each route.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

TEST(AuthTest, Sha256IsTheStandardDigest) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(AuthTest, KeysFileErrorsNameTheKey) {
  const std::string hash = Sha256Hex("s");
  struct Case {
    std::string json;
    std::string field;
  };
  const Case cases[] = {
      {"[", "keys"},
      {R"({"keys":{}})", "keys"},
      {R"({"keys":[{"role":"admin","sha256":")" + hash + R"("}]})", "keys[0].id"},
      {R"({"keys":[{"id":"a","role":"root","sha256":")" + hash + R"("}]})", "keys[0].role"},
      {R"({"keys":[{"id":"a","role":"member","sha256":")" + hash + R"("}]})", "keys[0].member"},
      {R"({"keys":[{"id":"a","role":"admin","sha256":"abc"}]})", "keys[0].sha256"},
      {R"({"keys":[{"id":"a","role":"admin","sha256":")" + hash + R"("},)" +
           R"({"id":"b","role":"app","sha256":")" + hash + R"("}]})",
       "keys[1].sha256"},
  };
  for (const Case& c : cases) {
    auto ring = KeyRing::Parse(c.json);
    ASSERT_FALSE(ring.ok()) << c.json;
    EXPECT_EQ(ring.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(ring.error().field, c.field) << c.json;
  }
  auto ring = KeyRing::Parse(TestKeysJson());
  ASSERT_TRUE(ring.ok());
  EXPECT_EQ(ring->size(), 4u);
  EXPECT_EQ(ring->Find(kMemberSecret)->member, "m1");
  EXPECT_FALSE(ring->Find("nope").has_value());
  EXPECT_EQ(BearerSecret("Bearer  abc "), "abc");
  EXPECT_EQ(BearerSecret("bearer abc"), "abc");
  EXPECT_EQ(BearerSecret("Basic abc"), "");
}

// Each row: a route and the status each caller gets. "pass" means the role is let through to the
// handler (its status is the handler's, never 401 or 403).
constexpr int kPass = 0;
struct MatrixRow {
  std::string method;
  std::string target;
  std::string body;
  int admin, app, partner, member_own;
};

// A checkout request any caller may send.
constexpr const char* kCart =
    R"({"member":"m1","order":"o1","lines":[{"price":"10.00","quantity":1}]})";
constexpr const char* kForbidden =
    R"({"error":{"code":"forbidden","message":"this key's role may not call this route","field":""}})";

// Whether `target` (no query) is an instance of the route `pattern`: the same segments, {name}
// standing for any one.
bool Matches(std::string_view pattern, std::string_view target) {
  while (!pattern.empty() && !target.empty()) {
    const size_t p = pattern.find('/', 1), t = target.find('/', 1);
    const std::string_view ps = pattern.substr(0, p), ts = target.substr(0, t);
    if (!(ps == ts || (ps.size() > 3 && ps[1] == '{'))) return false;
    pattern = p == std::string_view::npos ? "" : pattern.substr(p);
    target = t == std::string_view::npos ? "" : target.substr(t);
  }
  return pattern.empty() && target.empty();
}

TEST_F(HttpServerTest, AuthMatrix) {
  StartServer();
  IngestAndPublish();
  const std::vector<MatrixRow> rows = {
      {"GET", "/healthz", "", kPass, kPass, kPass, kPass},
      {"GET", "/metrics", "", kPass, 403, 403, 403},
      {"POST", "/v1/events", Purchase("e9", "m9"), kPass, kPass, 403, 403},
      {"GET", "/v1/members/m1", "", kPass, kPass, 403, kPass},
      {"GET", "/v1/members/m2", "", kPass, kPass, 403, 403},
      {"GET", "/v1/members/nobody", "", kPass, kPass, 403, 403},
      {"GET", "/v1/members/m1/publications", "", kPass, kPass, 403, 403},
      {"POST", "/v1/members/m1/invitation", "", kPass, 403, 403, 403},
      {"POST", "/v1/members/m1/invitation/accept", "", kPass, 403, 403, 403},
      {"GET", "/v1/publications", "", kPass, 403, 403, 403},
      {"POST", "/v1/publications", R"({"month":"2025-04"})", kPass, 403, 403, 403},
      {"GET", "/v1/publications/2025-04/scores", "", kPass, 403, 403, 403},
      {"GET", "/v1/publications/2025-04/tiers", "", kPass, 403, 403, 403},
      // The paid plan: the app acts for members; a member token reads its own plan only.
      {"GET", "/v1/members/m1/plan", "", kPass, kPass, 403, kPass},
      {"GET", "/v1/members/m2/plan", "", kPass, kPass, 403, 403},
      {"POST", "/v1/members/m1/plan/purchase", "{}", kPass, kPass, 403, 403},
      {"POST", "/v1/members/m1/plan/renew", "{}", kPass, kPass, 403, 403},
      {"POST", "/v1/members/m1/plan/refund", "{}", kPass, kPass, 403, 403},
      {"GET", "/v1/economics/2025-04", "", kPass, 403, 403, 403},
      // Benefits: the catalogue holds no member's data; a member's benefits are personal.
      {"GET", "/v1/benefits", "", kPass, kPass, kPass, kPass},
      {"GET", "/v1/members/m1/benefits", "", kPass, kPass, 403, kPass},
      {"GET", "/v1/members/m2/benefits", "", kPass, kPass, 403, 403},
      {"POST", "/v1/checkout/quote", kCart, kPass, kPass, 403, 403},
      {"POST", "/v1/checkout/commit", kCart, kPass, kPass, 403, 403},
      {"POST", "/v1/checkout/reverse", R"({"member":"m1","order":"o1"})", kPass, kPass, 403, 403},
      // Drops: schedules for every caller but partners; the app claims for members; a slot's
      // claims are the operator's; a member token reads its own claim only.
      {"GET", "/v1/drops", "", kPass, kPass, 403, kPass},
      {"POST", "/v1/drops", R"({"id":"d"})", kPass, 403, 403, 403},
      {"POST", "/v1/drops/fold-phone/claims", R"({"member":"m1"})", kPass, kPass, 403, 403},
      {"POST", "/v1/drops/fold-phone/confirm", R"({"member":"m1"})", kPass, kPass, 403, 403},
      {"POST", "/v1/drops/fold-phone/release", R"({"member":"m1"})", kPass, kPass, 403, 403},
      {"POST", "/v1/drops/fold-phone/registrations", R"({"member":"m1"})", kPass, kPass, 403, 403},
      {"POST", "/v1/drops/fold-phone/draw", R"({"seed":"s"})", kPass, 403, 403, 403},
      {"GET", "/v1/drops/fold-phone/status", "", kPass, kPass, 403, 403},
      {"GET", "/v1/drops/fold-phone/results", "", kPass, 403, 403, 403},
      {"GET", "/v1/drops/fold-phone/verify", "", kPass, kPass, 403, 403},
      {"GET", "/v1/members/m1/drops/fold-phone", "", kPass, kPass, 403, kPass},
      {"GET", "/v1/members/m2/drops/fold-phone", "", kPass, kPass, 403, 403},
      // Points: the app earns and spends for members; a member token reads its own points.
      {"GET", "/v1/members/m1/points", "", kPass, kPass, 403, kPass},
      {"GET", "/v1/members/m2/points", "", kPass, kPass, 403, 403},
      {"GET", "/v1/members/m1/points/history", "", kPass, kPass, 403, kPass},
      {"GET", "/v1/members/m2/points/history", "", kPass, kPass, 403, 403},
      {"POST", "/v1/points/earn", "{}", kPass, kPass, 403, 403},
      {"POST", "/v1/points/redeem", "{}", kPass, kPass, 403, 403},
      {"POST", "/v1/points/link", "{}", kPass, kPass, 403, 403},
      {"POST", "/v1/points/exchange", "{}", kPass, kPass, 403, 403},
      {"POST", "/v1/points/expire", "{}", kPass, 403, 403, 403},
      {"GET", "/v1/ledger/verify", "", kPass, 403, 403, 403},
  };
  // Every served route is in the matrix.
  for (const RouteSpec& route : Api::Routes()) {
    bool found = false;
    for (const MatrixRow& row : rows) {
      found = found || (row.method == route.method && Matches(route.pattern, row.target));
    }
    EXPECT_TRUE(found) << route.method << " " << route.pattern;
  }
  for (const MatrixRow& row : rows) {
    const std::pair<const char*, int> callers[] = {{kAdminSecret, row.admin},
                                                   {kAppSecret, row.app},
                                                   {kPartnerSecret, row.partner},
                                                   {kMemberSecret, row.member_own}};
    for (const auto& [secret, expected] : callers) {
      HttpReply reply = Request(port_, row.method, row.target, row.body, secret);
      if (expected == kPass) {
        EXPECT_NE(reply.status, 401) << row.method << " " << row.target << " as " << secret;
        EXPECT_NE(reply.status, 403) << row.method << " " << row.target << " as " << secret;
      } else {
        EXPECT_EQ(reply.status, expected) << row.method << " " << row.target << " as " << secret;
        // The same answer on every route: nothing about the member or the resource.
        EXPECT_EQ(reply.body, kForbidden) << row.method << " " << row.target << " as " << secret;
      }
    }
    if (row.target == "/healthz") continue;
    // No key and a wrong key are 401 on every route, whatever exists behind it.
    HttpReply none = Request(port_, row.method, row.target, row.body);
    EXPECT_EQ(none.status, 401) << row.target;
    EXPECT_EQ(none.ErrorCode(), "unauthorized");
    EXPECT_EQ(none.headers["WWW-Authenticate"], "Bearer");
    EXPECT_EQ(Request(port_, row.method, row.target, row.body, "wrong").status, 401);
  }
  // Unknown routes too: a stranger learns nothing about the route table.
  EXPECT_EQ(Request(port_, "GET", "/v1/secret-admin-thing").status, 401);
  EXPECT_EQ(Request(port_, "GET", "/v1/nothing", "", kPartnerSecret).status, 404);
  EXPECT_EQ(Request(port_, "GET", "/v1/members/m1", "", "", {{"Authorization", "Basic x"}}).status,
            401);
}

TEST_F(HttpServerTest, WithoutKeysEveryRequestIsAdmin) {
  StartServer({}, /*with_keys=*/false);
  EXPECT_EQ(Request(port_, "GET", "/v1/publications").status, 200);
  EXPECT_EQ(Request(port_, "GET", "/metrics").status, 200);
}

}  // namespace
}  // namespace onecard::server::testing
