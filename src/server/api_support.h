// What every handler file of the API shares: the routed call, JSON answers and error answers, and
// the readers of small JSON request bodies (unknown fields rejected, naming the field).
#pragma once

#include <boost/json.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "server/api.h"

namespace onecard::server {

// One request after routing: its path parameters, query, caller and idempotency.
struct Api::Call {
  ApiRequest* request = nullptr;
  const Route* route = nullptr;
  std::map<std::string, std::string> params;  // {id}, {month}, {drop}
  std::map<std::string, std::string> query;
  ApiKey key;
  std::optional<IdempotencyRecord> idempotency;  // POST with an Idempotency-Key
};

ApiResponse Json(int status, const boost::json::value& value);
// A body that is JSON already (the engine's writers: plan_json, checkout_codec, ...).
ApiResponse JsonText(int status, std::string body);
ApiResponse Fail(int status, std::string_view code, std::string_view message,
                 std::string_view field);
ApiResponse Fail(const Error& error);

// Reads a POST body that must be an object of string fields named in `allowed` (all required).
Result<std::map<std::string, std::string>> StringFields(const std::string& body,
                                                        const std::vector<std::string>& allowed);
// An empty body or {} (routes that take no fields).
Status EmptyBody(const std::string& body);

// A field of a small request object.
struct BodyField {
  enum class Type { kString, kBool, kInteger };
  std::string name;
  Type type = Type::kString;
  bool required = false;
};
// Reads a body that must be a JSON object (an empty body counts as {}) of the given fields, each
// of its type; unknown fields are kUnknownField, a wrong type kInvalidType, a missing required one
// kMissingField, each naming the field.
Result<boost::json::object> ObjectBody(const std::string& body,
                                       const std::vector<BodyField>& fields);

// The key a service with idempotency keys of its own (the plan, checkout commits) gets for an
// HTTP Idempotency-Key: the API key's id, length-prefixed so that no two (key id, key) pairs give
// the same string, then the client's key.
std::string ServiceKey(std::string_view key_id, std::string_view idempotency_key);

}  // namespace onecard::server
