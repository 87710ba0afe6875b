// The server's Prometheus metrics: requests by route and status, a latency histogram and the
// events ingested by outcome. Thread-safe; rendered as Prometheus text for GET /metrics.
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
  // `route` is the route's pattern ("/v1/members/{id}"), never the raw path, so that the number
  // of series stays bounded whatever clients send.
  void ObserveRequest(const std::string& route, int status, int64_t latency_us);
  void AddEvents(int64_t accepted, int64_t duplicate, int64_t rejected);
  std::string RenderPrometheus() const;

 private:
  // Upper bounds of the latency buckets, in microseconds.
  static constexpr std::array<int64_t, 10> kBucketsUs = {
      500, 1'000, 2'500, 5'000, 10'000, 25'000, 50'000, 100'000, 500'000, 2'000'000};

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, int64_t> requests_;
  std::array<int64_t, kBucketsUs.size()> bucket_counts_{};
  int64_t latency_count_ = 0;
  int64_t latency_sum_us_ = 0;
  int64_t events_accepted_ = 0;
  int64_t events_duplicate_ = 0;
  int64_t events_rejected_ = 0;
};

}  // namespace onecard::server
