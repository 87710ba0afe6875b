// The /v1 routes over real sockets: ingest results, publications, member reads, scores pages,
// tiers, invitations, and the exact status and error code of each bad input.
#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

namespace json = boost::json;

TEST_F(HttpServerTest, HealthzNeedsNoKey) {
  StartServer();
  HttpReply reply = Request(port_, "GET", "/healthz");
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.body, R"({"status":"ok"})");
}

TEST_F(HttpServerTest, HandleNowAnswersWithoutTheTransport) {
  StartServer();
  ApiResponse health = api_->HandleNow({"GET", "/healthz", "", "", std::nullopt});
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.route, "/healthz");
  // POST /v1/events is answered from the committer thread; HandleNow waits for it.
  ApiResponse ingest = api_->HandleNow(
      {"POST", "/v1/events", std::string("Bearer ") + kAppSecret, Purchase("e1", "m1"), "k"});
  EXPECT_EQ(ingest.status, 200);
  EXPECT_EQ(ingest.key_id, "shop");
  EXPECT_EQ(ingest.route, "/v1/events");
}

TEST_F(HttpServerTest, IngestJsonlAnswersEachLine) {
  StartServer();
  const std::string body = Purchase("e1", "m1") + "\n\n" + R"({"id":"e2","type":"bogus"})" + "\n" +
                           Purchase("e1", "m1") + "\n";
  HttpReply reply = Post("/v1/events", body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.body,
            R"x({"accepted":1,"duplicate":1,"rejected":1,"results":[)x"
            R"x({"line":1,"result":"accepted"},)x"
            R"x({"line":3,"result":"rejected","error":{"code":"unknown_event_type",)x"
            R"x("message":"type \"bogus\" is not an event type (purchase, refund, review, share, )x"
            R"x(post, answer, credit or visit)","field":"type"}},)x"
            R"x({"line":4,"result":"duplicate"}]})x");
  // Durable before the 200: the engine sees the member.
  EXPECT_TRUE(engine_->Member("m1").ok());
}

TEST_F(HttpServerTest, IngestJsonArrayNumbersByPosition) {
  StartServer();
  HttpReply reply =
      Post("/v1/events", "[" + Purchase("e1", "m1") + ", 17, " + Purchase("e2", "m2") + "]");
  ASSERT_EQ(reply.status, 200) << reply.body;
  json::value value = reply.Json();
  EXPECT_EQ(value.at("accepted").as_int64(), 2);
  EXPECT_EQ(value.at("rejected").as_int64(), 1);
  EXPECT_EQ(value.at("results").at(1).at("line").as_int64(), 2);
  EXPECT_EQ(value.at("results").at(1).at("error").at("code").as_string(), "invalid_json");
  EXPECT_EQ(value.at("results").at(2).at("line").as_int64(), 3);
}

TEST_F(HttpServerTest, IngestBadBodies) {
  StartServer();
  HttpReply broken = Post("/v1/events", "[{\"id\":");
  EXPECT_EQ(broken.status, 400);
  EXPECT_EQ(broken.ErrorCode(), "invalid_json");
  HttpReply empty = Post("/v1/events", " \n ");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.ErrorCode(), "invalid_argument");
  HttpReply empty_array = Post("/v1/events", "[]");
  EXPECT_EQ(empty_array.status, 400);
  // A bad line in JSONL is that line's result, not the request's.
  HttpReply garbage = Post("/v1/events", "not json\n");
  EXPECT_EQ(garbage.status, 200);
  EXPECT_EQ(garbage.Json().at("results").at(0).at("error").at("code").as_string(), "invalid_json");
}

