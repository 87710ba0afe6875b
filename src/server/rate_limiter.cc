#include "server/rate_limiter.h"

#include <algorithm>

#include "core/assert.h"

namespace onecard::server {

RateLimiter::RateLimiter(int64_t rate_per_second, int64_t burst)
    : rate_per_second_(rate_per_second), burst_micro_tokens_(burst * kTokenMicros) {
  ONECARD_ASSERT(rate_per_second >= 1 && burst >= 1);
}

std::optional<int64_t> RateLimiter::Take(const std::string& key, int64_t now_us) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = buckets_.try_emplace(key);
  Bucket& bucket = it->second;
  if (inserted) {
    bucket.micro_tokens = burst_micro_tokens_;  // a new key starts with a full bucket
    bucket.updated_us = now_us;
  }
  // Refill: rate tokens per second = rate micro-tokens per µs. The elapsed time is capped at what
  // fills an empty bucket, so the product cannot overflow.
  const int64_t fill_us = burst_micro_tokens_ / rate_per_second_ + 1;
  const int64_t elapsed_us = std::clamp<int64_t>(now_us - bucket.updated_us, 0, fill_us);
  bucket.micro_tokens =
      std::min(burst_micro_tokens_, bucket.micro_tokens + elapsed_us * rate_per_second_);
  bucket.updated_us = std::max(bucket.updated_us, now_us);
  if (bucket.micro_tokens >= kTokenMicros) {
    bucket.micro_tokens -= kTokenMicros;
    return std::nullopt;
  }
  const int64_t missing = kTokenMicros - bucket.micro_tokens;
  const int64_t wait_us = (missing + rate_per_second_ - 1) / rate_per_second_;
  return std::max<int64_t>(1, (wait_us + 999'999) / 1'000'000);
}

}  // namespace onecard::server
