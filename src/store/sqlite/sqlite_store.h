// The embedded default store: one SQLite file in WAL mode with synchronous=FULL, so that a
// committed transaction has been fsynced before the call returns. One Store object owns one
// connection and is used from one thread at a time (the engine serialises its calls).
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace onecard {

// Opens the database file (creating it when `create` is true) and applies pending schema
// migrations. One process at a time may have a database open: the store holds an exclusive lock
// on FILE.lock for its lifetime, because the engine's checkpoints and batch numbers assume they
// are the only writer. Errors: kStoreError ("in use by another onecard process", or SQLite's),
// kInvalidArgument when the file is missing and `create` is false.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, bool create = true);

}  // namespace onecard
