// The HTTP/1.1 transport of the API: Boost.Beast over Asio, keep-alive, a pool of I/O threads,
// the limits of server_limits.h and a graceful stop. Each whole request goes to Api::Handle.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "server/access_log.h"
#include "server/api.h"
#include "server/server_limits.h"

namespace onecard::server {

struct ServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 8088;    // 0: any free port (see HttpServer::port)
  int threads = 0;         // 0: one per core
  std::string access_log;  // one JSON line per request: "" none, "-" stderr, else a file
};

class HttpServer {
 public:
  // `api` must outlive the server.
  HttpServer(Api& api, ServerOptions options);
  // Stops and waits if still running.
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Opens the access log, binds, listens and starts the I/O threads. Errors: kIoError (address in
  // use, a log file that cannot be opened), kInvalidArgument (bad address).
  Status Start();
  // The port bound by Start (useful with port 0).
  uint16_t port() const { return port_; }
  // Stops accepting, closes idle connections and lets requests in progress finish and be
  // answered (with Connection: close). Returns at once; safe from any thread, more than once.
  void Stop();
  // Blocks until every connection is closed and the I/O threads have ended. REQUIRES: Stop().
  void Wait();

  // Requests being handled now (read completely, not yet answered).
  int64_t requests_in_flight() const { return in_flight_.load(); }
  // Requests whose headers have arrived, since Start (tests wait on it to stop mid-request).
  int64_t requests_started() const { return started_requests_.load(); }

  class Session;

 private:
  void Accept();
  void ScheduleLogFlush();

  struct Io;
  Api& api_;
  ServerOptions options_;
  std::unique_ptr<Io> io_;
  std::unique_ptr<AccessLog> access_log_;
  std::vector<std::thread> threads_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> in_flight_{0};
  std::atomic<int64_t> started_requests_{0};
  std::atomic<int64_t> connections_{0};
  std::atomic<int64_t> responders_{0};  // answers being handed to a strand from another thread
  std::mutex sessions_mutex_;
  std::vector<std::weak_ptr<Session>> sessions_;
  bool started_ = false;
  bool joined_ = false;
};

}  // namespace onecard::server
