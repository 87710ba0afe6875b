// The per-key rate limit (429 with Retry-After, one token bucket per API key), the serve command's
// [server] TOML that sets every limit, and the keys file in TOML.
#include <fstream>

#include "http_test_support.h"
#include "server/rate_limiter.h"
#include "server/server_config.h"

namespace onecard::server::testing {
namespace {

TEST(RateLimiterTest, TokenBucketRefillsAtTheRate) {
  // 2 a second, burst 3: three at once pass, the fourth waits. 250 ms later half a token is back
  // (still refused, Retry-After rounds up to 1 s); at 500 ms one token is back.
  RateLimiter limiter(2, 3);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Take("k", 0).has_value()) << i;
  EXPECT_EQ(limiter.Take("k", 0), 1);
  EXPECT_EQ(limiter.Take("k", 250'000), 1);
  EXPECT_FALSE(limiter.Take("k", 500'000).has_value());
  EXPECT_TRUE(limiter.Take("k", 500'000).has_value());
  // Another key has its own bucket.
  EXPECT_FALSE(limiter.Take("other", 500'000).has_value());
  // A long pause refills to the burst, never past it.
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Take("k", 1'000'000'000).has_value()) << i;
  EXPECT_TRUE(limiter.Take("k", 1'000'000'000).has_value());
  // A clock that goes back refills nothing.
  EXPECT_TRUE(limiter.Take("k", 0).has_value());
}

TEST_F(HttpServerTest, OverTheRateIs429WithRetryAfterAndChangesNothing) {
  ServerLimits limits;
  limits.rate_per_key_per_second = 1;
  limits.rate_burst_per_key = 2;
  StartServer(limits);
  EXPECT_EQ(Get("/v1/publications").status, 200);
  EXPECT_EQ(Get("/v1/nothing").status, 404);  // a request to no route spends a token too
  HttpReply limited = Post("/v1/events", Purchase("e1", "m1"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.ErrorCode(), "rate_limited");
  EXPECT_EQ(limited.headers["Retry-After"], "1");
  EXPECT_FALSE(engine_->Member("m1").ok());
  // The app key has its own bucket; /healthz needs no key and is never limited.
  EXPECT_EQ(Get("/v1/members/nobody", kAppSecret).status, 404);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Request(port_, "GET", "/healthz").status, 200);
  // A token is back after a second.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_EQ(Post("/v1/events", Purchase("e1", "m1")).status, 200);
  EXPECT_NE(metrics_.RenderPrometheus().find("onecard_rate_limited_total 1\n"), std::string::npos);
}

TEST(ServerConfigTest, EveryLimitIsRead) {
  auto limits = ParseServerConfig(R"(
[server]
body_bytes_max = 1024
header_bytes_max = 2048
events_per_batch_max = 10
requests_in_flight_max = 4
connections_max = 8
idle_timeout_ms = 1000
read_timeout_ms = 2000
write_timeout_ms = 3000
scores_page_rows_default = 5
scores_page_rows_max = 50
rate_per_key_per_second = 7
rate_burst_per_key = 9
idempotency_key_bytes_max = 64
idempotency_retention_seconds = 600
group_commit_events_max = 500
)",
                                  "server.toml");
  ASSERT_TRUE(limits.ok()) << limits.error().ToString();
  EXPECT_EQ(limits->body_bytes_max, 1024);
  EXPECT_EQ(limits->header_bytes_max, 2048);
  EXPECT_EQ(limits->events_per_batch_max, 10);
  EXPECT_EQ(limits->requests_in_flight_max, 4);
  EXPECT_EQ(limits->connections_max, 8);
  EXPECT_EQ(limits->idle_timeout_ms, 1000);
  EXPECT_EQ(limits->read_timeout_ms, 2000);
  EXPECT_EQ(limits->write_timeout_ms, 3000);
  EXPECT_EQ(limits->scores_page_rows_default, 5);
  EXPECT_EQ(limits->scores_page_rows_max, 50);
  EXPECT_EQ(limits->rate_per_key_per_second, 7);
  EXPECT_EQ(limits->rate_burst_per_key, 9);
  EXPECT_EQ(limits->idempotency_key_bytes_max, 64);
  EXPECT_EQ(limits->idempotency_retention_seconds, 600);
  EXPECT_EQ(limits->group_commit_events_max, 500);
  // Omitted keys, or no [server] table at all, keep the defaults of server_limits.h.
  auto defaults = ParseServerConfig("[server]\nbody_bytes_max = 1\n", "s.toml");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->rate_per_key_per_second, ServerLimits{}.rate_per_key_per_second);
  EXPECT_EQ(ParseServerConfig("", "s.toml")->body_bytes_max, ServerLimits{}.body_bytes_max);
}

TEST(ServerConfigTest, ErrorsNameTheKeyAndLine) {
  struct Case {
    std::string toml;
    std::string field;
    std::string message_part;
  };
  const Case cases[] = {
      {"[server]\nbogus = 1\n", "server.bogus", "s.toml:2:1: unknown key server.bogus"},
      {"[server]\nbody_bytes_max = 0\n", "server.body_bytes_max", "s.toml:2:18: "},
      {"[server]\nrate_per_key_per_second = \"fast\"\n", "server.rate_per_key_per_second",
       "must be a whole number from 1 to"},
      {"[server]\nread_timeout_ms = 1.5\n", "server.read_timeout_ms", "whole number"},
      {"[program]\nname = \"x\"\n", "program", "expected only [server]"},
      {"server = 3\n", "server", "server must be a table"},
      {"[server]\nscores_page_rows_default = 10\nscores_page_rows_max = 5\n",
       "server.scores_page_rows_default", "may not exceed"},
      {"[server\n", "", "s.toml:1:"},
  };
  for (const Case& c : cases) {
    auto limits = ParseServerConfig(c.toml, "s.toml");
    ASSERT_FALSE(limits.ok()) << c.toml;
    EXPECT_EQ(limits.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(limits.error().field, c.field) << c.toml;
    EXPECT_NE(limits.error().message.find(c.message_part), std::string::npos)
        << c.toml << " -> " << limits.error().message;
  }
  auto missing = LoadServerConfig("/nonexistent/server.toml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kIoError);
}

TEST(AuthTest, KeysFileInToml) {
  const std::string toml = "[[keys]]\nid = \"ops\"\nrole = \"admin\"\nsha256 = \"" +
                           Sha256Hex("s1") + "\"\n\n[[keys]]\nid = \"m1\"\nrole = \"member\"\n" +
                           "member = \"m1\"\nsha256 = \"" + Sha256Hex("s2") + "\"\n";
  auto ring = KeyRing::Parse(toml);
  ASSERT_TRUE(ring.ok()) << ring.error().ToString();
  EXPECT_EQ(ring->size(), 2u);
  EXPECT_EQ(ring->Find("s1")->id, "ops");
  EXPECT_EQ(ring->Find("s2")->member, "m1");
  EXPECT_FALSE(ring->Find("s3").has_value());

  struct Case {
    std::string toml;
    std::string field;
  };
  const std::string hash = Sha256Hex("s");
  const Case cases[] = {
      {"[[keys]]\nrole = \"admin\"\nsha256 = \"" + hash + "\"\n", "keys[0].id"},
      {"[[keys]]\nid = \"a\"\nrole = \"root\"\nsha256 = \"" + hash + "\"\n", "keys[0].role"},
      {"[[keys]]\nid = \"a\"\nrole = \"admin\"\nsha256 = 5\n", "keys[0].sha256"},
      {"[[keys]]\nid = \"a\"\nrole = \"admin\"\nsecret = \"x\"\nsha256 = \"" + hash + "\"\n",
       "keys[0].secret"},
      {"[[keys]]\nid = \"a\"\nrole = \"app\"\nmember = \"m\"\nsha256 = \"" + hash + "\"\n",
       "keys[0].member"},
      {"title = \"x\"\n", "title"},
      {"[keys]\nid = \"a\"\n", "keys"},
      {"[[keys]\n", "keys"},
  };
  for (const Case& c : cases) {
    auto bad = KeyRing::Parse(c.toml);
    ASSERT_FALSE(bad.ok()) << c.toml;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidConfig);
    EXPECT_EQ(bad.error().field, c.field) << c.toml << " -> " << bad.error().ToString();
  }
  // Unknown fields are refused in JSON too.
  auto json = KeyRing::Parse(R"({"keys":[{"id":"a","role":"admin","sha256":")" + hash +
                             R"(","note":"x"}]})");
  ASSERT_FALSE(json.ok());
  EXPECT_EQ(json.error().field, "keys[0].note");
}

TEST_F(HttpServerTest, MetricsShowCommitsPublicationsAndLatencyByRoute) {
  StartServer();
  ASSERT_EQ(Post("/v1/events", Purchase("e1", "m1")).status, 200);
  ASSERT_EQ(Post("/v1/publications", R"({"month":"2025-04"})").status, 201);
  const std::string metrics = Get("/metrics").body;
  for (const char* line : {
           R"(onecard_http_request_duration_seconds_count{route="/v1/events"} 1)",
           R"(onecard_http_request_duration_seconds_count{route="/v1/publications"} 1)",
           R"(onecard_store_commit_duration_seconds_count{kind="ingest"} 1)",
           R"(onecard_store_commit_duration_seconds_count{kind="publication"} 1)",
           R"(onecard_store_commit_duration_seconds_count{kind="checkpoint"} 1)",
           R"(onecard_publication_runs_total{outcome="published"} 1)",
           R"(onecard_publication_duration_seconds_count 1)",
           R"(onecard_events_ingested_total{outcome="accepted"} 1)",
       }) {
    EXPECT_NE(metrics.find(std::string(line) + "\n"), std::string::npos) << line << "\n" << metrics;
  }
}

TEST_F(HttpServerTest, AccessLogHasOneJsonLinePerRequest) {
  const std::string log = (dir_ / "access.log").string();
  StartServer({}, true, log);
  ASSERT_EQ(Post("/v1/events", Purchase("e1", "m1"), kAppSecret).status, 200);
  ASSERT_EQ(Get("/v1/members/nobody").status, 404);
  ASSERT_EQ(Request(port_, "GET", "/v1/members/m1").status, 401);
  StopServer();  // flushes
  std::ifstream in(log);
  std::vector<boost::json::value> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(boost::json::parse(line));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].at("method").as_string(), "POST");
  EXPECT_EQ(lines[0].at("route").as_string(), "/v1/events");
  EXPECT_EQ(lines[0].at("status").as_int64(), 200);
  EXPECT_EQ(lines[0].at("key").as_string(), "shop");
  EXPECT_GT(lines[0].at("bytes_in").as_int64(), 0);
  EXPECT_GE(lines[0].at("latency_us").as_int64(), 0);
  EXPECT_EQ(lines[0].at("time").as_string().size(), 24u);  // 2026-01-01T00:00:00.000Z
  EXPECT_EQ(lines[1].at("target").as_string(), "/v1/members/nobody");
  EXPECT_EQ(lines[1].at("route").as_string(), "/v1/members/{id}");
  EXPECT_EQ(lines[1].at("status").as_int64(), 404);
  EXPECT_EQ(lines[2].at("status").as_int64(), 401);
  EXPECT_EQ(lines[2].at("key").as_string(), "");
}

TEST_F(HttpServerTest, AccessLogThatCannotBeOpenedStopsTheStart) {
  ApiOptions options;
  api_ = std::make_unique<Api>(*engine_, std::move(options), metrics_);
  HttpServer server(*api_, ServerOptions{"127.0.0.1", 0, 1, "/nonexistent/dir/access.log"});
  Status started = server.Start();
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, ErrorCode::kIoError);
}

}  // namespace
}  // namespace onecard::server::testing
