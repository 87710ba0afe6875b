#include "server/server_config.h"

#include <toml++/toml.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace onecard::server {
namespace {

// One [server] key: where it lands in ServerLimits and the values it may take.
struct LimitKey {
  std::string_view name;
  int64_t ServerLimits::*field;
  int64_t min;
  int64_t max;
};

constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

// The bounds keep every limit meaningful: no zero bodies or buckets, no timeouts past a day.
constexpr LimitKey kKeys[] = {
    {"body_bytes_max", &ServerLimits::body_bytes_max, 1, 1LL << 32},
    {"header_bytes_max", &ServerLimits::header_bytes_max, 256, 1LL << 20},
    {"events_per_batch_max", &ServerLimits::events_per_batch_max, 1, limits::kIngestBatchEventsMax},
    {"requests_in_flight_max", &ServerLimits::requests_in_flight_max, 0, 1'000'000},
    {"connections_max", &ServerLimits::connections_max, 1, 1'000'000},
    {"idle_timeout_ms", &ServerLimits::idle_timeout_ms, 1, kDayMs},
    {"read_timeout_ms", &ServerLimits::read_timeout_ms, 1, kDayMs},
    {"write_timeout_ms", &ServerLimits::write_timeout_ms, 1, kDayMs},
    {"scores_page_rows_default", &ServerLimits::scores_page_rows_default, 1, 1'000'000},
    {"scores_page_rows_max", &ServerLimits::scores_page_rows_max, 1, 1'000'000},
    {"rate_per_key_per_second", &ServerLimits::rate_per_key_per_second, 1, 1'000'000'000},
    {"rate_burst_per_key", &ServerLimits::rate_burst_per_key, 1, 1'000'000'000},
    {"idempotency_key_bytes_max", &ServerLimits::idempotency_key_bytes_max, 1, 4096},
    {"idempotency_retention_seconds", &ServerLimits::idempotency_retention_seconds, 1,
     366LL * 24 * 60 * 60},
    {"group_commit_events_max", &ServerLimits::group_commit_events_max, 1,
     limits::kIngestBatchEventsMax},
};

std::string Where(std::string_view source, const toml::source_region& region) {
  return std::string(source) + ":" + std::to_string(region.begin.line) + ":" +
         std::to_string(region.begin.column) + ": ";
}

Error ConfigError(std::string_view field, std::string message) {
  return MakeError(ErrorCode::kInvalidConfig, std::string(field), std::move(message));
}

Result<ServerLimits> ReadServerTable(const toml::table& root, std::string_view source) {
  ServerLimits limits;
  for (const auto& [key, node] : root) {
    if (key.str() != "server") {
      return ConfigError(key.str(), Where(source, key.source()) + "unknown table or key \"" +
                                        std::string(key.str()) + "\"; expected only [server]");
    }
  }
  const toml::node* server_node = root.get("server");
  if (server_node == nullptr) return limits;
  const toml::table* server = server_node->as_table();
  if (server == nullptr) {
    return ConfigError("server", Where(source, server_node->source()) + "server must be a table");
  }
  for (const auto& [key, node] : *server) {
    const std::string field = "server." + std::string(key.str());
    const LimitKey* known = nullptr;
    for (const LimitKey& candidate : kKeys) {
      if (candidate.name == key.str()) known = &candidate;
    }
    if (known == nullptr) {
      return ConfigError(field, Where(source, key.source()) + "unknown key " + field);
    }
    const std::optional<int64_t> value = node.value_exact<int64_t>();
    if (!value || *value < known->min || *value > known->max) {
      return ConfigError(field, Where(source, node.source()) + field +
                                    " must be a whole number from " + std::to_string(known->min) +
                                    " to " + std::to_string(known->max));
    }
    limits.*(known->field) = *value;
  }
  if (limits.scores_page_rows_default > limits.scores_page_rows_max) {
    return ConfigError("server.scores_page_rows_default",
                       std::string(source) +
                           ": server.scores_page_rows_default may not exceed scores_page_rows_max");
  }
  return limits;
}

}  // namespace

Result<ServerLimits> ParseServerConfig(std::string_view toml_text, std::string_view source_name) {
  try {
    const toml::table root = toml::parse(toml_text, source_name);
    return ReadServerTable(root, source_name);
  } catch (const toml::parse_error& error) {
    return ConfigError("", Where(source_name, error.source()) + std::string(error.description()));
  } catch (const std::exception& error) {
    return ConfigError("", std::string(source_name) + ": cannot read: " + error.what());
  }
}

Result<ServerLimits> LoadServerConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIoError, "server-config",
                     "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseServerConfig(text.str(), path);
}

}  // namespace onecard::server
