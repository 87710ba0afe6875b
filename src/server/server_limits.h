// Every limit of the HTTP server in one place, each named with its unit, with its default. An
// operator changes them in the [server] table of the serve command's TOML (server_config.h).
// Hitting one answers with a defined status (413, 429, 431, 503) and an error body, or (timeouts)
// closes the connection; either way it changes nothing.
#pragma once

#include <cstdint>

#include "core/limits.h"

namespace onecard::server {

struct ServerLimits {
  // A request body larger than this is refused with 413 before any of it is acted on.
  int64_t body_bytes_max = 16 * 1024 * 1024;
  // The request line and headers together; past this, 431.
  int64_t header_bytes_max = 16 * 1024;
  // Events in one POST /v1/events; past this, 413 (the engine's own batch limit is the ceiling).
  int64_t events_per_batch_max = limits::kIngestBatchEventsMax;
  // Requests being handled at once over all connections; past this, 503 with Retry-After.
  int64_t requests_in_flight_max = 256;
  // Open connections; past this, new connections are closed at once.
  int64_t connections_max = 10'000;
  // A keep-alive connection may wait this long for the next request's headers.
  int64_t idle_timeout_ms = 60'000;
  // Once the headers are in, the body must arrive within this time.
  int64_t read_timeout_ms = 30'000;
  // A response must be written within this time.
  int64_t write_timeout_ms = 30'000;
  // GET /v1/publications/{month}/scores: page size when no limit is given, and its maximum.
  int64_t scores_page_rows_default = 100;
  int64_t scores_page_rows_max = 1'000;
  // Each API key's token bucket: it refills at this many requests per second and holds at most
  // the burst; a request finding it empty is refused with 429 and Retry-After.
  int64_t rate_per_key_per_second = 10'000;
  int64_t rate_burst_per_key = 20'000;
  // An Idempotency-Key is 1 to this many bytes of printable ASCII.
  int64_t idempotency_key_bytes_max = 255;
  // How long the answer stored under an Idempotency-Key is replayed; after this the key is free.
  int64_t idempotency_retention_seconds = 24 * 60 * 60;
  // Events of several POST /v1/events joined in one durable commit (group commit). A request
  // larger than this still commits alone.
  int64_t group_commit_events_max = limits::kIngestBatchEventsMax;
};

}  // namespace onecard::server
