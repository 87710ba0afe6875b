#include "engine/member_table.h"

#include <cstdlib>
#include <cstring>
#include <functional>
#include <new>

#include "core/assert.h"
#include "core/member_state.h"

namespace onecard {
namespace {

// A block is [uint32 size, the top bit marking a dirty state][size bytes].
constexpr size_t kHeaderBytes = 4;
constexpr uint32_t kDirty = 1u << 31;
constexpr uint32_t kSizeMask = kDirty - 1;
constexpr size_t kSlotsMin = 1024;

uint32_t BlockHeader(const char* block) {
  uint32_t header = 0;
  std::memcpy(&header, block, sizeof(header));
  return header;
}

uint32_t BlockSize(const char* block) { return BlockHeader(block) & kSizeMask; }

uint32_t BlockFlags(const char* block) { return BlockHeader(block) & kDirty; }

void SetBlockFlags(char* block, uint32_t flags) {
  const uint32_t header = BlockSize(block) | flags;
  std::memcpy(block, &header, sizeof(header));
}

std::string_view BlockBytes(const char* block) {
  return std::string_view(block + kHeaderBytes, BlockSize(block));
}

uint64_t HashOf(std::string_view member) { return std::hash<std::string_view>()(member); }

}  // namespace

size_t MemberTable::Position(uint64_t hash, std::string_view member) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.block == nullptr) return i;
    if (slot.hash == hash && EncodedStateMember(BlockBytes(slot.block)) == member) return i;
  }
}

std::string_view MemberTable::Find(std::string_view member) const {
  if (size_ == 0) return {};
  const Slot& slot = slots_[Position(HashOf(member), member)];
  return slot.block == nullptr ? std::string_view() : BlockBytes(slot.block);
}

void MemberTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kSlotsMin : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.block == nullptr) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].block != nullptr) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void MemberTable::Put(std::string_view member, std::string_view bytes, bool dirty) {
  ONECARD_ASSERT(EncodedStateMember(bytes) == member && bytes.size() <= kSizeMask);
  if ((size_ + 1) * 8 > slots_.size() * 7) Grow();
  const uint64_t hash = HashOf(member);
  Slot& slot = slots_[Position(hash, member)];
  const bool fresh = slot.block == nullptr;
  uint32_t flags = fresh ? 0 : BlockFlags(slot.block);
  if (!fresh) state_bytes_ -= BlockSize(slot.block);
  void* block = std::realloc(slot.block, kHeaderBytes + bytes.size());
  if (block == nullptr) throw std::bad_alloc();
  slot.block = static_cast<char*>(block);
  slot.hash = hash;
  const auto size = static_cast<uint32_t>(bytes.size());
  std::memcpy(slot.block, &size, sizeof(size));
  std::memcpy(slot.block + kHeaderBytes, bytes.data(), bytes.size());
  state_bytes_ += size;
  if (fresh) ++size_;
  if (dirty && (flags & kDirty) == 0) {
    flags |= kDirty;
    ++dirty_;
  }
  SetBlockFlags(slot.block, flags);
}

void MemberTable::Clear() {
  for (Slot& slot : slots_) std::free(slot.block);
  slots_.clear();
  slots_.shrink_to_fit();
  size_ = 0;
  dirty_ = 0;
  state_bytes_ = 0;
}

std::vector<std::string_view> MemberTable::DirtyStates() const {
  std::vector<std::string_view> states;
  states.reserve(dirty_);
  if (dirty_ == 0) return states;
  for (const Slot& slot : slots_) {
    if (slot.block != nullptr && (BlockFlags(slot.block) & kDirty) != 0) {
      states.push_back(BlockBytes(slot.block));
    }
  }
  return states;
}

void MemberTable::ClearDirty() {
  if (dirty_ == 0) return;
  for (Slot& slot : slots_) {
    if (slot.block != nullptr) SetBlockFlags(slot.block, BlockFlags(slot.block) & ~kDirty);
  }
  dirty_ = 0;
}

std::string_view MemberTable::StateAt(size_t slot) const {
  const char* block = slots_[slot].block;
  return block == nullptr ? std::string_view() : BlockBytes(block);
}

int64_t MemberTable::bytes_held() const {
  return static_cast<int64_t>(slots_.size() * sizeof(Slot) + size_ * kHeaderBytes) + state_bytes_;
}

}  // namespace onecard
