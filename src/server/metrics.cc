#include "server/metrics.h"

#include <cstdio>

namespace onecard::server {
namespace {

std::string Seconds(int64_t micros) {
  char text[32];
  std::snprintf(text, sizeof text, "%lld.%06lld", static_cast<long long>(micros / 1'000'000),
                static_cast<long long>(micros % 1'000'000));
  return text;
}

}  // namespace

void Metrics::ObserveRequest(const std::string& route, int status, int64_t latency_us) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  ++latency_count_;
  latency_sum_us_ += latency_us;
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    if (latency_us <= kBucketsUs[i]) ++bucket_counts_[i];
  }
}

void Metrics::AddEvents(int64_t accepted, int64_t duplicate, int64_t rejected) {
  std::lock_guard lock(mutex_);
  events_accepted_ += accepted;
  events_duplicate_ += duplicate;
  events_rejected_ += rejected;
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP onecard_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE onecard_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    out += "onecard_http_requests_total{route=\"" + key.first + "\",status=\"" +
           std::to_string(key.second) + "\"} " + std::to_string(count) + "\n";
  }
  out += "# HELP onecard_http_request_duration_seconds Time from a full request to its response.\n";
  out += "# TYPE onecard_http_request_duration_seconds histogram\n";
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    out += "onecard_http_request_duration_seconds_bucket{le=\"" + Seconds(kBucketsUs[i]) + "\"} " +
           std::to_string(bucket_counts_[i]) + "\n";
  }
  out += "onecard_http_request_duration_seconds_bucket{le=\"+Inf\"} " +
         std::to_string(latency_count_) + "\n";
  out += "onecard_http_request_duration_seconds_sum " + Seconds(latency_sum_us_) + "\n";
  out += "onecard_http_request_duration_seconds_count " + std::to_string(latency_count_) + "\n";
  out += "# HELP onecard_events_ingested_total Events received over HTTP, by outcome.\n";
  out += "# TYPE onecard_events_ingested_total counter\n";
  out += "onecard_events_ingested_total{outcome=\"accepted\"} " + std::to_string(events_accepted_) +
         "\n";
  out += "onecard_events_ingested_total{outcome=\"duplicate\"} " +
         std::to_string(events_duplicate_) + "\n";
  out += "onecard_events_ingested_total{outcome=\"rejected\"} " + std::to_string(events_rejected_) +
         "\n";
  return out;
}

}  // namespace onecard::server
