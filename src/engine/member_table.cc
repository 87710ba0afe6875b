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

void SetBlockHeader(char* block, uint32_t size, uint32_t flags) {
  const uint32_t header = size | flags;
  std::memcpy(block, &header, sizeof(header));
}

std::string_view BlockBytes(const char* block) {
  return std::string_view(block + kHeaderBytes, BlockSize(block));
}

std::string_view BlockMember(const char* block) { return EncodedStateMember(BlockBytes(block)); }

uint64_t HashOf(std::string_view member) { return std::hash<std::string_view>()(member); }

}  // namespace

size_t MemberTable::Position(uint64_t hash, std::string_view member) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot slot = slots_[i];
    if (slot == nullptr || BlockMember(slot) == member) return i;
  }
}

std::string_view MemberTable::Find(std::string_view member) const {
  if (size_ == 0) return {};
  const Slot slot = slots_[Position(HashOf(member), member)];
  return slot == nullptr ? std::string_view() : BlockBytes(slot);
}

void MemberTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? kSlotsMin : old.size() * 2, nullptr);
  const size_t mask = slots_.size() - 1;
  for (const Slot slot : old) {
    if (slot == nullptr) continue;
    size_t i = HashOf(BlockMember(slot)) & mask;
    while (slots_[i] != nullptr) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void MemberTable::Put(std::string_view member, std::string_view bytes, bool dirty) {
  ONECARD_ASSERT(EncodedStateMember(bytes) == member && bytes.size() <= kSizeMask);
  if ((size_ + 1) * 8 > slots_.size() * 7) Grow();
  Slot& slot = slots_[Position(HashOf(member), member)];
  const bool fresh = slot == nullptr;
  uint32_t flags = fresh ? 0 : BlockFlags(slot);
  if (!fresh) state_bytes_ -= BlockSize(slot);
  void* block = std::realloc(slot, kHeaderBytes + bytes.size());
  if (block == nullptr) throw std::bad_alloc();
  slot = static_cast<char*>(block);
  std::memcpy(slot + kHeaderBytes, bytes.data(), bytes.size());
  state_bytes_ += static_cast<int64_t>(bytes.size());
  if (fresh) ++size_;
  if (dirty && flags == 0) {
    flags = kDirty;
    ++dirty_;
  }
  SetBlockHeader(slot, static_cast<uint32_t>(bytes.size()), flags);
}

void MemberTable::Clear() {
  for (Slot slot : slots_) std::free(slot);
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
  for (const Slot slot : slots_) {
    if (slot != nullptr && BlockFlags(slot) != 0) states.push_back(BlockBytes(slot));
  }
  return states;
}

void MemberTable::ClearDirty() {
  if (dirty_ == 0) return;
  for (Slot slot : slots_) {
    if (slot != nullptr) SetBlockHeader(slot, BlockSize(slot), 0);
  }
  dirty_ = 0;
}

std::string_view MemberTable::StateAt(size_t slot) const {
  const char* block = slots_[slot];
  return block == nullptr ? std::string_view() : BlockBytes(block);
}

int64_t MemberTable::bytes_held() const {
  return static_cast<int64_t>(slots_.size() * sizeof(Slot) + size_ * kHeaderBytes) + state_bytes_;
}

}  // namespace onecard
