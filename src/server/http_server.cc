#include "server/http_server.h"

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>

#include "server/error_status.h"

namespace onecard::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct HttpServer::Io {
  explicit Io(int threads)
      : context(threads), acceptor(asio::make_strand(context)), log_timer(context) {}
  asio::io_context context;
  tcp::acceptor acceptor;
  asio::steady_timer log_timer;  // flushes the access log every second
};

namespace {

int64_t SteadyMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// "2026-01-01T00:00:00.123Z"
std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return text;
}

}  // namespace

// One connection. Every handler of a session runs on the session's strand, so its members need no
// lock. Api::Handle runs there too; it answers at once, except POST /v1/events, which waits for its
// group commit and is answered from the committer thread through the strand. Meanwhile a work
// guard keeps the I/O threads running, so a stop cannot end them under a request in progress.
class HttpServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer& server, tcp::socket socket) : server_(server), stream_(std::move(socket)) {
    ++server_.connections_;
  }
  ~Session() { --server_.connections_; }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

  // From Stop(): an idle connection is closed now, a busy one after its response.
  void Shutdown() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) self->Close();
    });
  }

 private:
  void ReadHeader() {
    if (server_.stopping_) return Close();
    busy_ = false;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(server_.api_.limits().header_bytes_max));
    parser_->body_limit(static_cast<uint64_t>(server_.api_.limits().body_bytes_max));
    stream_.expires_after(std::chrono::milliseconds(server_.api_.limits().idle_timeout_ms));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return Reply(431, ErrorBody("header_too_large", "the request headers are too large", ""),
                   false);
    }
    if (ec == http::error::body_limit) return BodyTooLarge();
    if (ec) return Close();  // the peer left, the idle timeout, Stop, or bytes that are not HTTP
    busy_ = true;
    ++server_.started_requests_;
    stream_.expires_after(std::chrono::milliseconds(server_.api_.limits().read_timeout_ms));
    // Clients such as curl ask before sending a large body; answer at once rather than let them
    // wait out their own delay. (A body over the limit was refused above, before this.)
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      continue_.emplace(http::status::continue_, 11);
      http::async_write(stream_, *continue_,
                        [self = shared_from_this()](beast::error_code write_ec, size_t) {
                          self->continue_.reset();
                          if (write_ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code read_ec, size_t) { self->OnRead(read_ec); });
  }

  // A Content-Length over the limit is refused with the headers, a chunked body once it grows
  // past it; either way nothing of it reaches the API.
  void BodyTooLarge() {
    Reply(413,
          ErrorBody("body_too_large",
                    "the body is larger than " +
                        std::to_string(server_.api_.limits().body_bytes_max) + " bytes",
                    "body"),
          false);
  }

  void OnRead(beast::error_code ec) {
    // A timeout has closed the socket already (beast::tcp_stream), so it cannot be answered.
    if (ec == http::error::body_limit) return BodyTooLarge();
    if (ec) return Close();
    Pending pending;
    pending.start_us = SteadyMicros();
    http::request<http::string_body> request = parser_->release();
    pending.keep_alive = request.keep_alive();
    pending.method = std::string(request.method_string());
    pending.target = std::string(request.target());
    pending.bytes_in = static_cast<int64_t>(request.body().size());
    if (++server_.in_flight_ > server_.api_.limits().requests_in_flight_max) {
      ApiResponse response;
      response.status = 503;
      response.body = ErrorBody("overloaded", "too many requests in progress; retry", "");
      response.headers.emplace_back("Retry-After", "1");
      response.route = "overloaded";
      return Finish(std::move(response), std::move(pending));
    }
    ApiRequest api_request{pending.method, pending.target,
                           std::string(request[http::field::authorization]),
                           std::move(request.body()), std::nullopt};
    if (auto it = request.find("Idempotency-Key"); it != request.end()) {
      api_request.idempotency_key = std::string(it->value());
    }
    // The responder may run on the committer thread, which keeps it (and what it captured) until
    // its whole group is answered. So it moves the session into the handler it puts on the strand,
    // releases its own work guard right after (the handler holds a copy), and counts itself in
    // `responders_`, which Wait() waits out: the committer never touches a server that is gone.
    server_.api_.Handle(
        std::move(api_request),
        [self = shared_from_this(), pending = std::move(pending),
         work = asio::make_work_guard(server_.io_->context)](ApiResponse response) mutable {
          HttpServer& server = self->server_;
          ++server.responders_;
          {  // the strand executor, too, must be gone before the count drops
            auto executor = self->stream_.get_executor();
            asio::dispatch(executor, [self = std::move(self), pending = std::move(pending),
                                      response = std::move(response), work_copy = work]() mutable {
              self->Finish(std::move(response), std::move(pending));
            });
          }
          work.reset();
          --server.responders_;  // the last touch of the server
        });
  }

  // What a request in progress carries to its answer.
  struct Pending {
    int64_t start_us = 0;
    bool keep_alive = false;
    std::string method;
    std::string target;
    int64_t bytes_in = 0;
  };

  void Finish(ApiResponse response, Pending pending) {
    --server_.in_flight_;
    const int64_t latency_us = SteadyMicros() - pending.start_us;
    server_.api_.metrics().ObserveRequest(response.route.empty() ? "unmatched" : response.route,
                                          response.status, latency_us);
    if (server_.access_log_) {
      boost::json::object line{{"time", UtcNow()},
                               {"method", pending.method},
                               {"target", pending.target},
                               {"route", response.route},
                               {"status", response.status},
                               {"latency_us", latency_us},
                               {"key", response.key_id},
                               {"bytes_in", pending.bytes_in},
                               {"bytes_out", static_cast<int64_t>(response.body.size())}};
      server_.access_log_->Write(boost::json::serialize(line));
    }
    Write(std::move(response), pending.keep_alive);
  }

  // An answer sent before the body was read (431, 413): the connection is closed after it, and the
  // rest of what the client is sending is read and dropped for a moment, so that the close does
  // not reset the connection under the client before it has read the answer.
  void Reply(int status, std::string body, bool keep_alive) {
    busy_ = true;
    linger_ = true;
    ApiResponse response;
    response.status = status;
    response.body = std::move(body);
    server_.api_.metrics().ObserveRequest("unmatched", status, 0);
    Write(std::move(response), keep_alive);
  }

  void Write(ApiResponse api_response, bool keep_alive) {
    keep_alive = keep_alive && !server_.stopping_;
    response_.emplace();
    response_->version(11);
    response_->result(static_cast<unsigned>(api_response.status));
    response_->set(http::field::server, "onecard");
    response_->set(http::field::content_type, api_response.content_type);
    for (const auto& [name, value] : api_response.headers) response_->set(name, value);
    response_->body() = std::move(api_response.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    stream_.expires_after(std::chrono::milliseconds(server_.api_.limits().write_timeout_ms));
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, size_t) {
                        self->OnWrite(ec, keep_alive);
                      });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    response_.reset();
    if (!ec && linger_) return LingerAndClose();
    if (ec || !keep_alive || server_.stopping_) return Close();
    ReadHeader();
  }

  void LingerAndClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::chrono::milliseconds(kLingerMs));
    Drain();
  }

  void Drain() {
    stream_.async_read_some(asio::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec) return self->Close();  // the client's close, or the timer
                              self->Drain();
                            });
  }

  void Close() {
    busy_ = false;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  HttpServer& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
  std::optional<http::response<http::empty_body>> continue_;
  bool busy_ = false;  // between a complete header and the end of its response
  bool linger_ = false;
  static constexpr int64_t kLingerMs = 1'000;
  std::array<char, 16 * 1024> drain_;
};

