#include "cli/program_services.h"

#include <utility>

namespace onecard::cli {

Result<ProgramServices> OpenProgramServices(const GlobalOptions& global, bool create_database) {
  auto engine = OpenEngineFor(global, create_database);
  if (!engine.ok()) return engine.error();
  auto now = Now(global, (*engine)->time());
  if (!now.ok()) return now.error();
  // No partner gateway in the CLI: partners confirm activations with `benefits confirm`.
  auto set = OpenProgramServiceSet(std::move(engine).value(), /*gateway=*/nullptr);
  if (!set.ok()) return set.error();
  ProgramServices services;
  static_cast<ProgramServiceSet&>(services) = std::move(set).value();
  services.now = *now;
  return services;
}

}  // namespace onecard::cli
