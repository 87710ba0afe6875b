// The server's Prometheus metrics: requests by route and status, request latency by route, events
// ingested by outcome, publication runs, store commit latency by kind of write, idempotent
// replays and rate-limited requests. Thread-safe; rendered as Prometheus text for GET /metrics.
// Every label value comes from a closed set (route patterns, status codes, fixed names), so the
// number of series stays bounded whatever clients send.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace onecard::server {

class Metrics {
 public:
  // `route` is the route's pattern ("/v1/members/{id}"), never the raw path.
  void ObserveRequest(const std::string& route, int status, int64_t latency_us);
  void AddEvents(int64_t accepted, int64_t duplicate, int64_t rejected);
  // One POST /v1/publications that ran the publication job; `published` false when it failed.
  void ObservePublication(bool published, int64_t duration_us);
  // One durable store write (`kind`: "ingest", "checkpoint", "publication", "invitation", ...).
  void ObserveStoreCommit(const std::string& kind, int64_t latency_us);
  void AddIdempotentReplay();
  void AddRateLimited();
  std::string RenderPrometheus() const;

 private:
  // Upper bounds of the latency buckets, in microseconds.
  static constexpr std::array<int64_t, 12> kBucketsUs = {
      100, 250, 500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 500'000, 2'000'000};

  struct Histogram {
    std::array<int64_t, kBucketsUs.size()> buckets{};
    int64_t count = 0;
    int64_t sum_us = 0;
    void Observe(int64_t us);
    void Render(const std::string& name, const std::string& labels, std::string* out) const;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::map<std::string, Histogram> request_latency_;  // by route
  std::map<std::string, Histogram> commit_latency_;   // by kind
  int64_t events_accepted_ = 0;
  int64_t events_duplicate_ = 0;
  int64_t events_rejected_ = 0;
  int64_t publications_published_ = 0;
  int64_t publications_failed_ = 0;
  Histogram publication_duration_;
  int64_t idempotent_replays_ = 0;
  int64_t rate_limited_ = 0;
};

}  // namespace onecard::server