HttpServer::HttpServer(Api& api, ServerOptions options) : api_(api), options_(std::move(options)) {
  if (options_.threads <= 0) {
    options_.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  }
  io_ = std::make_unique<Io>(options_.threads);
}

HttpServer::~HttpServer() {
  if (started_) {
    Stop();
    Wait();
  }
}

Status HttpServer::Start() {
  ONECARD_ASSERT(!started_);
  if (!options_.access_log.empty()) {
    auto log = AccessLog::Open(options_.access_log);
    if (!log.ok()) return log.error();
    access_log_ = std::move(log).value();
  }
  beast::error_code ec;
  const auto address = asio::ip::make_address(options_.address, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument, "listen",
                     "not an IP address: " + QuoteInput(options_.address));
  }
  const tcp::endpoint endpoint(address, options_.port);
  tcp::acceptor& acceptor = io_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return MakeError(ErrorCode::kIoError, "listen",
                     "cannot listen on " + options_.address + ":" + std::to_string(options_.port) +
                         ": " + ec.message());
  }
  port_ = acceptor.local_endpoint().port();
  started_ = true;
  Accept();
  if (access_log_) ScheduleLogFlush();
  for (int i = 0; i < options_.threads; ++i) {
    threads_.emplace_back([this] { io_->context.run(); });
  }
  return Status::Ok();
}

void HttpServer::Accept() {
  io_->acceptor.async_accept(
      asio::make_strand(io_->context), [this](beast::error_code ec, tcp::socket socket) {
        if (ec || stopping_) return;  // the acceptor was closed by Stop
        if (connections_.load() >= api_.limits().connections_max) {
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          auto session = std::make_shared<Session>(*this, std::move(socket));
          {
            std::lock_guard lock(sessions_mutex_);
            std::erase_if(sessions_, [](const std::weak_ptr<Session>& s) { return s.expired(); });
            sessions_.push_back(session);
          }
          session->Start();
        }
        Accept();
      });
}

void HttpServer::ScheduleLogFlush() {
  io_->log_timer.expires_after(std::chrono::seconds(1));
  io_->log_timer.async_wait([this](beast::error_code ec) {
    access_log_->Flush();
    if (!ec && !stopping_) ScheduleLogFlush();
  });
}

void HttpServer::Stop() {
  if (!started_ || stopping_.exchange(true)) return;
  asio::post(io_->acceptor.get_executor(), [this] {
    beast::error_code ignored;
    io_->acceptor.close(ignored);
    io_->log_timer.cancel();
  });
  std::lock_guard lock(sessions_mutex_);
  for (const std::weak_ptr<Session>& weak : sessions_) {
    if (auto session = weak.lock()) session->Shutdown();
  }
}

void HttpServer::Wait() {
  if (joined_) return;
  // io_context::run returns once no work is left: the acceptor is closed and every session ended.
  for (std::thread& thread : threads_) thread.join();
  while (responders_.load() != 0) std::this_thread::yield();
  joined_ = true;
  if (access_log_) access_log_->Flush();
}

}  // namespace onecard::server