TEST_F(HttpServerTest, PublishAndItsErrors) {
  StartServer();
  ASSERT_EQ(Post("/v1/events", Purchase("e1", "m1")).status, 200);
  HttpReply published = Post("/v1/publications", R"({"month":"2025-04"})");
  ASSERT_EQ(published.status, 201) << published.body;
  EXPECT_EQ(published.body,
            R"({"month":"2025-04","instant":"2025-04-08T00:00:00+08:00",)"
            R"("published_at":"2026-01-01T08:00:00+08:00","rule_version":"88-2019.1",)"
            R"("members":1})");
  struct Case {
    std::string body;
    int status;
    std::string code;
  };
  const Case cases[] = {
      {R"({"month":"2025-04"})", 409, "already_published"},
      {R"({"month":"2025-03"})", 409, "month_not_after_latest"},
      {R"({"month":"2026-02"})", 409, "instant_in_future"},
      {R"({"month":"2025-13"})", 422, "invalid_month"},
      {R"({"month":202505})", 400, "invalid_type"},
      {R"({"month":"2025-05","x":"1"})", 400, "unknown_field"},
      {R"({})", 400, "missing_field"},
      {R"([)", 400, "invalid_json"},
      {R"("2025-05")", 400, "invalid_json"},
  };
  for (const Case& c : cases) {
    HttpReply reply = Post("/v1/publications", c.body);
    EXPECT_EQ(reply.status, c.status) << c.body << " -> " << reply.body;
    EXPECT_EQ(reply.ErrorCode(), c.code) << c.body;
  }
  HttpReply list = Get("/v1/publications");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json().at("publications").as_array().size(), 1u);
}

TEST_F(HttpServerTest, MemberReads) {
  StartServer();
  IngestAndPublish();
  HttpReply member = Get("/v1/members/m1");
  ASSERT_EQ(member.status, 200) << member.body;
  json::value value = member.Json();
  EXPECT_EQ(value.at("member").as_string(), "m1");
  EXPECT_EQ(value.at("events").as_int64(), 1);
  EXPECT_EQ(value.at("latest").at("month").as_string(), "2025-04");
  EXPECT_EQ(value.at("latest").at("score").as_int64(), 217);
  EXPECT_EQ(value.at("latest").at("tier").as_string(), "registered");
  EXPECT_EQ(value.at("latest").at("parts").at("shopping").as_int64(), 12);
  EXPECT_EQ(value.at("latest").at("net_spend").as_string(), "129.90");
  EXPECT_FALSE(value.at("latest").at("explanation").as_array().empty());
  EXPECT_TRUE(value.at("invitation").is_null());

  HttpReply publications = Get("/v1/members/m1/publications");
  ASSERT_EQ(publications.status, 200);
  EXPECT_EQ(publications.Json().at("publications").as_array().size(), 1u);

  HttpReply unknown = Get("/v1/members/nobody");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCode(), "unknown_member");
  EXPECT_EQ(Get("/v1/members/nobody/publications").status, 404);
  // Percent-escapes in a path segment are decoded; a malformed one is 400.
  EXPECT_EQ(Get("/v1/members/%6d1").status, 200);
  EXPECT_EQ(Get("/v1/members/%zz").status, 400);
}

TEST_F(HttpServerTest, ScoresArePaged) {
  StartServer();
  IngestAndPublish();
  HttpReply first = Get("/v1/publications/2025-04/scores?limit=2");
  ASSERT_EQ(first.status, 200) << first.body;
  json::value page = first.Json();
  ASSERT_EQ(page.at("scores").as_array().size(), 2u);
  EXPECT_EQ(page.at("scores").at(0).at("member").as_string(), "m1");
  EXPECT_EQ(page.at("next_after").as_string(), "m2");
  HttpReply second = Get("/v1/publications/2025-04/scores?after=m2&limit=2");
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(second.Json().at("scores").as_array().size(), 1u);
  EXPECT_EQ(second.Json().at("scores").at(0).at("member").as_string(), "m3");
  EXPECT_TRUE(second.Json().at("next_after").is_null());
  EXPECT_EQ(Get("/v1/publications/2025-04/scores").Json().at("scores").as_array().size(), 3u);

  for (const char* bad : {"limit=0", "limit=1001", "limit=abc", "limit=", "page=2"}) {
    HttpReply reply = Get(std::string("/v1/publications/2025-04/scores?") + bad);
    EXPECT_EQ(reply.status, 400) << bad;
    EXPECT_EQ(reply.ErrorCode(), "invalid_argument") << bad;
  }
  HttpReply unpublished = Get("/v1/publications/2025-05/scores");
  EXPECT_EQ(unpublished.status, 404);
  EXPECT_EQ(unpublished.ErrorCode(), "not_published");
  HttpReply bad_month = Get("/v1/publications/2025-5/scores");
  EXPECT_EQ(bad_month.status, 422);
  EXPECT_EQ(bad_month.ErrorCode(), "invalid_month");
}

