// Checks every invariant of the points ledger, recomputing balances from the transfers alone
// (not from the running totals Apply keeps), for `onecard ledger verify` and the tests:
//   - every program's balances sum to zero, posted and pending alike;
//   - no account but an issuing one has a negative balance or negative available points;
//   - each account's totals equal the sums of the transfers touching it;
//   - a member account's lots are positive, in spending order, and add up to its available points;
//     the lots held by pending debits add up to its pending debits;
//   - each pending transfer is settled at most once, by a transfer that matches it, and the
//     ledger's list of open pending transfers is exactly those not settled;
//   - debts are not negative and equal what refunds added less what settlements paid;
//   - transfer ids are unique.
#pragma once

#include <string>
#include <vector>

#include "core/ledger.h"

namespace onecard {

// The violations found, one sentence each; empty when the ledger is sound.
std::vector<std::string> VerifyLedger(const Ledger& ledger);

}  // namespace onecard
