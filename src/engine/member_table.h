// The engine's resident member states: every member's state in its compact encoded form
// (EncodeMemberState bytes, which begin with the member id) in one open-addressing hash table, so
// that a publication scores every member from memory and ingest never asks the store for a member
// it already holds. Per member this costs the encoded state plus a 4-byte block header, the
// allocator's overhead and an 8-byte slot (a pointer: the member id is read from the state
// itself) at a load of at most 7/8.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace onecard {

class MemberTable {
 public:
  MemberTable() = default;
  ~MemberTable() { Clear(); }
  MemberTable(const MemberTable&) = delete;
  MemberTable& operator=(const MemberTable&) = delete;

  size_t size() const { return size_; }
  // The encoded state of `member`, or an empty view when the table has none.
  std::string_view Find(std::string_view member) const;
  // Inserts or replaces the state of `member` (REQUIRES: EncodedStateMember(bytes) == member).
  // A dirty state has changed since the store last saved it.
  void Put(std::string_view member, std::string_view bytes, bool dirty);
  void Clear();

  size_t dirty_count() const { return dirty_; }
  // The dirty states, then (after the caller saved them) ClearDirty marks them clean.
  std::vector<std::string_view> DirtyStates() const;
  void ClearDirty();

  // Slots, for scans split across threads: StateAt(slot) is empty for an empty slot.
  size_t slot_count() const { return slots_.size(); }
  std::string_view StateAt(size_t slot) const;
  // Asks the processor to fetch the state of `slot` (a scan calls it a few slots ahead: each
  // state is its own allocation, so without it every member starts with a cache miss).
  void Prefetch(size_t slot) const {
    if (slot < slots_.size() && slots_[slot] != nullptr) __builtin_prefetch(slots_[slot]);
  }
  // Bytes the table holds (slots, block headers and states; not the allocator's overhead).
  int64_t bytes_held() const;

 private:
  // A slot is a block, [uint32 size and dirty bit][size bytes], or null when empty.
  using Slot = char*;
  size_t Position(uint64_t hash, std::string_view member) const;  // its slot or an empty one
  void Grow();

  std::vector<Slot> slots_;
  size_t size_ = 0;
  size_t dirty_ = 0;
  int64_t state_bytes_ = 0;
};

}  // namespace onecard
