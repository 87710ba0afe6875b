#include "core/ledger_config.h"

namespace onecard {

const PointsProgram* FindPointsProgram(const PointsConfig& config, std::string_view id) {
  for (const PointsProgram& program : config.programs) {
    if (program.id == id) return &program;
  }
  return nullptr;
}

const PartnerExchange* FindPartner(const PointsProgram& program, std::string_view partner) {
  for (const PartnerExchange& exchange : program.partners) {
    if (exchange.partner == partner) return &exchange;
  }
  return nullptr;
}

}  // namespace onecard
