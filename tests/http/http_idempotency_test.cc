// Idempotency-Key on every state-changing POST (issue 4): the same key and request replay the
// stored answer without running again; the same key with another request is 422; keys belong to
// the API key that sent them; they expire after the retention; bad keys are 400; answers survive a
// restart; concurrent requests with one key run once.
#include <set>
#include <thread>

#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

namespace json = boost::json;

constexpr const char* kReplayed = "Idempotent-Replayed";

// 48 purchases of 2,100.00 by `member`, four a month (days 1-4, shops s1/s2, categories c1/c2) in
// each month of 2024-04 … 2025-03, the window of the 2025-04 publication. By hand: each order is
// capped at 50 points; a month has 200 points, D = 4 × 50, S = C = 2 × 100, so shopping is 200 a
// month and 2,400 a year; active 12 × 5 = 60; breadth (2 categories − 1) × 10 = 10; credit level 3:
// base 200, multiplier 1.0. Score 200 + 2,470 = 2,670 ≥ 2,500 and net spend 100,800.00 ≥
// 100,000: eligible for the apass invitation.
std::string EligibleMemberEvents(const std::string& member) {
  std::string body;
  int n = 0;
  for (int m = 0; m < 12; ++m) {
    const int year = m < 9 ? 2024 : 2025;
    const int month = m < 9 ? m + 4 : m - 8;
    for (int day = 1; day <= 4; ++day) {
      char at[40];
      std::snprintf(at, sizeof at, "%04d-%02d-%02dT10:00:00+08:00", year, month, day);
      const std::string id = member + "-p" + std::to_string(++n);
      body += "{\"id\":\"" + id + "\",\"type\":\"purchase\",\"member\":\"" + member +
              "\",\"at\":\"" + at + "\",\"order\":\"o-" + id +
              "\",\"amount\":\"2100.00\",\"site\":\"tmall\",\"shop\":\"s" +
              std::to_string(day % 2 + 1) + "\",\"category\":\"c" + std::to_string(day % 2 + 1) +
              "\",\"goods\":\"physical\"}\n";
    }
  }
  return body;
}

TEST_F(HttpServerTest, EventsWithTheSameKeyAndBodyReplayTheFirstAnswer) {
  StartServer();
  const std::string body = Purchase("e1", "m1") + "\n" + Purchase("e2", "m1") + "\n";
  HttpReply first = PostWithKey("/v1/events", body, "batch-0001");
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.Json().at("accepted").as_int64(), 2);
  EXPECT_FALSE(first.headers.contains(kReplayed));
  // The retry gets the first answer (accepted, not duplicate), marked as a replay.
  HttpReply retry = PostWithKey("/v1/events", body, "batch-0001");
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.headers[kReplayed], "true");
  // Without the key the same body runs again: both events are duplicates.
  HttpReply again = Post("/v1/events", body);
  EXPECT_EQ(again.Json().at("duplicate").as_int64(), 2);
  EXPECT_EQ(engine_->Member("m1")->events, 2);
  EXPECT_NE(Get("/metrics").body.find("onecard_idempotent_replays_total 1\n"), std::string::npos);
}

TEST_F(HttpServerTest, SameKeyWithAnotherRequestIs422AndChangesNothing) {
  StartServer();
  ASSERT_EQ(PostWithKey("/v1/events", Purchase("e1", "m1"), "k").status, 200);
  HttpReply other = PostWithKey("/v1/events", Purchase("e2", "m2"), "k");
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(other.ErrorCode(), "idempotency_conflict");
  EXPECT_EQ(other.Json().at("error").at("field").as_string(), "Idempotency-Key");
  EXPECT_FALSE(engine_->Member("m2").ok());
  // Another route is another request too.
  HttpReply publish = PostWithKey("/v1/publications", R"({"month":"2025-04"})", "k");
  EXPECT_EQ(publish.status, 422);
  EXPECT_EQ(publish.ErrorCode(), "idempotency_conflict");
  EXPECT_TRUE(engine_->Publications()->empty());
}

