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

void Counter(const std::string& name, const std::string& labels, int64_t value, std::string* out) {
  *out += name + (labels.empty() ? "" : "{" + labels + "}") + " " + std::to_string(value) + "\n";
}

void Header(const std::string& name, const char* type, const char* help, std::string* out) {
  *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

void Metrics::Histogram::Observe(int64_t us) {
  ++count;
  sum_us += us;
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    if (us <= kBucketsUs[i]) ++buckets[i];
  }
}

void Metrics::Histogram::Render(const std::string& name, const std::string& labels,
                                std::string* out) const {
  const std::string prefix = labels.empty() ? "" : labels + ",";
  for (size_t i = 0; i < kBucketsUs.size(); ++i) {
    *out += name + "_bucket{" + prefix + "le=\"" + Seconds(kBucketsUs[i]) + "\"} " +
            std::to_string(buckets[i]) + "\n";
  }
  *out += name + "_bucket{" + prefix + "le=\"+Inf\"} " + std::to_string(count) + "\n";
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  *out += name + "_sum" + braces + " " + Seconds(sum_us) + "\n";
  *out += name + "_count" + braces + " " + std::to_string(count) + "\n";
}

void Metrics::ObserveRequest(const std::string& route, int status, int64_t latency_us) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  request_latency_[route].Observe(latency_us);
}

void Metrics::AddEvents(int64_t accepted, int64_t duplicate, int64_t rejected) {
  std::lock_guard lock(mutex_);
  events_accepted_ += accepted;
  events_duplicate_ += duplicate;
  events_rejected_ += rejected;
}

void Metrics::ObservePublication(bool published, int64_t duration_us) {
  std::lock_guard lock(mutex_);
  ++(published ? publications_published_ : publications_failed_);
  publication_duration_.Observe(duration_us);
}

void Metrics::ObserveStoreCommit(const std::string& kind, int64_t latency_us) {
  std::lock_guard lock(mutex_);
  commit_latency_[kind].Observe(latency_us);
}

void Metrics::AddIdempotentReplay() {
  std::lock_guard lock(mutex_);
  ++idempotent_replays_;
}

void Metrics::AddRateLimited() {
  std::lock_guard lock(mutex_);
  ++rate_limited_;
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard lock(mutex_);
  std::string out;
  std::string name = "onecard_http_requests_total";
  Header(name, "counter", "HTTP requests answered, by route and status.", &out);
  for (const auto& [key, count] : requests_) {
    Counter(name, "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"",
            count, &out);
  }
  name = "onecard_http_request_duration_seconds";
  Header(name, "histogram", "Time from a full request to its response, by route.", &out);
  for (const auto& [route, histogram] : request_latency_) {
    histogram.Render(name, "route=\"" + route + "\"", &out);
  }
  name = "onecard_events_ingested_total";
  Header(name, "counter", "Events received over HTTP, by outcome.", &out);
  Counter(name, "outcome=\"accepted\"", events_accepted_, &out);
  Counter(name, "outcome=\"duplicate\"", events_duplicate_, &out);
  Counter(name, "outcome=\"rejected\"", events_rejected_, &out);
  name = "onecard_publication_runs_total";
  Header(name, "counter", "Publication jobs run over HTTP, by outcome.", &out);
  Counter(name, "outcome=\"published\"", publications_published_, &out);
  Counter(name, "outcome=\"failed\"", publications_failed_, &out);
  name = "onecard_publication_duration_seconds";
  Header(name, "histogram", "Time a publication job took.", &out);
  publication_duration_.Render(name, "", &out);
  name = "onecard_store_commit_duration_seconds";
  Header(name, "histogram", "Time of each durable store write (incl. fsync), by kind.", &out);
  for (const auto& [kind, histogram] : commit_latency_) {
    histogram.Render(name, "kind=\"" + kind + "\"", &out);
  }
  name = "onecard_idempotent_replays_total";
  Header(name, "counter", "Requests answered from a stored Idempotency-Key record.", &out);
  Counter(name, "", idempotent_replays_, &out);
  name = "onecard_rate_limited_total";
  Header(name, "counter", "Requests refused with 429 by the per-key rate limit.", &out);
  Counter(name, "", rate_limited_, &out);
  return out;
}

}  // namespace onecard::server
