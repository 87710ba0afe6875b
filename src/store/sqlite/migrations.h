// The numbered schema migrations of the SQLite store. Migration N brings the schema from version
// N-1 to N (PRAGMA user_version); they run in order at open, each in its own transaction.
#pragma once

#include <string_view>
#include <vector>

namespace onecard::sqlite {

const std::vector<std::string_view>& Migrations();

}  // namespace onecard::sqlite
