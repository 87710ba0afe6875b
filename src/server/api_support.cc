#include "server/api_support.h"

#include <algorithm>

#include "server/error_status.h"

namespace onecard::server {

namespace json = boost::json;

ApiResponse Json(int status, const json::value& value) {
  ApiResponse response;
  response.status = status;
  response.body = json::serialize(value);
  return response;
}

ApiResponse Fail(int status, std::string_view code, std::string_view message,
                 std::string_view field) {
  ApiResponse response;
  response.status = status;
  response.body = ErrorBody(code, message, field);
  return response;
}

ApiResponse Fail(const Error& error) {
  return Fail(HttpStatusFor(error.code), ErrorCodeName(error.code), error.message, error.field);
}

// Reads a POST body that must be an object of string fields named in `allowed` (all required).
Result<std::map<std::string, std::string>> StringFields(const std::string& body,
                                                        const std::vector<std::string>& allowed) {
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) return MakeError(ErrorCode::kInvalidJson, "body", "not valid JSON: " + ec.message());
  if (!value.is_object()) {
    return MakeError(ErrorCode::kInvalidJson, "body", "the body must be a JSON object");
  }
  std::map<std::string, std::string> fields;
  for (const auto& [key, field] : value.get_object()) {
    const std::string name(key);
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return MakeError(ErrorCode::kUnknownField, name, "unknown field " + QuoteInput(name));
    }
    if (!field.is_string()) {
      return MakeError(ErrorCode::kInvalidType, name, name + " must be a string");
    }
    fields[name] = std::string(field.get_string());
  }
  for (const std::string& name : allowed) {
    if (!fields.contains(name)) {
      return MakeError(ErrorCode::kMissingField, name, name + " is required");
    }
  }
  return fields;
}

// An empty body or {} (the invitation routes take no fields).
Status EmptyBody(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return Status::Ok();
  auto fields = StringFields(body, {});
  if (!fields.ok()) return fields.error();
  return Status::Ok();
}

ApiResponse JsonText(int status, std::string body) {
  ApiResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

Result<json::object> ObjectBody(const std::string& body, const std::vector<BodyField>& fields) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
    for (const BodyField& field : fields) {
      if (field.required) {
        return MakeError(ErrorCode::kMissingField, field.name, field.name + " is required");
      }
    }
    return json::object();
  }
  boost::system::error_code ec;
  json::value value = json::parse(body, ec);
  if (ec) return MakeError(ErrorCode::kInvalidJson, "body", "not valid JSON: " + ec.message());
  if (!value.is_object()) {
    return MakeError(ErrorCode::kInvalidJson, "body", "the body must be a JSON object");
  }
  json::object& object = value.get_object();
  for (const auto& [key, field_value] : object) {
    const std::string name(key);
    auto field = std::find_if(fields.begin(), fields.end(),
                              [&](const BodyField& f) { return f.name == name; });
    if (field == fields.end()) {
      return MakeError(ErrorCode::kUnknownField, name, "unknown field " + QuoteInput(name));
    }
    const bool typed = field->type == BodyField::Type::kString ? field_value.is_string()
                       : field->type == BodyField::Type::kBool ? field_value.is_bool()
                                                               : field_value.is_int64();
    if (!typed) {
      const char* type = field->type == BodyField::Type::kString ? "a string"
                         : field->type == BodyField::Type::kBool ? "true or false"
                                                                 : "a whole number";
      return MakeError(ErrorCode::kInvalidType, name, name + " must be " + type);
    }
  }
  for (const BodyField& field : fields) {
    if (field.required && !object.contains(field.name)) {
      return MakeError(ErrorCode::kMissingField, field.name, field.name + " is required");
    }
  }
  return std::move(object);
}

std::string ServiceKey(std::string_view key_id, std::string_view idempotency_key) {
  return std::to_string(key_id.size()) + ":" + std::string(key_id) + ":" +
         std::string(idempotency_key);
}

}  // namespace onecard::server
