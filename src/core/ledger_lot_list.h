// A member account's lots in spending order, in one vector with a moving front. Why not a
// std::deque: a deque allocates ~600 bytes for its first element and its move is not noexcept, so
// a growing vector of accounts copied every account's lots; most accounts hold a few lots, and
// spending takes them from the front, so the front only moves forward until the list is compacted.
#pragma once

#include <cstdint>
#include <vector>

#include "core/program_time.h"

namespace onecard {

// Points of one credit that expire together. Spending takes lots in (expires, origin) order:
// earliest-expiring first, first-in first-out among equals.
struct Lot {
  Instant expires;
  uint32_t origin = UINT32_MAX;  // the transfer that made the lot (TransferIndex)
  int64_t remaining = 0;

  friend bool operator==(const Lot&, const Lot&) = default;
};

class LotList {
 public:
  using iterator = Lot*;
  using const_iterator = const Lot*;

  bool empty() const { return head_ == lots_.size(); }
  size_t size() const { return lots_.size() - head_; }
  Lot& front() { return lots_[head_]; }
  const Lot& front() const { return lots_[head_]; }
  Lot& operator[](size_t i) { return lots_[head_ + i]; }
  const Lot& operator[](size_t i) const { return lots_[head_ + i]; }
  iterator begin() { return lots_.data() + head_; }
  iterator end() { return lots_.data() + lots_.size(); }
  const_iterator begin() const { return lots_.data() + head_; }
  const_iterator end() const { return lots_.data() + lots_.size(); }

  void pop_front() {
    ++head_;
    if (head_ == lots_.size()) {
      lots_.clear();  // keeps the capacity: the next lots go where the old ones were
      head_ = 0;
    }
  }
  // Inserts before `at` (an iterator of this list); returns the inserted lot.
  iterator insert(const_iterator at, const Lot& lot) {
    const size_t offset = static_cast<size_t>(at - lots_.data());
    if (head_ > 0 && head_ * 2 >= lots_.size()) {
      // Spent lots take half the vector: drop them instead of growing it.
      lots_.erase(lots_.begin(), lots_.begin() + static_cast<ptrdiff_t>(head_));
      const size_t moved = offset - head_;
      head_ = 0;
      return &*lots_.insert(lots_.begin() + static_cast<ptrdiff_t>(moved), lot);
    }
    return &*lots_.insert(lots_.begin() + static_cast<ptrdiff_t>(offset), lot);
  }
  void erase(const_iterator at) {
    if (at == lots_.data() + head_) {
      pop_front();
      return;
    }
    lots_.erase(lots_.begin() + (at - lots_.data()));
  }

 private:
  std::vector<Lot> lots_;
  size_t head_ = 0;  // lots_[0, head_) are spent
};

}  // namespace onecard
