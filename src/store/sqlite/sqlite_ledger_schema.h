// The SQLite schema of the points ledger (issue 5), one migration of migrations.cc.
#pragma once

#include <string_view>

namespace onecard::sqlite {

extern const std::string_view kLedgerSchema;

}  // namespace onecard::sqlite