TEST_F(HttpServerTest, KeysAreScopedPerApiKey) {
  StartServer();
  ASSERT_EQ(PostWithKey("/v1/events", Purchase("e1", "m1"), "same").status, 200);
  // The app key's "same" is its own: it runs, with its own body.
  HttpReply app = PostWithKey("/v1/events", Purchase("e2", "m2"), "same", kAppSecret);
  EXPECT_EQ(app.status, 200) << app.body;
  EXPECT_FALSE(app.headers.contains(kReplayed));
  EXPECT_TRUE(engine_->Member("m2").ok());
  // And the app key replaying the admin's request body runs it (a duplicate), no replay.
  HttpReply cross = PostWithKey("/v1/events", Purchase("e1", "m1"), "other", kAppSecret);
  EXPECT_EQ(cross.Json().at("duplicate").as_int64(), 1);
}

TEST_F(HttpServerTest, BadIdempotencyKeysAre400AndStoreNothing) {
  StartServer();
  const std::string too_long(256, 'k');
  for (const std::string& key : {std::string(""), too_long, std::string("has space"),
                                 std::string("tab\there"), std::string("caf\xc3\xa9")}) {
    HttpReply reply = PostWithKey("/v1/events", Purchase("e1", "m1"), key);
    EXPECT_EQ(reply.status, 400) << key;
    EXPECT_EQ(reply.ErrorCode(), "invalid_key") << key;
  }
  EXPECT_FALSE(engine_->Member("m1").ok());
  // 255 bytes is the longest key.
  EXPECT_EQ(PostWithKey("/v1/events", Purchase("e1", "m1"), std::string(255, 'k')).status, 200);
  // A GET ignores the header.
  EXPECT_EQ(
      Request(port_, "GET", "/v1/members/m1", "", kAdminSecret, {{"Idempotency-Key", ""}}).status,
      200);
}

TEST_F(HttpServerTest, ErrorAnswersBindNothing) {
  StartServer();
  // An invalid month (refused by the handler) and a month whose instant is still ahead (refused by
  // the engine) bind nothing: the same key then runs a good request.
  HttpReply bad = PostWithKey("/v1/publications", R"({"month":"2025-13"})", "p1");
  EXPECT_EQ(bad.status, 422);
  HttpReply future = PostWithKey("/v1/publications", R"({"month":"2026-02"})", "p1");
  EXPECT_EQ(future.ErrorCode(), "instant_in_future");
  HttpReply good = PostWithKey("/v1/publications", R"({"month":"2025-04"})", "p1");
  EXPECT_EQ(good.status, 201) << good.body;
}

TEST_F(HttpServerTest, PublicationReplay) {
  StartServer();
  ASSERT_EQ(Post("/v1/events", Purchase("e1", "m1")).status, 200);
  HttpReply first = PostWithKey("/v1/publications", R"({"month":"2025-04"})", "pub-2025-04");
  ASSERT_EQ(first.status, 201) << first.body;
  // Without the key a second run is already_published; with it, the first answer.
  EXPECT_EQ(Post("/v1/publications", R"({"month":"2025-04"})").status, 409);
  now_us_ += 3'600'000'000;  // an hour later the record still answers
  HttpReply retry = PostWithKey("/v1/publications", R"({"month":"2025-04"})", "pub-2025-04");
  EXPECT_EQ(retry.status, 201);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.headers[kReplayed], "true");
  const std::string metrics = Get("/metrics").body;
  // Runs: the keyed one and the unkeyed 409; the replay ran nothing.
  EXPECT_NE(metrics.find(R"(onecard_publication_runs_total{outcome="published"} 1)"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find(R"(onecard_publication_runs_total{outcome="failed"} 1)"),
            std::string::npos);
}

