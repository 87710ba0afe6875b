// `onecard serve`: the HTTP/JSON API (src/server) over the database, until SIGTERM or SIGINT.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "engine/program.h"
#include "engine/program_services.h"
#include "server/api.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/metrics_store.h"
#include "server/server_config.h"
#include "store/sqlite/sqlite_store.h"

namespace onecard::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8088";
  std::string keys;
  std::string server_config;
  bool insecure_no_auth = false;
  int threads = 0;
  std::string access_log = "-";
  bool no_access_log = false;
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
  server_options.access_log = options.no_access_log ? "" : options.access_log;
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
  if (!options.server_config.empty()) {
    auto limits = server::LoadServerConfig(options.server_config);
    if (!limits.ok()) return Fail(limits.error());
    api_options.limits = *limits;
  }
  if (global.db.empty()) {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "db", "--db FILE is required"));
  }
  // The store is wrapped so that /metrics shows the latency of every durable commit.
  server::Metrics metrics;
  auto store = OpenSqliteStore(global.db, /*create=*/true);
  if (!store.ok()) return Fail(store.error());
  std::optional<std::string> config;
  if (!global.config.empty()) config = global.config;
  auto engine =
      OpenEngine(std::make_unique<server::MetricsStore>(std::move(store).value(), metrics), config);
  if (!engine.ok()) return Fail(engine.error());
  if (!global.now.empty()) {
    auto now = Now(global, (*engine)->time());
    if (!now.ok()) return Fail(now.error());
    api_options.clock = [fixed = *now] { return fixed; };
  }
  // Every service over the one database, opened as the CLI's commands open them.
  auto services = OpenProgramServiceSet(std::move(engine).value());
  if (!services.ok()) return Fail(services.error());
  auto drops = OpenDropServiceFor(*services->engine, *services->plan);
  if (!drops.ok()) return Fail(drops.error());
  auto ledger = OpenLedgerServiceFor(*services->engine, *services->plan);
  if (!ledger.ok()) return Fail(ledger.error());
  const server::ApiServices api_services{services->plan.get(), services->checkout.get(),
                                         drops->get(), ledger->get()};
  // SIGTERM and SIGINT are blocked here, before the I/O threads start (they inherit the mask), and
  // taken with sigwait below: no handler runs inside Asio's threads.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::Api api(*services->engine, std::move(api_options), metrics, api_services);
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
  // The services beside the engine write what they queued and close their connections first.
  ledger->reset();
  drops->reset();
  services->plan.reset();
  services->checkout.reset();
  if (Status closed = services->engine->Close(); !closed.ok()) return Fail(closed.error());
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
                    "API keys file (TOML: [[keys]] tables with id, role admin|app|partner|member, "
                    "sha256 of the secret, member for member tokens; JSON is read too)");
  serve->add_option(
      "--server-config", options->server_config,
      "TOML file with a [server] table of limits (body, headers, batch, rate per "
      "key, in-flight, timeouts, idempotency); defaults in src/server/server_limits.h");
  serve->add_flag("--insecure-no-auth", options->insecure_no_auth,
                  "serve without authentication: every request acts as admin (local trials only)");
  serve->add_option("--threads", options->threads, "I/O threads (default: one per core)")
      ->check(CLI::Range(0, 1024));
  serve
      ->add_option("--access-log", options->access_log,
                   "where to write one JSON line per request: - (stderr) or a file appended to")
      ->capture_default_str();
  serve->add_flag("--no-access-log", options->no_access_log, "write no access log");
  serve->callback([&global, run, options]() {
    *run = [&global, options]() { return RunServe(global, *options); };
  });
}

}  // namespace onecard::cli
