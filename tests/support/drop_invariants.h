// The invariants of a drop slot, checked on what the store holds: held + confirmed units never
// exceed the stock, no unit is in two counting claims, every unit number is inside the stock, and
// no claim exceeds the per-member limit (one claim per member is the store's key).
#pragma once

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "core/drop_allocation.h"

namespace onecard::test_support {

inline void ExpectDropInvariants(const std::vector<DropClaim>& claims, int64_t units,
                                 int64_t per_member_limit) {
  std::set<int32_t> taken;
  std::set<std::string> members;
  int64_t counting = 0;
  for (const DropClaim& claim : claims) {
    EXPECT_TRUE(members.insert(claim.member).second) << "two claims of " << claim.member;
    EXPECT_LE(claim.quantity, per_member_limit) << claim.member;
    EXPECT_EQ(static_cast<int64_t>(claim.units.size()), claim.quantity) << claim.member;
    if (!claim.counts_against_stock()) continue;
    counting += claim.quantity;
    for (int32_t unit : claim.units) {
      EXPECT_GE(unit, 0);
      EXPECT_LT(unit, units);
      EXPECT_TRUE(taken.insert(unit).second) << "unit " << unit << " sold twice";
    }
  }
  EXPECT_LE(counting, units) << "more held and confirmed units than stock";
}

}  // namespace onecard::test_support
