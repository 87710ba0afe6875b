// The tables of exclusive drops: one migration (store/sqlite/migrations.cc lists it).
#pragma once

#include <string_view>

namespace onecard::sqlite {

std::string_view DropSchemaMigration();

}  // namespace onecard::sqlite
