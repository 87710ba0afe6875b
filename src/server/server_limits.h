// Every limit of the HTTP server in one place, each named with its unit. Hitting one answers with a
// defined status (413, 431, 503) and an error body, or (timeouts) closes the connection; either
// way it changes nothing.
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
};

}  // namespace onecard::server
