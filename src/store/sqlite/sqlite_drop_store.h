// The SQLite DropStore: its own connection to the program's database file (WAL, synchronous=FULL,
// a busy timeout), so that drops never wait on the score engine's connection. The schema is made
// by the main store's migrations (sqlite_drop_schema.cc); this connection only reads and writes.
// It must not outlive the Store that opened it, whose lock keeps other processes out.
#pragma once

#include <memory>
#include <string>

#include "store/drop_store.h"

namespace onecard {

Result<std::unique_ptr<DropStore>> OpenSqliteDropStore(const std::string& path);

}  // namespace onecard
