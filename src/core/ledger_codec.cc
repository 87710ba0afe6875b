#include "core/ledger_codec.h"

#include "core/ledger_limits.h"
#include "core/limits.h"

namespace onecard {
namespace {

constexpr uint64_t kFormatVersion = 1;
enum class Tag : uint8_t {
  kAccount = 1,
  kTransfer = 2,
  kOrder = 3,
  kRefund = 4,
  kLink = 5,
  kStay = 6,
  kChallenge = 7,
};
constexpr uint64_t kStringBytesMax = 1024;

void Put(ByteWriter& w, const AccountRecord& r) {
  w.U64(r.index);
  w.U64(r.program);
  w.U64(static_cast<uint64_t>(r.kind));
  w.Bytes(r.owner);
}

// Fields that are usually zero are written only when a flag bit says so: most transfers are
// posted, settle nothing and name no lot or reference.
enum TransferField : uint64_t {
  kHasPending = 1,
  kHasTimeout = 2,
  kHasLotExpires = 4,
  kHasLot = 8,
  kHasReference = 16,
};

void Put(ByteWriter& w, const Transfer& t) {
  uint64_t fields = 0;
  if (t.pending != kNoIndex) fields |= kHasPending;
  if (t.timeout.us != 0 || t.on_timeout != TimeoutAction::kVoid) fields |= kHasTimeout;
  if (t.lot_expires.us != 0) fields |= kHasLotExpires;
  if (t.lot != kNoIndex) fields |= kHasLot;
  if (!t.reference.empty()) fields |= kHasReference;
  w.Bytes(t.id);
  w.U64(t.debit);
  w.U64(t.credit);
  w.I64(t.amount);
  w.U64(static_cast<uint64_t>(t.kind) | static_cast<uint64_t>(t.phase) << 4);
  w.I64(t.at.us);
  w.U64(fields);
  if (fields & kHasPending) w.U64(t.pending);
  if (fields & kHasTimeout) {
    w.I64(t.timeout.us);
    w.U64(static_cast<uint64_t>(t.on_timeout));
  }
  if (fields & kHasLotExpires) w.I64(t.lot_expires.us);
  if (fields & kHasLot) w.U64(t.lot);
  if (fields & kHasReference) w.Bytes(t.reference);
}

void Put(ByteWriter& w, const PointsOrderRecord& r) {
  w.U64(r.program);
  w.Bytes(r.member);
  w.Bytes(r.order);
  w.Bytes(r.channel);
  w.Bytes(r.category);
  w.I64(r.amount.minor);
  w.I64(r.at.us);
  w.I64(r.rate_ppm);
  w.I64(r.tier_permille);
  w.I64(r.paid_permille);
  w.I64(r.campaign_permille);
  w.I64(r.points);
}

void Put(ByteWriter& w, const PointsRefundRecord& r) {
  w.Bytes(r.id);
  w.U64(r.program);
  w.Bytes(r.order);
  w.I64(r.amount.minor);
  w.I64(r.at.us);
  w.I64(r.debt_added);
  w.I64(r.written_off);
}

void Put(ByteWriter& w, const LinkRecord& r) {
  w.U64(r.program);
  w.Bytes(r.member);
  w.Bytes(r.partner);
  w.Bytes(r.partner_account);
  w.I64(r.at.us);
}

void Put(ByteWriter& w, const StayRecord& r) {
  w.Bytes(r.id);
  w.U64(r.program);
  w.Bytes(r.member);
  w.Bytes(r.partner);
  w.I64(r.at.us);
}

void Put(ByteWriter& w, const ChallengeRecord& r) {
  w.U64(r.program);
  w.Bytes(r.member);
  w.Bytes(r.partner);
  w.I64(r.at.us);
}

Tag TagOf(const LedgerRecord& record) {
  return static_cast<Tag>(record.index() + 1);  // the variant's order is the tags' order
}

// Reads fields in order and remembers whether any failed.
class Fields {
 public:
  explicit Fields(ByteReader& reader) : r_(reader) {}
  bool ok() const { return ok_; }
  void Fail() { ok_ = false; }
  uint64_t U64() {
    uint64_t v = 0;
    ok_ = ok_ && r_.U64(&v);
    return v;
  }
  uint32_t U32() {
    const uint64_t v = U64();
    ok_ = ok_ && v <= UINT32_MAX;
    return static_cast<uint32_t>(v);
  }
  uint16_t U16() {
    const uint64_t v = U64();
    ok_ = ok_ && v <= UINT16_MAX;
    return static_cast<uint16_t>(v);
  }
  int64_t I64() {
    int64_t v = 0;
    ok_ = ok_ && r_.I64(&v);
    return v;
  }
  std::string Text() {
    std::string v;
    ok_ = ok_ && r_.Bytes(&v, kStringBytesMax);
    return v;
  }
  template <typename E>
  E Enum(uint64_t count) {
    const uint64_t v = U64();
    ok_ = ok_ && v < count;
    return static_cast<E>(v);
  }

