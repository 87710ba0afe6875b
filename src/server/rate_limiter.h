// The per-key request rate limit: one token bucket per API key. A bucket holds at most `burst`
// tokens and refills at `rate_per_second`; each request takes one, and a request that finds the
// bucket empty is refused (429) with the whole seconds until a token is back (Retry-After).
// Thread-safe. Times are microseconds of a monotonic clock, passed in so that tests can drive it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace onecard::server {

class RateLimiter {
 public:
  // REQUIRES: rate_per_second >= 1, burst >= 1.
  RateLimiter(int64_t rate_per_second, int64_t burst);

  // Takes a token from `key`'s bucket: std::nullopt when allowed, else the Retry-After seconds
  // (at least 1). The number of buckets is bounded by the number of keys in the keys file.
  std::optional<int64_t> Take(const std::string& key, int64_t now_us);

 private:
  // Tokens are counted in millionths, so that a refill of rate × elapsed µs stays exact.
  static constexpr int64_t kTokenMicros = 1'000'000;
  struct Bucket {
    int64_t micro_tokens = 0;
    int64_t updated_us = 0;
  };

  const int64_t rate_per_second_;
  const int64_t burst_micro_tokens_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace onecard::server
