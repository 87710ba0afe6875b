// Kill -9 of the real HTTP server in the middle of a stream of POST /v1/events (issue 4): a forked
// child serves a temp SQLite database on 127.0.0.1; the parent streams batches over one keep-alive
// connection, notes which were acknowledged (200 with every line "accepted"), and sends SIGKILL
// while the next batch is in flight. After the restart every acknowledged event is stored exactly
// once, the batch in flight is stored whole or not at all, re-posting the acknowledged batches
// gives only duplicates, and the member states refolded at open are those of a clean database fed
// the stored events.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <map>
#include <thread>
#include <vector>

#include "http_test_support.h"
#include "support/refold_check.h"

namespace onecard::server::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
namespace http = boost::beast::http;

constexpr int kBatches = 200;      // sent at most; the kill comes long before the last
constexpr int kBatchEvents = 100;  // events per POST
constexpr int kKillAfter = 50;     // acknowledged batches before the kill
constexpr int kMembers = 7;

// 2026-01-01T00:00:00Z, as in HttpServerTest: 2025-04 may be published.
constexpr Instant kNow{1'767'225'600'000'000};

std::string EventId(int batch, int i) {
  return "b" + std::to_string(batch) + "-" + std::to_string(i);
}
std::string MemberOf(int batch, int i) {
  return "m" + std::to_string((batch * kBatchEvents + i) % kMembers);
}

// One batch as JSONL: mostly purchases (ids "b<batch>-<i>", members m0..m6 in turn), with a review
// (i % 10 == 5) and a refund (i % 10 == 9) of the purchase just before, by that purchase's member,
// so that the member states are more than counts.
std::string BatchBody(int batch) {
  std::string body;
  for (int i = 0; i < kBatchEvents; ++i) {
    const std::string id = EventId(batch, i);
    if (i % 10 == 5 || i % 10 == 9) {
      const std::string order = "o-" + EventId(batch, i - 1);
      const std::string member = MemberOf(batch, i - 1);
      if (i % 10 == 5) {
        body += "{\"id\":\"" + id + "\",\"type\":\"review\",\"member\":\"" + member +
                "\",\"at\":\"2025-03-04T09:00:00+08:00\",\"order\":\"" + order +
                "\",\"photos\":" + (batch % 2 == 0 ? "true" : "false") + "}\n";
      } else {
        body += "{\"id\":\"" + id + "\",\"type\":\"refund\",\"member\":\"" + member +
                "\",\"at\":\"2025-03-05T09:00:00+08:00\",\"order\":\"" + order +
                "\",\"amount\":\"1.50\"}\n";
      }
      continue;
    }
    const std::string amount = std::to_string(10 + (batch * 7 + i) % 90) + ".25";
    body += Purchase(id, MemberOf(batch, i), amount) + "\n";
  }
  return body;
}

// The member each event of a batch belongs to (reviews and refunds: their order's member).
std::string OwnerOf(int batch, int i) {
  return (i % 10 == 5 || i % 10 == 9) ? MemberOf(batch, i - 1) : MemberOf(batch, i);
}

// The child: serves `db` on 127.0.0.1 with a port the OS picks, without authentication, writes the
// port to `fd` and waits to be killed. It never returns.
[[noreturn]] void ServeUntilKilled(const std::string& db, int fd) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive a parent that failed before killing us
  auto store = OpenSqliteStore(db);
  if (!store.ok()) _exit(3);
  EngineOptions engine_options;
  engine_options.checkpoint_batches_max = 7;  // checkpoints happen mid-stream, too
  auto engine = OpenEngine(std::move(store).value(), std::nullopt, engine_options);
  if (!engine.ok()) _exit(4);
  Metrics metrics;
  ApiOptions options;  // no keys: --insecure-no-auth
  options.clock = [] { return kNow; };
  Api api(**engine, std::move(options), metrics);
  HttpServer server(api, ServerOptions{"127.0.0.1", 0, 2, ""});
  if (!server.Start().ok()) _exit(5);
  const uint16_t port = server.port();
  if (write(fd, &port, sizeof(port)) != sizeof(port)) _exit(6);
  close(fd);
  for (;;) pause();
}

