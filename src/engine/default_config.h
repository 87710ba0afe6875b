// The program config compiled into the binary (config/eighty-eight.toml at build time): used when
// a new database is opened without --config.
#pragma once

#include <string_view>

namespace onecard {

std::string_view DefaultConfigToml();

}  // namespace onecard
