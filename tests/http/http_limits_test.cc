// Limits (each over-limit request is refused with its status and changes nothing) and the graceful
// stop (requests in progress finish and are answered; idle connections close).
#include <thread>

#include "http_test_support.h"

namespace onecard::server::testing {
namespace {

namespace asio = boost::asio;

TEST_F(HttpServerTest, BodyTooLargeIs413AndStoresNothing) {
  ServerLimits limits;
  limits.body_bytes_max = 1024;
  StartServer(limits);
  std::string body;
  for (int i = 0; body.size() <= 1024; ++i) body += Purchase("e" + std::to_string(i), "m1") + "\n";
  HttpReply reply = Post("/v1/events", body);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.ErrorCode(), "body_too_large");
  EXPECT_FALSE(engine_->Member("m1").ok());
}

TEST_F(HttpServerTest, TooManyEventsIs413AndStoresNothing) {
  ServerLimits limits;
  limits.events_per_batch_max = 2;
  StartServer(limits);
  const std::string three =
      Purchase("e1", "m1") + "\n" + Purchase("e2", "m1") + "\n" + Purchase("e3", "m1") + "\n";
  HttpReply jsonl = Post("/v1/events", three);
  EXPECT_EQ(jsonl.status, 413);
  EXPECT_EQ(jsonl.ErrorCode(), "limit_exceeded");
  HttpReply array = Post("/v1/events", "[" + Purchase("e1", "m1") + "," + Purchase("e2", "m1") +
                                           "," + Purchase("e3", "m1") + "]");
  EXPECT_EQ(array.status, 413);
  EXPECT_FALSE(engine_->Member("m1").ok());
  EXPECT_EQ(Post("/v1/events", Purchase("e1", "m1") + "\n" + Purchase("e2", "m1")).status, 200);
}

TEST_F(HttpServerTest, HeadersTooLargeIs431) {
  ServerLimits limits;
  limits.header_bytes_max = 1024;
  StartServer(limits);
  HttpReply reply = Request(port_, "GET", "/v1/publications", "", kAdminSecret,
                            {{"X-Padding", std::string(2000, 'x')}});
  EXPECT_EQ(reply.status, 431);
  EXPECT_EQ(reply.ErrorCode(), "header_too_large");
}

TEST_F(HttpServerTest, OverInFlightLimitIs503WithRetryAfter) {
  ServerLimits limits;
  limits.requests_in_flight_max = 0;  // every request is one too many
  StartServer(limits);
  HttpReply reply = Post("/v1/events", Purchase("e1", "m1"));
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.ErrorCode(), "overloaded");
  EXPECT_EQ(reply.headers["Retry-After"], "1");
  EXPECT_FALSE(engine_->Member("m1").ok());
}

TEST_F(HttpServerTest, SlowBodyTimesOutAndClosesTheConnection) {
  ServerLimits limits;
  limits.read_timeout_ms = 200;
  StartServer(limits);
  asio::io_context context;
  asio::ip::tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  const std::string head = "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           std::string(kAdminSecret) + "\r\nContent-Length: 100\r\n\r\n{";
  asio::write(socket, asio::buffer(head));
  char byte = 0;
  boost::system::error_code ec;
  socket.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_TRUE(ec == asio::error::eof || ec == asio::error::connection_reset) << ec.message();
  EXPECT_EQ(http_->requests_in_flight(), 0);
}

TEST_F(HttpServerTest, ExpectContinueIsAnswered) {
  StartServer();
  const std::string body = Purchase("e1", "m1");
  const std::string head = "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           std::string(kAdminSecret) + "\r\nExpect: 100-continue\r\n" +
                           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  asio::io_context context;
  asio::ip::tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  asio::write(socket, asio::buffer(head));
  boost::beast::flat_buffer buffer;
  boost::beast::http::response<boost::beast::http::empty_body> interim;
  boost::beast::http::read(socket, buffer, interim);
  EXPECT_EQ(interim.result_int(), 100u);
  asio::write(socket, asio::buffer(body));
  boost::beast::http::response<boost::beast::http::string_body> response;
  boost::beast::http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_NE(response.body().find(R"("accepted":1)"), std::string::npos);
}

TEST_F(HttpServerTest, StopFinishesTheRequestInProgress) {
  StartServer();
  // Send the headers and half the body, stop the server, then send the rest: the request was in
  // progress, so it is handled, stored and answered, with Connection: close.
  const std::string body = Purchase("e1", "m1");
  const std::string head = "POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           std::string(kAdminSecret) +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  asio::io_context context;
  asio::ip::tcp::socket socket(context);
  socket.connect({asio::ip::make_address("127.0.0.1"), port_});
  // An idle keep-alive connection, which Stop closes.
  asio::ip::tcp::socket idle(context);
  idle.connect({asio::ip::make_address("127.0.0.1"), port_});

  asio::write(socket, asio::buffer(head + body.substr(0, 10)));
  for (int i = 0; i < 2000 && http_->requests_started() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(http_->requests_started(), 1);
  http_->Stop();
  asio::write(socket, asio::buffer(body.substr(10)));
  boost::beast::flat_buffer buffer;
  boost::beast::http::response<boost::beast::http::string_body> response;
  boost::beast::http::read(socket, buffer, response);
  EXPECT_EQ(response.result_int(), 200u);
  EXPECT_FALSE(response.keep_alive());
  EXPECT_NE(response.body().find(R"("accepted":1)"), std::string::npos);
  http_->Wait();  // returns: the idle connection was closed too

  char byte = 0;
  boost::system::error_code ec;
  idle.read_some(asio::buffer(&byte, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
  // New connections are refused once stopped.
  asio::ip::tcp::socket late(context);
  late.connect({asio::ip::make_address("127.0.0.1"), port_}, ec);
  EXPECT_TRUE(ec);
  ASSERT_TRUE(engine_->Close().ok());
  EXPECT_TRUE(engine_->Member("m1").ok());
}

}  // namespace
}  // namespace onecard::server::testing