// Kills and reaps the child on every path out of the test (a failed ASSERT included).
class ChildGuard {
 public:
  explicit ChildGuard(pid_t pid) : pid_(pid) {}
  ~ChildGuard() {
    if (pid_ > 0) KillAndWait();
  }
  ChildGuard(const ChildGuard&) = delete;
  ChildGuard& operator=(const ChildGuard&) = delete;
  // SIGKILL, then waitpid; returns the wait status.
  int KillAndWait() {
    kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_;
};

// One keep-alive connection; requests are sent and their responses read separately, so that the
// server can be killed between the two.
class KeepAliveClient {
 public:
  explicit KeepAliveClient(uint16_t port) : socket_(context_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  bool Send(const std::string& method, const std::string& target, const std::string& body) {
    http::request<http::string_body> request(http::string_to_verb(method), target, 11);
    request.set(http::field::host, "127.0.0.1");
    request.keep_alive(true);
    request.body() = body;
    request.prepare_payload();
    boost::system::error_code ec;
    http::write(socket_, request, ec);
    return !ec;
  }
  // False if the connection broke before a whole response arrived.
  bool Receive(HttpReply* reply) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(boost::none);
    boost::system::error_code ec;
    http::read(socket_, buffer_, parser, ec);
    if (ec) return false;
    reply->status = static_cast<int>(parser.get().result_int());
    reply->body = parser.get().body();
    return true;
  }
  HttpReply Call(const std::string& method, const std::string& target,
                 const std::string& body = "") {
    HttpReply reply;
    if (!Send(method, target, body) || !Receive(&reply)) reply.status = -1;
    return reply;
  }

 private:
  boost::asio::io_context context_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// Acknowledged: a 200 whose every line was accepted.
bool AllAccepted(const HttpReply& reply) {
  if (reply.status != 200) return false;
  boost::system::error_code ec;
  json::value value = json::parse(reply.body, ec);
  return !ec && value.is_object() && value.at("accepted").as_int64() == kBatchEvents &&
         value.at("duplicate").as_int64() == 0 && value.at("rejected").as_int64() == 0;
}

TEST(HttpCrash, AcknowledgedEventsSurviveKillOfServerExactlyOnce) {
  const fs::path dir =
      fs::temp_directory_path() / ("onecard-http-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  struct DirGuard {
    fs::path path;
    ~DirGuard() { fs::remove_all(path); }
  } dir_guard{dir};
  const std::string db = (dir / "crash.db").string();

  // --- The stream, against a server in a child process, killed mid-stream.
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipe_fds[0]);
    ServeUntilKilled(db, pipe_fds[1]);
  }
  ChildGuard child(pid);
  close(pipe_fds[1]);
  uint16_t port = 0;
  const ssize_t got = read(pipe_fds[0], &port, sizeof(port));
  close(pipe_fds[0]);
  ASSERT_EQ(got, static_cast<ssize_t>(sizeof(port))) << "the child server did not start";

  std::vector<int> acknowledged;  // batch numbers
  int in_flight = 0;              // the batch sent when the kill came
  std::chrono::steady_clock::duration busy{};
  {
    KeepAliveClient client(port);
    for (int batch = 1; batch <= kBatches; ++batch) {
      const auto start = std::chrono::steady_clock::now();
      ASSERT_TRUE(client.Send("POST", "/v1/events", BatchBody(batch))) << "batch " << batch;
      if (static_cast<int>(acknowledged.size()) == kKillAfter) {
        // Kill about halfway through a typical request: usually inside the engine or its commit.
        std::this_thread::sleep_for(busy / (2 * kKillAfter));
        const int status = child.KillAndWait();
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "status " << status;
        in_flight = batch;
        // A response written before the kill may still be read: then it was acknowledged too.
        HttpReply late;
        if (client.Receive(&late) && AllAccepted(late)) acknowledged.push_back(batch);
        break;
      }
      HttpReply reply;
      ASSERT_TRUE(client.Receive(&reply)) << "batch " << batch;
      ASSERT_TRUE(AllAccepted(reply)) << "batch " << batch << ": " << reply.body;
      acknowledged.push_back(batch);
      busy += std::chrono::steady_clock::now() - start;
    }
  }
  ASSERT_GE(static_cast<int>(acknowledged.size()), kKillAfter);
  ASSERT_GT(in_flight, 0);

