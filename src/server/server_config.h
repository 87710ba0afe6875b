// The serve command's own TOML file: a [server] table that overrides the defaults of
// server_limits.h. It is separate from the program config on purpose: the program config is
// recorded with the database and must not change, while limits are an operator's tuning and may
// differ between restarts and machines.
//
//   [server]
//   body_bytes_max = 16777216
//   rate_per_key_per_second = 10000
//   ...  (every field of ServerLimits, same names; omitted ones keep their defaults)
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "server/server_limits.h"

namespace onecard::server {

// Errors: kInvalidConfig naming the key ("server.rate_per_key_per_second") and, in the message,
// the file, line and column; an unknown key or table is an error too.
Result<ServerLimits> ParseServerConfig(std::string_view toml_text, std::string_view source_name);
Result<ServerLimits> LoadServerConfig(const std::string& path);

}  // namespace onecard::server
