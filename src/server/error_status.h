// The one table from onecard's error codes to HTTP statuses, and the JSON error body every error
// response carries: {"error":{"code":"...","message":"...","field":"..."}}.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace onecard::server {

// The HTTP status that answers `code` (400, 404, 409, 413, 422 or 500).
int HttpStatusFor(ErrorCode code);

// {"error":{"code":..,"message":..,"field":..}}; `field` may be empty.
std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field);
std::string ErrorBody(const Error& error);

}  // namespace onecard::server
