// The SQLite store's idempotency index: the 64-bit hash of every stored event id with where the
// event is (its chunk and position), in memory. It is rebuilt at open from the chunks' id hashes
// (one process opens a database at a time, so memory is the only copy that needs to be current).
// Hashes may collide: a look-up yields every entry with the hash, and the caller compares the
// stored id. 16 bytes per event at a load of at most 7/8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace onecard::sqlite {

// Events the index may hold (about 16 GiB of memory at the most).
inline constexpr int64_t kIndexedEventsMax = int64_t{1} << 30;

struct EventLocation {
  int64_t chunk = 0;      // rowid in event_chunks
  uint32_t position = 0;  // the event's index in the chunk
};

class EventIdIndex {
 public:
  int64_t size() const { return size_; }
  // Makes room for `more` events beyond size() (so that Insert never rehashes mid-batch).
  void Reserve(int64_t more);
  void Insert(uint64_t hash, EventLocation location);
  // Every location stored under `hash`, into *out (cleared first).
  void Find(uint64_t hash, std::vector<EventLocation>* out) const;
  void Clear();

 private:
  struct Slot {
    uint64_t hash = 0;   // 0: empty (EventIdHash is never 0)
    uint64_t where = 0;  // chunk << 16 | position
  };
  void Rehash(size_t slots);

  std::vector<Slot> slots_;
  int64_t size_ = 0;
};

}  // namespace onecard::sqlite
