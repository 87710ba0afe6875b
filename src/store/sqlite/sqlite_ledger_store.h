// The ledger's log in the program's SQLite file, on a connection of its own (WAL, so it reads and
// writes beside the Store's connection; synchronous=FULL, so an append is fsynced before it
// returns).
#pragma once

#include <memory>
#include <string>

#include "store/ledger_store.h"

namespace onecard {

// REQUIRES: the file exists and its schema has the ledger's migration (the Store opened it).
Result<std::unique_ptr<LedgerStore>> OpenSqliteLedgerStore(const std::string& path);

}  // namespace onecard