 private:
  ByteReader& r_;
  bool ok_ = true;
};

Transfer GetTransfer(Fields& f) {
  Transfer t;
  t.id = f.Text();
  t.debit = f.U32();
  t.credit = f.U32();
  t.amount = f.I64();
  const uint64_t kind_phase = f.U64();
  if ((kind_phase & 0xF) >= static_cast<uint64_t>(kTransferKindCount) || (kind_phase >> 4) > 3) {
    f.Fail();
  }
  t.kind = static_cast<TransferKind>(kind_phase & 0xF);
  t.phase = static_cast<TransferPhase>((kind_phase >> 4) & 0x3);
  t.at.us = f.I64();
  const uint64_t fields = f.U64();
  if (fields & kHasPending) t.pending = f.U32();
  if (fields & kHasTimeout) {
    t.timeout.us = f.I64();
    t.on_timeout = f.Enum<TimeoutAction>(2);
  }
  if (fields & kHasLotExpires) t.lot_expires.us = f.I64();
  if (fields & kHasLot) t.lot = f.U32();
  if (fields & kHasReference) t.reference = f.Text();
  return t;
}

Result<LedgerRecord> GetRecord(ByteReader& reader) {
  Fields f(reader);
  const uint64_t tag = f.U64();
  LedgerRecord record;
  switch (static_cast<Tag>(tag)) {
    case Tag::kAccount: {
      AccountRecord r;
      r.index = f.U32();
      r.program = f.U16();
      r.kind = f.Enum<AccountKind>(4);
      r.owner = f.Text();
      record = std::move(r);
      break;
    }
    case Tag::kTransfer:
      record = GetTransfer(f);
      break;
    case Tag::kOrder: {
      PointsOrderRecord r;
      r.program = f.U16();
      r.member = f.Text();
      r.order = f.Text();
      r.channel = f.Text();
      r.category = f.Text();
      r.amount.minor = f.I64();
      r.at.us = f.I64();
      r.rate_ppm = f.I64();
      r.tier_permille = f.I64();
      r.paid_permille = f.I64();
      r.campaign_permille = f.I64();
      r.points = f.I64();
      record = std::move(r);
      break;
    }
    case Tag::kRefund: {
      PointsRefundRecord r;
      r.id = f.Text();
      r.program = f.U16();
      r.order = f.Text();
      r.amount.minor = f.I64();
      r.at.us = f.I64();
      r.debt_added = f.I64();
      r.written_off = f.I64();
      record = std::move(r);
      break;
    }
    case Tag::kLink: {
      LinkRecord r;
      r.program = f.U16();
      r.member = f.Text();
      r.partner = f.Text();
      r.partner_account = f.Text();
      r.at.us = f.I64();
      record = std::move(r);
      break;
    }
    case Tag::kStay: {
      StayRecord r;
      r.id = f.Text();
      r.program = f.U16();
      r.member = f.Text();
      r.partner = f.Text();
      r.at.us = f.I64();
      record = std::move(r);
      break;
    }
    case Tag::kChallenge: {
      ChallengeRecord r;
      r.program = f.U16();
      r.member = f.Text();
      r.partner = f.Text();
      r.at.us = f.I64();
      record = std::move(r);
      break;
    }
    default:
      return MakeError(ErrorCode::kCorruptState, "ledger", "unknown record tag in the log");
  }
  if (!f.ok()) return MakeError(ErrorCode::kCorruptState, "ledger", "malformed record in the log");
  return record;
}

}  // namespace

LedgerBatchWriter::LedgerBatchWriter() { out_.U64(kFormatVersion); }

void LedgerBatchWriter::Add(const LedgerRecord& record) {
  out_.U64(static_cast<uint64_t>(TagOf(record)));
  std::visit([this](const auto& r) { Put(out_, r); }, record);
  ++records_;
}

std::string LedgerBatchWriter::Take() {
  std::string bytes = out_.Take();
  out_ = ByteWriter();
  // Batches are usually alike: room for one like this saves growing (and copying) it again.
  out_.Reserve(bytes.size());
  out_.U64(kFormatVersion);
  records_ = 0;
  return bytes;
}

Status DecodeLedgerBatch(std::string_view bytes,
                         const std::function<Status(LedgerRecord&)>& visit) {
  ByteReader reader(bytes);
  uint64_t version = 0;
  if (!reader.U64(&version) || version != kFormatVersion) {
    return MakeError(ErrorCode::kCorruptState, "ledger", "unknown ledger log format");
  }
  while (!reader.AtEnd()) {
    Result<LedgerRecord> record = GetRecord(reader);
    if (!record.ok()) return record.error();
    if (Status status = visit(*record); !status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace onecard
