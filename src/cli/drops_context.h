// What every `onecard drops` command opens: the program's services over --db (the paid plan's
// service answers the members' standing that eligibility reads) and the drop service on the drop
// store's own connection.
#pragma once

#include <memory>

#include "cli/program_services.h"
#include "engine/drop_service.h"

namespace onecard::cli {

struct DropsContext {
  ProgramServices services;
  Engine* engine = nullptr;
  std::unique_ptr<DropService> drops;  // declared last: closed before what it reads
  Instant now;
};

Result<DropsContext> OpenDropsContext(const GlobalOptions& global, bool create_database);

}  // namespace onecard::cli
