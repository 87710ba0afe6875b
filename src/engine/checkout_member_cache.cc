#include "engine/checkout_member_cache.h"

namespace onecard {

std::shared_ptr<CheckoutMemberEntry> CheckoutMemberCache::Lock(std::string_view member,
                                                               std::unique_lock<std::mutex>* lock) {
  Shard& shard = shards_[TransparentHash{}(member) % kShards];
  for (;;) {
    std::shared_ptr<CheckoutMemberEntry> entry;
    {
      std::lock_guard shard_lock(shard.mu);
      auto found = shard.entries.find(member);
      if (found == shard.entries.end()) {
        Trim(shard);
        entry = std::make_shared<CheckoutMemberEntry>();
        entry->writer = std::make_shared<CommitMember>();
        entry->writer->id = std::string(member);
        shard.entries.emplace(std::string(member), entry);
      } else {
        entry = found->second;
      }
    }
    *lock = std::unique_lock(entry->mu);
    if (!entry->evicted) return entry;
    lock->unlock();  // dropped between the lookup and the lock: look again
  }
}

void CheckoutMemberCache::Trim(Shard& shard) {
  const size_t share = static_cast<size_t>(std::max<int64_t>(1, members_max_ / kShards));
  if (shard.entries.size() < share) return;
  for (auto it = shard.entries.begin(); it != shard.entries.end();) {
    CheckoutMemberEntry& entry = *it->second;
    std::unique_lock entry_lock(entry.mu, std::try_to_lock);
    if (entry_lock.owns_lock() && entry.writer->in_flight == 0) {
      entry.evicted = true;
      it = shard.entries.erase(it);
      if (shard.entries.size() < share * 3 / 4 + 1) return;
    } else {
      ++it;
    }
  }
}

}  // namespace onecard
