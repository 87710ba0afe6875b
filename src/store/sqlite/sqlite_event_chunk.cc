// The binary form of a chunk of events, version 1. Integers are little-endian base-128 varints
// (signed ones zigzagged); a string is its length then its bytes.
//   version, count, then per event:
//     kind (type | goods virtual << 3 | photos << 4 | names an order << 5),
//     id, member, at (from the previous event's at; the first from 0),
//     purchase: order amount site shop category | refund: [order] amount | review: order |
//     share, post, answer, visit: site | credit: level
#include "store/sqlite/sqlite_event_chunk.h"

#include <cstring>
#include <limits>

#include "core/limits.h"

namespace onecard::sqlite {
namespace {

constexpr uint8_t kChunkVersion = 1;
constexpr uint8_t kTypeMask = 7;
constexpr uint8_t kVirtualBit = 1 << 3;
constexpr uint8_t kPhotosBit = 1 << 4;
constexpr uint8_t kOrderBit = 1 << 5;

void PutUnsigned(std::string* out, uint64_t value) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

void PutSigned(std::string* out, int64_t value) {
  PutUnsigned(out, (static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
}

void PutString(std::string* out, std::string_view text) {
  PutUnsigned(out, text.size());
  out->append(text);
}

class ChunkReader {
 public:
  explicit ChunkReader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  size_t Remaining() const { return bytes_.size() - pos_; }
  void Fail() { ok_ = false; }

  uint64_t Unsigned() {
    uint64_t value = 0;
    for (int shift = 0; ok_ && shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) break;
      auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      if (shift == 63 && byte > 1) break;
      value |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    ok_ = false;
    return 0;
  }
  int64_t Signed() {
    uint64_t raw = Unsigned();
    return static_cast<int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  }
  uint8_t Byte() {
    if (!ok_ || pos_ >= bytes_.size()) {
      ok_ = false;
      return 0;
    }
    return static_cast<uint8_t>(bytes_[pos_++]);
  }
  // A string of 1..max bytes into *out.
  void String(int64_t max, std::string* out) {
    const uint64_t size = Unsigned();
    if (!ok_ || size == 0 || size > static_cast<uint64_t>(max) || size > Remaining()) {
      ok_ = false;
      return;
    }
    out->assign(bytes_.data() + pos_, size);
    pos_ += size;
  }
  int64_t Amount() {
    const uint64_t value = Unsigned();
    if (value > static_cast<uint64_t>(limits::kAmountMinorMax)) ok_ = false;
    return ok_ ? static_cast<int64_t>(value) : 0;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void ReadEvent(ChunkReader& r, int64_t* previous_at, Event* e) {
  const uint8_t kind = r.Byte();
  if ((kind & ~(kTypeMask | kVirtualBit | kPhotosBit | kOrderBit)) != 0) r.Fail();
  e->type = static_cast<EventType>(kind & kTypeMask);
  r.String(limits::kEventIdBytesMax, &e->id);
  r.String(limits::kMemberIdBytesMax, &e->member);
  const int64_t step = r.Signed();
  if (step > 0 ? *previous_at > std::numeric_limits<int64_t>::max() - step
               : *previous_at < std::numeric_limits<int64_t>::min() - step) {
    r.Fail();  // no instant overflows
  }
  e->at = Instant{*previous_at + step};
  *previous_at = e->at.us;
  e->order.clear();
  e->site.clear();
  e->shop.clear();
  e->category.clear();
  e->amount = Money{};
  e->goods = (kind & kVirtualBit) != 0 ? Goods::kVirtual : Goods::kPhysical;
  e->photos = (kind & kPhotosBit) != 0;
  e->level = 0;
  // Flags that do not belong to the type make the chunk corrupt.
  bool flags_ok = true;
  switch (e->type) {
    case EventType::kPurchase:
      flags_ok = (kind & (kPhotosBit | kOrderBit)) == kOrderBit;
      r.String(limits::kOrderIdBytesMax, &e->order);
      e->amount = Money{r.Amount()};
      r.String(limits::kTextBytesMax, &e->site);
      r.String(limits::kTextBytesMax, &e->shop);
      r.String(limits::kTextBytesMax, &e->category);
      break;
    case EventType::kRefund:
      flags_ok = (kind & (kPhotosBit | kVirtualBit)) == 0;
      if ((kind & kOrderBit) != 0) r.String(limits::kOrderIdBytesMax, &e->order);
      e->amount = Money{r.Amount()};
      break;
    case EventType::kReview:
      flags_ok = (kind & (kVirtualBit | kOrderBit)) == kOrderBit;
      r.String(limits::kOrderIdBytesMax, &e->order);
      break;
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer:
    case EventType::kVisit:
      flags_ok = (kind & (kVirtualBit | kPhotosBit | kOrderBit)) == 0;
      r.String(limits::kTextBytesMax, &e->site);
      break;
    case EventType::kCredit: {
      flags_ok = (kind & (kVirtualBit | kPhotosBit | kOrderBit)) == 0;
      const uint8_t level = r.Byte();
      flags_ok = flags_ok && level >= 1 && level <= 5;
      e->level = level;
      break;
    }
  }
  if (!flags_ok) r.Fail();
}

}  // namespace

uint64_t EventIdHash(std::string_view id) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : id) {
    hash ^= static_cast<uint8_t>(c);
    hash *= 0x100000001b3ULL;
  }
  // FNV-1a alone mixes the last bytes poorly; the MurmurHash3 finaliser spreads every bit.
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  hash *= 0xc4ceb9fe1a85ec53ULL;
  hash ^= hash >> 33;
  return hash == 0 ? 1 : hash;
}

void EncodeEventChunk(const Event* events, size_t count, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kChunkVersion));
  PutUnsigned(out, count);
  int64_t previous_at = 0;
  for (size_t i = 0; i < count; ++i) {
    const Event& e = events[i];
    uint8_t kind = static_cast<uint8_t>(e.type);
    if (e.type == EventType::kPurchase && e.goods == Goods::kVirtual) kind |= kVirtualBit;
    if (e.type == EventType::kReview && e.photos) kind |= kPhotosBit;
    const bool names_order = e.type == EventType::kPurchase || e.type == EventType::kReview ||
                             (e.type == EventType::kRefund && !e.order.empty());
    if (names_order) kind |= kOrderBit;
    out->push_back(static_cast<char>(kind));
    PutString(out, e.id);
    PutString(out, e.member);
    PutSigned(out, static_cast<int64_t>(static_cast<uint64_t>(e.at.us) -
                                        static_cast<uint64_t>(previous_at)));
    previous_at = e.at.us;
    switch (e.type) {
      case EventType::kPurchase:
        PutString(out, e.order);
        PutUnsigned(out, static_cast<uint64_t>(e.amount.minor));
        PutString(out, e.site);
        PutString(out, e.shop);
        PutString(out, e.category);
        break;
      case EventType::kRefund:
        if (names_order) PutString(out, e.order);
        PutUnsigned(out, static_cast<uint64_t>(e.amount.minor));
        break;
      case EventType::kReview:
        PutString(out, e.order);
        break;
      case EventType::kShare:
      case EventType::kPost:
      case EventType::kAnswer:
      case EventType::kVisit:
        PutString(out, e.site);
        break;
      case EventType::kCredit:
        out->push_back(static_cast<char>(e.level));
        break;
    }
  }
}

Status DecodeEventChunk(std::string_view bytes, std::vector<Event>* out) {
  const Error corrupt = MakeError(ErrorCode::kCorruptState, "events", "an event chunk is corrupt");
  ChunkReader r(bytes);
  if (r.Byte() != kChunkVersion) return corrupt;
  const uint64_t count = r.Unsigned();
  if (!r.ok() || count > kEventChunkEventsMax || count > r.Remaining()) return corrupt;
  out->resize(static_cast<size_t>(count));
  int64_t previous_at = 0;
  for (Event& event : *out) {
    ReadEvent(r, &previous_at, &event);
    if (!r.ok()) return corrupt;
  }
  if (!r.AtEnd()) return corrupt;
  return Status::Ok();
}

void EncodeIdHashes(const Event* events, size_t count, std::string* out) {
  out->resize(count * 8);
  for (size_t i = 0; i < count; ++i) {
    const uint64_t hash = EventIdHash(events[i].id);
    for (size_t b = 0; b < 8; ++b) (*out)[i * 8 + b] = static_cast<char>(hash >> (8 * b));
  }
}

Status DecodeIdHashes(std::string_view bytes, int64_t count, std::vector<uint64_t>* out) {
  if (count < 0 || bytes.size() != static_cast<size_t>(count) * 8) {
    return MakeError(ErrorCode::kCorruptState, "events", "the id hashes of a chunk are corrupt");
  }
  out->resize(static_cast<size_t>(count));
  for (size_t i = 0; i < out->size(); ++i) {
    uint64_t hash = 0;
    for (size_t b = 0; b < 8; ++b) {
      hash |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i * 8 + b])) << (8 * b);
    }
    (*out)[i] = hash;
  }
  return Status::Ok();
}

}  // namespace onecard::sqlite
