// A real server for HTTP tests: a temp SQLite database, the engine, the API and the Beast server on
// 127.0.0.1 with a port the OS picks; and a small blocking HTTP client over real sockets.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "engine/program.h"
#include "engine/program_services.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/metrics_store.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard::server::testing {

struct HttpReply {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  boost::json::value Json() const { return boost::json::parse(body); }
  std::string ErrorCode() const {
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    if (ec || !value.is_object() || !value.as_object().contains("error")) return "<no error body>";
    return std::string(value.at("error").at("code").as_string());
  }
};

// One request on a new connection.
inline HttpReply Request(uint16_t port, const std::string& method, const std::string& target,
                         const std::string& body = "", const std::string& secret = "",
                         const std::map<std::string, std::string>& headers = {}) {
  namespace http = boost::beast::http;
  boost::asio::io_context context;
  boost::asio::ip::tcp::socket socket(context);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request(http::string_to_verb(method), target, 11);
  request.set(http::field::host, "127.0.0.1");
  if (!secret.empty()) request.set(http::field::authorization, "Bearer " + secret);
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  http::read(socket, buffer, parser);
  HttpReply reply;
  reply.status = static_cast<int>(parser.get().result_int());
  reply.body = parser.get().body();
  for (const auto& field : parser.get()) {
    reply.headers[std::string(field.name_string())] = std::string(field.value());
  }
  return reply;
}

// The secrets of the test keys; the keys file holds only their hashes.
inline constexpr const char* kAdminSecret = "admin-secret";
inline constexpr const char* kAppSecret = "app-secret";
inline constexpr const char* kPartnerSecret = "partner-secret";
inline constexpr const char* kMemberSecret = "m1-secret";  // bound to member m1

inline std::string TestKeysJson() {
  auto key = [](const std::string& id, const std::string& role, const std::string& secret,
                const std::string& member) {
    std::string out =
        "{\"id\":\"" + id + "\",\"role\":\"" + role + "\",\"sha256\":\"" + Sha256Hex(secret) + "\"";
    if (!member.empty()) out += ",\"member\":\"" + member + "\"";
    return out + "}";
  };
  return "{\"keys\":[" + key("ops", "admin", kAdminSecret, "") + "," +
         key("shop", "app", kAppSecret, "") + "," + key("brand", "partner", kPartnerSecret, "") +
         "," + key("m1-token", "member", kMemberSecret, "m1") + "]}";
}

// A purchase of `amount` by `member` in March 2025.
inline std::string Purchase(const std::string& id, const std::string& member,
                            const std::string& amount = "129.90") {
  return "{\"id\":\"" + id + "\",\"type\":\"purchase\",\"member\":\"" + member +
         "\",\"at\":\"2025-03-01T10:00:00+08:00\",\"order\":\"o-" + id + "\",\"amount\":\"" +
         amount + "\",\"site\":\"tmall\",\"shop\":\"s1\",\"category\":\"shoes\",\"goods\":" +
         "\"physical\"}";
}

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("onecard-http-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = OpenSqliteStore((dir_ / "test.db").string());
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    auto engine = OpenEngine(std::make_unique<MetricsStore>(std::move(store).value(), metrics_),
                             std::nullopt);
    ASSERT_TRUE(engine.ok()) << engine.error().ToString();
    engine_ = std::move(engine).value();
  }
  void TearDown() override {
    StopServer();
    api_.reset();
    CloseServices();
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Starts the server; `limits`, `with_keys` and the access log vary per test.
  void StartServer(ServerLimits limits = {}, bool with_keys = true,
                   const std::string& access_log = "") {
    ApiOptions options;
    if (with_keys) {
      auto keys = KeyRing::Parse(TestKeysJson());
      ASSERT_TRUE(keys.ok()) << keys.error().ToString();
      options.keys = std::move(keys).value();
    }
    // Tests move it with now_us_ (idempotency retention).
    options.clock = [this] { return Instant{now_us_.load()}; };
    options.limits = limits;
    // The services beside the engine, opened afresh (a test may have reopened the engine).
    CloseServices();
    auto services = OpenServicesBeside(*engine_);
    ASSERT_TRUE(services.ok()) << services.error().ToString();
    services_ = std::move(services).value();
    auto drops = OpenDropServiceFor(*engine_, *services_.plan);
    ASSERT_TRUE(drops.ok()) << drops.error().ToString();
    drops_ = std::move(drops).value();
    auto ledger = OpenLedgerServiceFor(*engine_, *services_.plan);
    ASSERT_TRUE(ledger.ok()) << ledger.error().ToString();
    ledger_ = std::move(ledger).value();
    api_ = std::make_unique<Api>(
        *engine_, std::move(options), metrics_,
        ApiServices{services_.plan.get(), services_.checkout.get(), drops_.get(), ledger_.get()});
    http_ = std::make_unique<HttpServer>(*api_, ServerOptions{"127.0.0.1", 0, 2, access_log});
    Status started = http_->Start();
    ASSERT_TRUE(started.ok()) << started.error().ToString();
    port_ = http_->port();
  }
  void CloseServices() {
    ledger_.reset();
    drops_.reset();
    services_.plan.reset();
    services_.checkout.reset();
    services_.standing.reset();
  }
  void StopServer() {
    if (http_) {
      http_->Stop();
      http_->Wait();
      http_.reset();
    }
  }

  HttpReply Get(const std::string& target, const std::string& secret = kAdminSecret) {
    return Request(port_, "GET", target, "", secret);
  }
  HttpReply Post(const std::string& target, const std::string& body,
                 const std::string& secret = kAdminSecret) {
    return Request(port_, "POST", target, body, secret);
  }
  // A POST with an Idempotency-Key.
  HttpReply PostWithKey(const std::string& target, const std::string& body, const std::string& key,
                        const std::string& secret = kAdminSecret) {
    return Request(port_, "POST", target, body, secret, {{"Idempotency-Key", key}});
  }
  // Ingests m1, m2 and m3 (one purchase each) and publishes 2025-04.
  void IngestAndPublish() {
    HttpReply ingest = Post("/v1/events", Purchase("e1", "m1") + "\n" + Purchase("e2", "m2") +
                                              "\n" + Purchase("e3", "m3") + "\n");
    ASSERT_EQ(ingest.status, 200) << ingest.body;
    HttpReply publish = Post("/v1/publications", R"({"month":"2025-04"})");
    ASSERT_EQ(publish.status, 201) << publish.body;
  }

  std::filesystem::path dir_;
  Metrics metrics_;  // before the engine, whose store reports to it
  std::unique_ptr<Engine> engine_;
  ProgramServiceSet services_;  // beside engine_ (services_.engine stays null)
  std::unique_ptr<DropService> drops_;
  std::unique_ptr<LedgerService> ledger_;
  std::unique_ptr<Api> api_;
  // 2026-01-01T00:00:00Z: every month of 2025 may be published, none of 2026 after January.
  std::atomic<int64_t> now_us_{1'767'225'600'000'000};
  std::unique_ptr<HttpServer> http_;
  uint16_t port_ = 0;
};

}  // namespace onecard::server::testing
