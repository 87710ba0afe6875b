#include "core/ledger_verify.h"

#include <unordered_map>
#include <unordered_set>

namespace onecard {
namespace {

struct Totals {
  int64_t debits_posted = 0;
  int64_t credits_posted = 0;
  int64_t debits_pending = 0;
  int64_t credits_pending = 0;
  int64_t debt = 0;
};

std::string AccountName(const Ledger& ledger, AccountIndex index) {
  const Account& account = ledger.accounts()[index];
  std::string name = "account " + std::to_string(index) + " (" +
                     ledger.config().programs[account.program].id + " " +
                     std::string(AccountKindName(account.kind));
  if (!account.owner.empty()) name += " " + account.owner;
  return name + ")";
}

// Replays the transfers on plain totals: what Apply's running totals must equal.
std::vector<Totals> Recompute(const Ledger& ledger, std::vector<std::string>* out) {
  std::vector<Totals> totals(ledger.accounts().size());
  std::unordered_map<TransferIndex, TransferIndex> settled;  // pending → the transfer settling it
  const auto& transfers = ledger.transfers();
  for (TransferIndex i = 0; i < transfers.size(); ++i) {
    const Transfer& t = transfers[i];
    Totals& debit = totals[t.debit];
    Totals& credit = totals[t.credit];
    switch (t.phase) {
      case TransferPhase::kPosted:
        debit.debits_posted += t.amount;
        credit.credits_posted += t.amount;
        if (t.kind == TransferKind::kSettle) debit.debt -= t.amount;
        break;
      case TransferPhase::kPending:
        debit.debits_pending += t.amount;
        credit.credits_pending += t.amount;
        break;
      case TransferPhase::kPost:
      case TransferPhase::kVoid: {
        const Transfer& p = transfers[t.pending];
        if (p.phase != TransferPhase::kPending || p.amount != t.amount || p.debit != t.debit ||
            p.credit != t.credit || !settled.emplace(t.pending, i).second) {
          out->push_back("transfer " + t.id + " settles " + p.id + " wrongly or a second time");
          break;
        }
        debit.debits_pending -= t.amount;
        credit.credits_pending -= t.amount;
        if (t.phase == TransferPhase::kPost) {
          debit.debits_posted += t.amount;
          credit.credits_posted += t.amount;
        }
        break;
      }
    }
  }
  for (const auto& [index, pending] : ledger.pendings()) {
    const bool open = ledger.open_pendings().count({transfers[index].timeout.us, index}) != 0;
    if (open != (settled.count(index) == 0)) {
      out->push_back("pending transfer " + transfers[index].id + " is listed open wrongly");
    }
    if (pending.status == PendingStatus::kPending && pending.settled_by != kNoIndex) {
      out->push_back("pending transfer " + transfers[index].id + " is settled but pending");
    }
  }
  return totals;
}

void CheckAccount(const Ledger& ledger, AccountIndex index, const Totals& expected,
                  std::vector<std::string>* out) {
  const Account& a = ledger.accounts()[index];
  const std::string name = AccountName(ledger, index);
  if (a.debits_posted != expected.debits_posted || a.credits_posted != expected.credits_posted ||
      a.debits_pending != expected.debits_pending ||
      a.credits_pending != expected.credits_pending) {
    out->push_back(name + " totals differ from its transfers");
  }
  if (a.kind != AccountKind::kIssuing && (a.balance() < 0 || a.available() < 0)) {
    out->push_back(name + " is below zero");
  }
  if (a.debt < 0) out->push_back(name + " has a negative debt");
  if (a.kind != AccountKind::kMember) {
    if (!a.lots.empty()) out->push_back(name + " holds lots");
    return;
  }
  int64_t in_lots = 0;
  for (size_t i = 0; i < a.lots.size(); ++i) {
    const Lot& lot = a.lots[i];
    if (lot.remaining <= 0) out->push_back(name + " has an empty lot");
    if (i > 0 && std::tie(a.lots[i - 1].expires.us, a.lots[i - 1].origin) >=
                     std::tie(lot.expires.us, lot.origin)) {
      out->push_back(name + " has lots out of spending order");
    }
    in_lots += lot.remaining;
  }
  if (in_lots != a.available()) {
    out->push_back(name + " has " + std::to_string(in_lots) + " points in lots but " +
                   std::to_string(a.available()) + " available");
  }
}

}  // namespace

std::vector<std::string> VerifyLedger(const Ledger& ledger) {
  std::vector<std::string> out;
  std::vector<Totals> totals = Recompute(ledger, &out);
  // Debts: what refunds added less what settlements paid.
  for (const auto& [key, order] : ledger.orders()) {
    if (order.debt_points == 0) continue;
    auto account =
        ledger.FindAccount(order.record.program, AccountKind::kMember, order.record.member);
    if (account.has_value()) totals[*account].debt += order.debt_points;
  }
  std::unordered_map<AccountIndex, int64_t> held;
  for (const auto& [index, pending] : ledger.pendings()) {
    for (const Lot& lot : pending.held) held[ledger.transfers()[index].debit] += lot.remaining;
  }
  std::vector<int64_t> posted_sum(ledger.config().programs.size());
  std::vector<int64_t> pending_sum(ledger.config().programs.size());
  for (AccountIndex i = 0; i < ledger.accounts().size(); ++i) {
    const Account& a = ledger.accounts()[i];
    CheckAccount(ledger, i, totals[i], &out);
    if (a.debt != totals[i].debt) {
      out.push_back(AccountName(ledger, i) + " has a debt of " + std::to_string(a.debt) +
                    ", refunds and settlements make it " + std::to_string(totals[i].debt));
    }
    if (a.kind == AccountKind::kMember && held[i] != a.debits_pending) {
      out.push_back(AccountName(ledger, i) + " holds lots that differ from its pending debits");
    }
    posted_sum[a.program] += a.balance();
    pending_sum[a.program] += a.credits_pending - a.debits_pending;
  }
  for (size_t p = 0; p < posted_sum.size(); ++p) {
    if (posted_sum[p] != 0 || pending_sum[p] != 0) {
      out.push_back("program " + ledger.config().programs[p].id + " balances sum to " +
                    std::to_string(posted_sum[p]) + " posted and " +
                    std::to_string(pending_sum[p]) + " pending, not zero");
    }
  }
  std::unordered_set<std::string_view> ids;
  for (const Transfer& t : ledger.transfers()) {
    if (!ids.insert(t.id).second) out.push_back("transfer id " + t.id + " is used twice");
  }
  return out;
}

}  // namespace onecard