TEST_F(HttpServerTest, Tiers) {
  StartServer();
  IngestAndPublish();
  HttpReply tiers = Get("/v1/publications/2025-04/tiers");
  ASSERT_EQ(tiers.status, 200);
  EXPECT_EQ(tiers.Json().at("tiers").at(0).at("tier").as_string(), "registered");
  EXPECT_EQ(tiers.Json().at("tiers").at(0).at("members").as_int64(), 3);
  EXPECT_EQ(Get("/v1/publications/2025-06/tiers").status, 404);
}

TEST_F(HttpServerTest, InvitationErrors) {
  StartServer();
  HttpReply before = Post("/v1/members/m1/invitation", "");
  EXPECT_EQ(before.status, 404);
  EXPECT_EQ(before.ErrorCode(), "not_published");
  IngestAndPublish();
  HttpReply not_eligible = Post("/v1/members/m1/invitation", "{}");
  EXPECT_EQ(not_eligible.status, 422);
  EXPECT_EQ(not_eligible.ErrorCode(), "not_eligible");
  HttpReply unknown = Post("/v1/members/nobody/invitation", "");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCode(), "unknown_member");
  HttpReply not_invited = Post("/v1/members/m1/invitation/accept", "");
  EXPECT_EQ(not_invited.status, 422);
  EXPECT_EQ(not_invited.ErrorCode(), "not_invited");
  HttpReply body = Post("/v1/members/m1/invitation", R"({"note":"x"})");
  EXPECT_EQ(body.status, 400);
  EXPECT_EQ(body.ErrorCode(), "unknown_field");
}

TEST_F(HttpServerTest, UnknownRouteAndWrongMethod) {
  StartServer();
  HttpReply unknown = Get("/v1/nothing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.ErrorCode(), "not_found");
  EXPECT_EQ(Get("/v1/members/").status, 404);
  HttpReply wrong = Request(port_, "DELETE", "/v1/publications", "", kAdminSecret);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.ErrorCode(), "method_not_allowed");
  EXPECT_EQ(wrong.headers["Allow"], "GET, POST");
  EXPECT_EQ(Get("/v1/events").status, 405);
}

TEST_F(HttpServerTest, MetricsCountRequestsAndEvents) {
  StartServer();
  ASSERT_EQ(Post("/v1/events", Purchase("e1", "m1") + "\n{}\n").status, 200);
  ASSERT_EQ(Get("/v1/members/nobody").status, 404);
  HttpReply metrics = Get("/metrics");
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(
      metrics.body.find(R"(onecard_http_requests_total{route="/v1/members/{id}",status="404"} 1)"),
      std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find(R"(onecard_events_ingested_total{outcome="accepted"} 1)"),
            std::string::npos);
  EXPECT_NE(metrics.body.find(R"(onecard_events_ingested_total{outcome="rejected"} 1)"),
            std::string::npos);
  EXPECT_NE(metrics.body.find(
                R"(onecard_http_request_duration_seconds_count{route="/v1/members/{id}"} 1)"),
            std::string::npos);
}

TEST_F(HttpServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  StartServer();
  namespace http = boost::beast::http;
  boost::asio::io_context context;
  boost::asio::ip::tcp::socket socket(context);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {
    http::request<http::string_body> request(http::verb::get, "/healthz", 11);
    request.keep_alive(true);
    http::write(socket, request);
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
  }
}

}  // namespace
}  // namespace onecard::server::testing
