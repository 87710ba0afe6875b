// `onecard serve`: the HTTP/JSON API (src/server) over the database, until SIGTERM or SIGINT.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http_server.h"

namespace onecard::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8088";
  std::string keys;
  bool insecure_no_auth = false;
  int threads = 0;
  bool access_log = false;
};

Result<server::ServerOptions> ParseListen(const ServeOptions& options) {
  const size_t colon = options.listen.rfind(':');
  const std::string port_text = colon == std::string::npos ? "" : options.listen.substr(colon + 1);
  const bool digits = !port_text.empty() && port_text.size() <= 5 &&
                      port_text.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(port_text) > 65535) {
    return MakeError(ErrorCode::kInvalidArgument, "listen", "--listen takes HOST:PORT");
  }
  server::ServerOptions server_options;
  server_options.address = options.listen.substr(0, colon);
  server_options.port = static_cast<uint16_t>(std::stoi(port_text));
  server_options.threads = options.threads;
  server_options.access_log = options.access_log;
  return server_options;
}

int RunServe(const GlobalOptions& global, const ServeOptions& options) {
  auto server_options = ParseListen(options);
  if (!server_options.ok()) return Fail(server_options.error());
  server::ApiOptions api_options;
  if (!options.keys.empty()) {
    auto keys = server::KeyRing::Load(options.keys);
    if (!keys.ok()) return Fail(keys.error());
    api_options.keys = std::move(keys).value();
  } else if (!options.insecure_no_auth) {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "keys",
                          "--keys FILE is required (or --insecure-no-auth, for local trials)"));
  }
  auto engine = OpenEngineFor(global, /*create_database=*/true);
  if (!engine.ok()) return Fail(engine.error());
  if (!global.now.empty()) {
    auto now = Now(global, (*engine)->time());
    if (!now.ok()) return Fail(now.error());
    api_options.clock = [fixed = *now] { return fixed; };
  }
  // SIGTERM and SIGINT are blocked here, before the I/O threads start (they inherit the mask), and
  // taken with sigwait below: no handler runs inside Asio's threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::Metrics metrics;
  server::Api api(**engine, std::move(api_options), metrics);
  server::HttpServer http_server(api, *server_options);
  if (Status started = http_server.Start(); !started.ok()) return Fail(started.error());
  std::printf("onecard serve: listening on http://%s:%u (try /healthz, /v1/publications)%s\n",
              server_options->address.c_str(), static_cast<unsigned>(http_server.port()),
              options.keys.empty() ? " WITHOUT AUTHENTICATION" : "");
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&signals, &signal_number);
  std::fprintf(stderr, "onecard serve: signal %d, finishing requests in progress\n", signal_number);
  http_server.Stop();
  http_server.Wait();
  if (Status closed = (*engine)->Close(); !closed.ok()) return Fail(closed.error());
  std::fprintf(stderr, "onecard serve: stopped\n");
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* serve = app.add_subcommand(
      "serve",
      "Serve the HTTP/JSON API (/v1, /healthz, /metrics) until SIGTERM or SIGINT; then finish "
      "requests in progress, checkpoint and exit 0. Refuses to start without --keys unless "
      "--insecure-no-auth is given");
  serve->add_option("--listen", options->listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_option("--keys", options->keys,
                    "API keys file (JSON: id, role admin|app|partner|member, sha256 of the "
                    "secret, member for member tokens)");
  serve->add_flag("--insecure-no-auth", options->insecure_no_auth,
                  "serve without authentication: every request acts as admin (local trials only)");
  serve->add_option("--threads", options->threads, "I/O threads (default: one per core)")
      ->check(CLI::Range(0, 1024));
  serve->add_flag("--access-log", options->access_log, "one JSON line per request on stderr");
  serve->callback([&global, run, options]() {
    *run = [&global, options]() { return RunServe(global, *options); };
  });
}

}  // namespace onecard::cli
