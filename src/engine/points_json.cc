#include "engine/points_json.h"

#include <boost/json.hpp>

namespace onecard {
namespace {

namespace json = boost::json;

std::string Owner(const Ledger& ledger, AccountIndex index) {
  const Account& account = ledger.accounts()[index];
  return account.owner.empty() ? std::string(AccountKindName(account.kind)) : account.owner;
}

json::object TransferObject(const Ledger& ledger, TransferIndex index, const ProgramTime& time) {
  const Transfer& t = ledger.transfers()[index];
  return {{"id", t.id},
          {"kind", TransferKindName(t.kind)},
          {"phase", TransferPhaseName(t.phase)},
          {"from", Owner(ledger, t.debit)},
          {"to", Owner(ledger, t.credit)},
          {"points", t.amount},
          {"at", time.FormatLocal(t.at)},
          {"reference", t.reference}};
}

}  // namespace

Result<std::string> PointsProgramId(const PointsConfig& config, const std::string& given) {
  if (!given.empty()) return given;
  if (config.programs.size() == 1) return config.programs.front().id;
  return MakeError(ErrorCode::kInvalidArgument, "program",
                   config.programs.empty() ? "the program config has no [[points_programs]]"
                                           : "program is required: the config has several");
}

std::string PointsBalanceJson(const Ledger& ledger, uint16_t program, const std::string& member,
                              const ProgramTime& time) {
  const auto index = ledger.FindAccount(program, AccountKind::kMember, member);
  const Account empty;
  const Account& a = index.has_value() ? ledger.accounts()[*index] : empty;
  json::array lots;
  for (const Lot& lot : a.lots) {
    lots.push_back(
        json::object{{"points", lot.remaining}, {"expires", time.FormatLocal(lot.expires)}});
  }
  return json::serialize(json::object{{"program", ledger.config().programs[program].id},
                                      {"member", member},
                                      {"available", a.available()},
                                      {"pending", a.credits_pending},
                                      {"held", a.debits_pending},
                                      {"debt", a.debt},
                                      {"lots", std::move(lots)}});
}

std::string PointsHistoryJson(const Ledger& ledger, uint16_t program, const std::string& member,
                              int64_t limit, const ProgramTime& time) {
  json::array transfers;
  if (const auto index = ledger.FindAccount(program, AccountKind::kMember, member)) {
    const std::vector<TransferIndex>& history = ledger.accounts()[*index].history;
    const size_t first = history.size() > static_cast<size_t>(limit)
                             ? history.size() - static_cast<size_t>(limit)
                             : 0;
    for (size_t i = first; i < history.size(); ++i) {
      transfers.push_back(TransferObject(ledger, history[i], time));
    }
  }
  return json::serialize(json::object{{"program", ledger.config().programs[program].id},
                                      {"member", member},
                                      {"transfers", std::move(transfers)}});
}

std::string LedgerOutcomeJson(const Ledger& ledger, const LedgerOutcome& outcome,
                              const ProgramTime& time) {
  json::array transfers;
  for (TransferIndex index : outcome.transfers) {
    transfers.push_back(TransferObject(ledger, index, time));
  }
  return json::serialize(json::object{{"result", outcome.duplicate ? "duplicate" : "ok"},
                                      {"points", outcome.points},
                                      {"bonus", outcome.bonus},
                                      {"debt", outcome.debt},
                                      {"pending", outcome.pending},
                                      {"transfers", std::move(transfers)}});
}

std::string LedgerJobJson(const Ledger& ledger, const LedgerJobCounts& counts, Instant now,
                          const ProgramTime& time) {
  json::array warnings;
  for (uint16_t p = 0; p < ledger.config().programs.size(); ++p) {
    for (const ExpiryWarning& w : ExpiryWarnings(ledger, p, now)) {
      warnings.push_back(json::object{{"program", ledger.config().programs[p].id},
                                      {"member", w.member},
                                      {"points", w.points},
                                      {"first_expiry", time.FormatLocal(w.first_expiry)}});
    }
  }
  return json::serialize(json::object{{"posted", counts.posted},
                                      {"voided", counts.voided},
                                      {"settled", counts.settled},
                                      {"expired_points", counts.expired_points},
                                      {"expired_accounts", counts.expired_accounts},
                                      {"warnings", std::move(warnings)}});
}

std::string LedgerVerifyJson(const Ledger& ledger, int64_t batches,
                             const std::vector<std::string>& violations) {
  json::array found;
  for (const std::string& violation : violations) found.emplace_back(violation);
  return json::serialize(
      json::object{{"batches", batches},
                   {"transfers", static_cast<int64_t>(ledger.transfers().size())},
                   {"accounts", static_cast<int64_t>(ledger.accounts().size())},
                   {"programs", static_cast<int64_t>(ledger.config().programs.size())},
                   {"holds", violations.empty()},
                   {"violations", std::move(found)}});
}

}  // namespace onecard
