#include "cli/points_common.h"

#include <cstdio>
#include <utility>

#include "engine/points_json.h"
#include "store/store.h"

namespace onecard::cli {

Result<LedgerSession> OpenLedgerFor(const GlobalOptions& options, bool create_database) {
  LedgerSession session;
  auto services = OpenProgramServices(options, create_database);
  if (!services.ok()) return services.error();
  session.services = std::move(services).value();
  session.engine = session.services.engine.get();
  session.standing = session.services.plan.get();
  session.now = session.services.now;
  auto ledger = OpenLedgerServiceFor(*session.engine, *session.services.plan);
  if (!ledger.ok()) return ledger.error();
  session.ledger = std::move(ledger).value();
  return session;
}

Result<std::string> ProgramOption(const PointsConfig& config, const std::string& given) {
  return PointsProgramId(config, given);
}

int SubmitAndPrint(const GlobalOptions& global, const std::string& program,
                   const std::function<LedgerRequest(const std::string& program)>& make) {
  auto session = OpenLedgerFor(global, false);
  if (!session.ok()) return Fail(session.error());
  auto id = ProgramOption(session->ledger->config(), program);
  if (!id.ok()) return Fail(id.error());
  auto outcome = session->ledger->SubmitOne(make(*id), session->now);
  if (!outcome.ok()) return Fail(outcome.error());
  std::printf("%s\n", outcome->duplicate ? "duplicate (done before; the original result)" : "ok");
  PrintOutcome(session->ledger->ledger(), *outcome);
  return 0;
}

void PrintOutcome(const Ledger& ledger, const LedgerOutcome& outcome) {
  for (TransferIndex index : outcome.transfers) {
    const Transfer& t = ledger.transfers()[index];
    std::printf("  %s  %s %s %s → %s  %lld\n", t.id.c_str(),
                std::string(TransferKindName(t.kind)).c_str(),
                std::string(TransferPhaseName(t.phase)).c_str(),
                ledger.accounts()[t.debit].owner.empty()
                    ? std::string(AccountKindName(ledger.accounts()[t.debit].kind)).c_str()
                    : ledger.accounts()[t.debit].owner.c_str(),
                ledger.accounts()[t.credit].owner.empty()
                    ? std::string(AccountKindName(ledger.accounts()[t.credit].kind)).c_str()
                    : ledger.accounts()[t.credit].owner.c_str(),
                static_cast<long long>(t.amount));
  }
}

}  // namespace onecard::cli
