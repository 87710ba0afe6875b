// Ledger::Apply is the last line of defence for a damaged log: a record that would break an
// invariant is refused with kCorruptState and changes nothing, and a service whose log holds one
// does not open (so `onecard ledger verify` fails).
#include <gtest/gtest.h>

#include "core/ledger_codec.h"
#include "support/ledger_harness.h"

namespace onecard {
namespace {

using namespace test_support;

Transfer Earned(std::string id, AccountIndex issuing, AccountIndex member, int64_t amount) {
  Transfer t;
  t.id = std::move(id);
  t.debit = issuing;
  t.credit = member;
  t.amount = amount;
  t.kind = TransferKind::kEarn;
  t.lot_expires = Day(100);
  return t;
}

TEST(LedgerApply, RefusesRecordsThatBreakAnInvariant) {
  const PointsConfig config = LedgerTestConfig();
  Ledger ledger(config);
  ASSERT_TRUE(ledger.Apply(AccountRecord{0, 0, AccountKind::kIssuing, ""}).ok());
  ASSERT_TRUE(ledger.Apply(AccountRecord{1, 0, AccountKind::kMember, "a"}).ok());
  ASSERT_TRUE(ledger.Apply(AccountRecord{2, 1, AccountKind::kMember, "b"}).ok());
  ASSERT_TRUE(ledger.Apply(Earned("e1", 0, 1, 10)).ok());
  Transfer overdraw;
  overdraw.id = "r1";
  overdraw.debit = 1;
  overdraw.credit = 0;
  overdraw.amount = 11;
  overdraw.kind = TransferKind::kRedeem;
  const std::vector<LedgerRecord> bad = {
      AccountRecord{5, 0, AccountKind::kMember, "x"},  // not the next number
      AccountRecord{3, 0, AccountKind::kMember, "a"},  // exists
      AccountRecord{3, 0, AccountKind::kIssuing, "owner"},
      Earned("e1", 0, 1, 1),  // id used
      Earned("e2", 0, 2, 1),  // accounts of two programs
      Earned("e3", 1, 0, 1),  // member → issuing is not an earning
      Earned("e4", 0, 1, 0),  // no amount
      overdraw,               // more than the account has
  };
  for (const LedgerRecord& record : bad) {
    Status status = ledger.Apply(record);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code, ErrorCode::kCorruptState);
  }
  EXPECT_EQ(ledger.accounts().size(), 3u);
  EXPECT_EQ(ledger.transfers().size(), 1u);
  EXPECT_EQ(ledger.accounts()[1].available(), 10);
  EXPECT_TRUE(VerifyLedger(ledger).empty());
}

TEST(LedgerApply, AServiceWithADamagedLogDoesNotOpen) {
  const PointsConfig config = LedgerTestConfig();
  std::vector<std::string> batches;
  LedgerBatchWriter writer;
  writer.Add(AccountRecord{0, 0, AccountKind::kIssuing, ""});
  writer.Add(AccountRecord{1, 0, AccountKind::kMember, "a"});
  writer.Add(Earned("e1", 1, 0, 10));  // member → issuing as an earning
  batches.push_back(writer.Take());
  FixedStandingSource standing;
  auto service =
      LedgerService::Open(std::make_unique<MemoryLedgerStore>(&batches), config, &standing);
  ASSERT_FALSE(service.ok());
  EXPECT_EQ(service.error().code, ErrorCode::kCorruptState);
  EXPECT_NE(service.error().message.find("batch 1"), std::string::npos);
}

}  // namespace
}  // namespace onecard
