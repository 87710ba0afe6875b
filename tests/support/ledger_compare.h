// Whether two ledgers hold the same state, field by field: accounts (totals, lots, history),
// transfers and their id index, pending transfers, both queues, orders, and — through the
// snapshot encoding, which writes every map in key order — refunds, links, stays and partner
// activity. For the snapshot tests: a ledger restored from a snapshot must equal the full replay.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/ledger.h"

namespace onecard::test_support {

inline void ExpectSameLedger(const Ledger& expected, const Ledger& actual) {
  ASSERT_EQ(expected.accounts().size(), actual.accounts().size());
  for (size_t i = 0; i < expected.accounts().size(); ++i) {
    const Account& e = expected.accounts()[i];
    const Account& a = actual.accounts()[i];
    EXPECT_EQ(e.program, a.program) << "account " << i;
    EXPECT_EQ(e.kind, a.kind) << "account " << i;
    EXPECT_EQ(e.owner, a.owner) << "account " << i;
    EXPECT_EQ(e.debits_posted, a.debits_posted) << "account " << i;
    EXPECT_EQ(e.credits_posted, a.credits_posted) << "account " << i;
    EXPECT_EQ(e.debits_pending, a.debits_pending) << "account " << i;
    EXPECT_EQ(e.credits_pending, a.credits_pending) << "account " << i;
    EXPECT_EQ(e.debt, a.debt) << "account " << i;
    EXPECT_EQ(std::vector<Lot>(e.lots.begin(), e.lots.end()),
              std::vector<Lot>(a.lots.begin(), a.lots.end()))
        << "account " << i;
    EXPECT_EQ(e.history, a.history) << "account " << i;
    EXPECT_EQ(actual.FindAccount(e.program, e.kind, e.owner), std::optional<AccountIndex>(i));
  }
  ASSERT_EQ(expected.transfers().size(), actual.transfers().size());
  for (size_t i = 0; i < expected.transfers().size(); ++i) {
    EXPECT_EQ(expected.transfers()[i], actual.transfers()[i]) << "transfer " << i;
    EXPECT_EQ(actual.FindTransfer(expected.transfers()[i].id), std::optional<TransferIndex>(i));
  }
  ASSERT_EQ(expected.pendings().size(), actual.pendings().size());
  for (const auto& [index, e] : expected.pendings()) {
    const PendingState* a = actual.Pending(index);
    ASSERT_NE(a, nullptr) << "pending " << index;
    EXPECT_EQ(e.status, a->status) << "pending " << index;
    EXPECT_EQ(e.settled_by, a->settled_by) << "pending " << index;
    EXPECT_EQ(e.held, a->held) << "pending " << index;
  }
  EXPECT_EQ(expected.open_pendings(), actual.open_pendings());
  EXPECT_EQ(expected.lot_queue(), actual.lot_queue());
  ASSERT_EQ(expected.orders().size(), actual.orders().size());
  for (const auto& [key, e] : expected.orders()) {
    const PointsOrderState* a = actual.FindOrder(e.record.program, e.record.order);
    ASSERT_NE(a, nullptr) << e.record.order;
    EXPECT_EQ(e.record, a->record);
    EXPECT_EQ(e.refunded, a->refunded);
    EXPECT_EQ(e.earn, a->earn);
    EXPECT_EQ(e.reversed_points, a->reversed_points);
    EXPECT_EQ(e.debt_points, a->debt_points);
    EXPECT_EQ(e.expired_points, a->expired_points);
    EXPECT_EQ(e.written_off_points, a->written_off_points);
  }
  EXPECT_EQ(expected.EncodeSnapshot(), actual.EncodeSnapshot());
}

}  // namespace onecard::test_support
