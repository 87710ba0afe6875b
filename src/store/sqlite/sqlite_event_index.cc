#include "store/sqlite/sqlite_event_index.h"

#include "core/assert.h"
#include "store/sqlite/sqlite_event_chunk.h"

namespace onecard::sqlite {
namespace {

constexpr size_t kSlotsMin = 1024;
constexpr int kPositionBits = 16;
static_assert(kEventChunkEventsMax <= (size_t{1} << kPositionBits));

}  // namespace

void EventIdIndex::Rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{});
  const size_t mask = slots - 1;
  for (const Slot& slot : old) {
    if (slot.hash == 0) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].hash != 0) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void EventIdIndex::Reserve(int64_t more) {
  const auto wanted = static_cast<size_t>(size_ + more);
  size_t slots = slots_.empty() ? kSlotsMin : slots_.size();
  while (wanted * 8 > slots * 7) slots *= 2;
  if (slots != slots_.size()) Rehash(slots);
}

void EventIdIndex::Insert(uint64_t hash, EventLocation location) {
  ONECARD_ASSERT(hash != 0 && location.chunk >= 0 && location.position < (1u << kPositionBits));
  if (static_cast<size_t>(size_ + 1) * 8 > slots_.size() * 7) Reserve(1);
  const size_t mask = slots_.size() - 1;
  size_t i = hash & mask;
  while (slots_[i].hash != 0) i = (i + 1) & mask;
  slots_[i] =
      Slot{hash, static_cast<uint64_t>(location.chunk) << kPositionBits | location.position};
  ++size_;
}

void EventIdIndex::Find(uint64_t hash, std::vector<EventLocation>* out) const {
  out->clear();
  if (slots_.empty()) return;
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask; slots_[i].hash != 0; i = (i + 1) & mask) {
    if (slots_[i].hash != hash) continue;
    const uint64_t where = slots_[i].where;
    out->push_back(EventLocation{static_cast<int64_t>(where >> kPositionBits),
                                 static_cast<uint32_t>(where & ((1u << kPositionBits) - 1))});
  }
}

void EventIdIndex::Clear() {
  slots_.clear();
  slots_.shrink_to_fit();
  size_ = 0;
}

}  // namespace onecard::sqlite
