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
  };
  // Every served route is in the matrix.
  for (const RouteSpec& route : Api::Routes()) {
    bool found = false;
    for (const MatrixRow& row : rows) {
      found = found || (row.method == route.method &&
                        (row.target == route.pattern ||
                         row.target.starts_with(route.pattern.substr(0, route.pattern.find('{')))));
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
        EXPECT_EQ(reply.ErrorCode(), "forbidden");
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