TEST_F(HttpServerTest, InvitationAndAcceptReplay) {
  StartServer();
  HttpReply ingest = Post("/v1/events", EligibleMemberEvents("vip"));
  ASSERT_EQ(ingest.Json().at("accepted").as_int64(), 48) << ingest.body;
  ASSERT_EQ(Post("/v1/publications", R"({"month":"2025-04"})").status, 201);
  ASSERT_EQ(engine_->Member("vip")->publications.at(0).row.score, 2670);

  HttpReply invite = PostWithKey("/v1/members/vip/invitation", "", "inv-1");
  ASSERT_EQ(invite.status, 201) << invite.body;
  EXPECT_EQ(Post("/v1/members/vip/invitation", "").ErrorCode(), "already_invited");
  HttpReply invite_retry = PostWithKey("/v1/members/vip/invitation", "", "inv-1");
  EXPECT_EQ(invite_retry.status, 201);
  EXPECT_EQ(invite_retry.body, invite.body);

  now_us_ += 60'000'000;
  HttpReply accept = PostWithKey("/v1/members/vip/invitation/accept", "", "acc-1");
  ASSERT_EQ(accept.status, 200) << accept.body;
  EXPECT_TRUE(accept.Json().at("accepted_at").is_string());
  now_us_ += 60'000'000;
  HttpReply accept_retry = PostWithKey("/v1/members/vip/invitation/accept", "", "acc-1");
  EXPECT_EQ(accept_retry.body, accept.body);
  EXPECT_EQ(accept_retry.headers[kReplayed], "true");
  // A second accept under a new key changes nothing but is bound to its answer, too.
  HttpReply second = PostWithKey("/v1/members/vip/invitation/accept", "", "acc-2");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, accept.body);
  EXPECT_FALSE(second.headers.contains(kReplayed));
  EXPECT_EQ(PostWithKey("/v1/members/vip/invitation/accept", "{}", "acc-2").ErrorCode(),
            "idempotency_conflict");
}

TEST_F(HttpServerTest, KeysExpireAfterTheRetention) {
  ServerLimits limits;
  limits.idempotency_retention_seconds = 3600;
  StartServer(limits);
  HttpReply first = PostWithKey("/v1/events", Purchase("e1", "m1"), "k");
  ASSERT_EQ(first.status, 200);
  now_us_ += 3'600'000'000;  // exactly the retention: still kept
  EXPECT_EQ(PostWithKey("/v1/events", Purchase("e2", "m1"), "k").status, 422);
  now_us_ += 1'000'000;  // one second past it: the key is free
  HttpReply later = PostWithKey("/v1/events", Purchase("e2", "m1"), "k");
  EXPECT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(later.Json().at("accepted").as_int64(), 1);
  EXPECT_FALSE(later.headers.contains(kReplayed));
  // And the new answer is the one kept now.
  EXPECT_EQ(PostWithKey("/v1/events", Purchase("e2", "m1"), "k").body, later.body);
}

TEST_F(HttpServerTest, AnswersSurviveARestart) {
  StartServer();
  const std::string body = Purchase("e1", "m1");
  HttpReply first = PostWithKey("/v1/events", body, "k");
  ASSERT_EQ(first.status, 200);
  StopServer();
  api_.reset();
  engine_.reset();
  auto store = OpenSqliteStore((dir_ / "test.db").string());
  ASSERT_TRUE(store.ok());
  auto engine = OpenEngine(std::move(store).value(), std::nullopt);
  ASSERT_TRUE(engine.ok());
  engine_ = std::move(engine).value();
  StartServer();
  HttpReply retry = PostWithKey("/v1/events", body, "k");
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(retry.headers[kReplayed], "true");
}

TEST_F(HttpServerTest, ConcurrentRequestsWithOneKeyRunOnce) {
  StartServer();
  // Eight clients at once with one key: half send body A, half body B. Exactly one runs; the
  // others get its answer (same body) or 422 (the other body).
  const std::string body_a = Purchase("a1", "ma") + "\n" + Purchase("a2", "ma");
  const std::string body_b = Purchase("b1", "mb");
  std::vector<HttpReply> replies(8);
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back(
        [&, i] { replies[i] = PostWithKey("/v1/events", i % 2 == 0 ? body_a : body_b, "race"); });
  }
  for (std::thread& client : clients) client.join();
  int ran = 0, replayed = 0, reused = 0;
  std::set<std::string> bodies;
  for (const HttpReply& reply : replies) {
    if (reply.status == 422) {
      ++reused;
      EXPECT_EQ(reply.ErrorCode(), "idempotency_conflict");
      continue;
    }
    ASSERT_EQ(reply.status, 200) << reply.body;
    bodies.insert(reply.body);
    ++(reply.headers.contains(kReplayed) ? replayed : ran);
  }
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(replayed, 3);
  EXPECT_EQ(reused, 4);
  EXPECT_EQ(bodies.size(), 1u);
  // Exactly one of the two bodies was stored.
  EXPECT_NE(engine_->Member("ma").ok(), engine_->Member("mb").ok());
}

}  // namespace
}  // namespace onecard::server::testing
