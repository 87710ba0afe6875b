// The ledger log's byte format: every record kind comes back exactly as written, and damaged
// bytes are kCorruptState, never a crash or a wrong record.
#include "core/ledger_codec.h"

#include <gtest/gtest.h>

namespace onecard {
namespace {

std::vector<LedgerRecord> Sample() {
  Transfer pending;
  pending.id = "earn:shop:o1";
  pending.debit = 0;
  pending.credit = 1;
  pending.amount = 1'000'000'000'000;
  pending.kind = TransferKind::kEarn;
  pending.phase = TransferPhase::kPending;
  pending.timeout = Instant{1'700'000'000'000'000};
  pending.on_timeout = TimeoutAction::kPost;
  pending.lot_expires = Instant{1'800'000'000'000'000};
  // Moved from a std::string: assigning the literal trips a false -Wmaybe-uninitialized in GCC 12 -O3.
  pending.reference = std::string("o1");
  pending.at = Instant{-5};
  Transfer settle;
  settle.id = "p1";
  settle.debit = 3;
  settle.credit = 4;
  settle.amount = 7;
  settle.kind = TransferKind::kExchange;
  settle.phase = TransferPhase::kPost;
  settle.pending = 9;
  settle.lot = 2;
  return {AccountRecord{0, 1, AccountKind::kIssuing, ""},
          AccountRecord{1, 1, AccountKind::kMember, "m1"},
          pending,
          settle,
          PointsOrderRecord{1, "m1", "o1", "online", "beauté", Money{12'345}, Instant{9}, 2'000'000,
                            1500, 10'000, 2000, 1234},
          PointsRefundRecord{"r1", 1, "o1", Money{100}, Instant{10}, 3, 4},
          LinkRecord{1, "m1", "hotel", "H-1", Instant{11}},
          StayRecord{"s1", 1, "m1", "hotel", Instant{12}},
          ChallengeRecord{1, "m1", "hotel", Instant{13}}};
}

TEST(LedgerCodec, EveryRecordRoundTrips) {
  LedgerBatchWriter writer;
  for (const LedgerRecord& record : Sample()) writer.Add(record);
  EXPECT_EQ(writer.records(), 9);
  const std::string bytes = writer.Take();
  EXPECT_TRUE(writer.empty());
  std::vector<LedgerRecord> back;
  Status status = DecodeLedgerBatch(bytes, [&](const LedgerRecord& record) -> Status {
    back.push_back(record);
    return Status::Ok();
  });
  ASSERT_TRUE(status.ok()) << status.error().ToString();
  EXPECT_EQ(back, Sample());
}

TEST(LedgerCodec, DamagedBytesAreCorruptState) {
  LedgerBatchWriter writer;
  for (const LedgerRecord& record : Sample()) writer.Add(record);
  const std::string bytes = writer.Take();
  auto ignore = [](const LedgerRecord&) { return Status::Ok(); };
  // Every cut short of the end fails (the last record is incomplete); no cut crashes.
  for (size_t size = 0; size < bytes.size(); ++size) {
    Status status = DecodeLedgerBatch(std::string_view(bytes).substr(0, size), ignore);
    if (!status.ok()) {
      EXPECT_EQ(status.error().code, ErrorCode::kCorruptState);
    }
  }
  EXPECT_FALSE(DecodeLedgerBatch(std::string_view(bytes).substr(0, bytes.size() - 1), ignore).ok());
  std::string wrong_version = bytes;
  wrong_version[0] = 2;
  EXPECT_FALSE(DecodeLedgerBatch(wrong_version, ignore).ok());
  std::string wrong_tag = bytes;
  wrong_tag[1] = 99;
  EXPECT_FALSE(DecodeLedgerBatch(wrong_tag, ignore).ok());
}

}  // namespace
}  // namespace onecard