  // --- Restart: the same database, reopened by this process (the kernel released the lock).
  auto store = OpenSqliteStore(db);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto recovered = OpenEngine(std::move(store).value(), std::nullopt);
  ASSERT_TRUE(recovered.ok()) << recovered.error().ToString();

  // Every acknowledged event is stored; the batch in flight is stored whole or not at all; and
  // nothing else is stored (so no event is there twice).
  std::map<std::string, int64_t> stored_per_member;
  int64_t stored_events = 0;
  bool in_flight_stored = false;
  for (int batch = 1; batch <= in_flight; ++batch) {
    std::vector<std::string> ids;
    for (int i = 0; i < kBatchEvents; ++i) ids.push_back(EventId(batch, i));
    const std::vector<std::string_view> views(ids.begin(), ids.end());
    auto found = (*recovered)->store().FindEvents(views);
    ASSERT_TRUE(found.ok()) << found.error().ToString();
    ASSERT_EQ(found->size(), ids.size());
    int present = 0;
    for (int i = 0; i < kBatchEvents; ++i) {
      if (!(*found)[i]) continue;
      ++present;
      ++stored_per_member[OwnerOf(batch, i)];
      EXPECT_EQ((*found)[i]->id, ids[i]);
    }
    stored_events += present;
    if (batch == in_flight) in_flight_stored = present == kBatchEvents;
    if (batch < in_flight || acknowledged.back() == in_flight) {
      ASSERT_EQ(present, kBatchEvents) << "acknowledged batch " << batch << " was lost";
    } else {
      ASSERT_TRUE(present == 0 || present == kBatchEvents)
          << "the batch in flight is stored in part: " << present;
    }
  }
  auto count = (*recovered)->store().CountEvents();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, stored_events);
  std::printf("[ HttpCrash ] %zu batches acknowledged; batch %d in flight at the kill, %s\n",
              acknowledged.size(), in_flight, in_flight_stored ? "stored" : "not stored");

  // A new server over the recovered engine: re-posting every acknowledged batch gives only
  // duplicates, and each member counts exactly its stored events.
  {
    Metrics metrics;
    ApiOptions options;
    options.clock = [] { return kNow; };
    Api api(**recovered, std::move(options), metrics);
    HttpServer server(api, ServerOptions{"127.0.0.1", 0, 2, ""});
    ASSERT_TRUE(server.Start().ok());
    KeepAliveClient client(server.port());
    for (int batch : acknowledged) {
      HttpReply reply = client.Call("POST", "/v1/events", BatchBody(batch));
      ASSERT_EQ(reply.status, 200) << reply.body;
      json::value value = reply.Json();
      ASSERT_EQ(value.at("duplicate").as_int64(), kBatchEvents) << "batch " << batch;
      ASSERT_EQ(value.at("accepted").as_int64(), 0) << "batch " << batch;
    }
    ASSERT_EQ(stored_per_member.size(), static_cast<size_t>(kMembers));
    for (const auto& [member, events] : stored_per_member) {
      HttpReply reply = client.Call("GET", "/v1/members/" + member);
      ASSERT_EQ(reply.status, 200) << reply.body;
      EXPECT_EQ(reply.Json().at("events").as_int64(), events) << member;
    }
    server.Stop();
    server.Wait();
  }
  auto recount = (*recovered)->store().CountEvents();
  ASSERT_TRUE(recount.ok());
  EXPECT_EQ(*recount, stored_events);

  // A clean database fed exactly the stored events publishes the same rows as the recovered one.
  int64_t refolded_events = 0;
  size_t rows_compared = 0;
  onecard::test_support::ExpectSameRowsAsCleanRefold(**recovered, dir / "clean.db",
                                                     MonthKey::FromYearMonth(2025, 4),
                                                     &refolded_events, &rows_compared);
  EXPECT_EQ(refolded_events, stored_events);
  EXPECT_EQ(rows_compared, static_cast<size_t>(kMembers));
  recovered->reset();
}

}  // namespace
}  // namespace onecard::server::testing
