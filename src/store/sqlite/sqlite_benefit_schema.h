// The tables of benefits and checkout (issue 3), one migration of store/sqlite/migrations.cc.
#pragma once

#include <string_view>

namespace onecard::sqlite {

extern const std::string_view kBenefitSchemaSql;

}  // namespace onecard::sqlite
