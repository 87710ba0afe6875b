// The checkout service's cache of member state: per member, the benefit counters, the commits by
// idempotency key and by order, and the committer's view of the member (version, jobs in
// flight). Each entry has its own lock; the map is split in shards with a lock each, so that
// lookups of different members rarely meet. Bounded: past the limit, idle entries are dropped
// (and loaded again from the store when next needed).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/benefit_usage.h"
#include "engine/checkout_committer.h"

namespace onecard {

struct CheckoutCommitEntry {
  uint64_t fingerprint = 0;
  std::string order;
  Instant at;
  std::string record;  // core/checkout_record.h bytes
  std::optional<Instant> reversed_at;
  // The write of the commit or of its reversal while it is not yet durable.
  std::shared_ptr<CommitTicket> pending;
};

// Hashing that finds std::string keys by std::string_view without a copy.
struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

struct CheckoutMemberEntry {
  std::mutex mu;
  bool loaded = false;
  bool evicted = false;  // dropped from the cache: look the member up again
  std::shared_ptr<CommitMember> writer;
  MemberUsage usage;
  std::unordered_map<std::string, CheckoutCommitEntry, TransparentHash, std::equal_to<>> by_key;
  std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> key_by_order;
};

class CheckoutMemberCache {
 public:
  explicit CheckoutMemberCache(int64_t members_max) : members_max_(members_max) {}

  // The member's entry (created empty and not loaded when new), locked in *lock.
  std::shared_ptr<CheckoutMemberEntry> Lock(std::string_view member,
                                            std::unique_lock<std::mutex>* lock);

 private:
  static constexpr size_t kShards = 64;
  struct Shard {
    std::mutex mu;
    std::unordered_map<std::string, std::shared_ptr<CheckoutMemberEntry>, TransparentHash,
                       std::equal_to<>>
        entries;
  };
  // Drops idle entries of a shard that is over its share of the limit.
  void Trim(Shard& shard);

  int64_t members_max_;
  std::array<Shard, kShards> shards_;
};

}  // namespace onecard
