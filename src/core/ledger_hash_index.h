// An open-addressing hash index from a key (a transfer id, an account's owner) to the dense number
// of the record that holds it. Why not std::unordered_map<std::string, uint32_t>: that keeps a
// second copy of every id in a node of its own (one allocation, ~80 bytes and a cache miss per
// entry); here a slot is 8 bytes — the key's 32-bit hash and the number — in one flat array, the
// key itself is kept once, by the record, and the caller compares it there. Growing rehashes from
// the stored hashes without reading a key.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace onecard {

class HashIndex {
 public:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  // A well-mixed 32-bit hash of text (murmur from the standard library, folded).
  static uint32_t Hash(std::string_view text) {
    const uint64_t h = std::hash<std::string_view>{}(text);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }

  // The number stored under `hash` for which matches(number) says the key is the one looked for.
  template <typename Matches>
  std::optional<uint32_t> Find(uint32_t hash, const Matches& matches) const {
    if (slots_.empty()) return std::nullopt;
    for (size_t at = hash & mask_;; at = (at + 1) & mask_) {
      const Slot& slot = slots_[at];
      if (slot.value == kEmpty) return std::nullopt;
      if (slot.hash == hash && matches(slot.value)) return slot.value;
    }
  }

  // Adds `value` under `hash`. REQUIRES: the key is not in the index (Find it first).
  void Insert(uint32_t hash, uint32_t value) {
    if ((size_ + 1) * 2 > slots_.size()) Grow(slots_.empty() ? 16 : slots_.size() * 2);
    Place(hash, value);
    ++size_;
  }

  // Room for `count` entries without growing.
  void Reserve(size_t count) {
    size_t capacity = 16;
    while (capacity < count * 2) capacity *= 2;
    if (capacity > slots_.size()) Grow(capacity);
  }

  size_t size() const { return size_; }

 private:
  struct Slot {
    uint32_t hash = 0;
    uint32_t value = kEmpty;
  };

  void Place(uint32_t hash, uint32_t value) {
    size_t at = hash & mask_;
    while (slots_[at].value != kEmpty) at = (at + 1) & mask_;
    slots_[at] = Slot{hash, value};
  }

  void Grow(size_t capacity) {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    for (const Slot& slot : old) {
      if (slot.value != kEmpty) Place(slot.hash, slot.value);
    }
  }

  std::vector<Slot> slots_;  // a power of two, at most half full
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace onecard
