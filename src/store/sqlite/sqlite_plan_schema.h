// The paid plan's tables (one migration of migrations.cc).
#pragma once

#include <string_view>

namespace onecard::sqlite {

std::string_view PlanSchemaSql();

}  // namespace onecard::sqlite
