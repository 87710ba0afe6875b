// The SQLite schema of the points ledger (issue 5): two migrations of migrations.cc (the log,
// then its snapshots).
#pragma once

#include <string_view>

namespace onecard::sqlite {

extern const std::string_view kLedgerSchema;
extern const std::string_view kLedgerSnapshotSchema;

}  // namespace onecard::sqlite
