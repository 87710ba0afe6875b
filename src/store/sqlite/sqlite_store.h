// The embedded default store: one SQLite file in WAL mode with synchronous=FULL, so that a
// committed transaction has been fsynced before the call returns. One Store object owns one
// connection and is used from one thread at a time (the engine serialises its calls).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace onecard {

// Opens (creating if needed) the database file and applies pending schema migrations.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path);

}  // namespace onecard
