#include "server/error_status.h"

#include <boost/json.hpp>

namespace onecard::server {

int HttpStatusFor(ErrorCode code) {
  // Input that cannot be read is 400; input that is well formed but breaks a rule of the program is
  // 422; a conflict with what is already stored is 409; what does not exist is 404.
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kUnknownField:
    case ErrorCode::kMissingField:
    case ErrorCode::kInvalidType:
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kLineTooLong:
    case ErrorCode::kInvalidIdempotencyKey:
      return 400;
    case ErrorCode::kUnknownEventType:
    case ErrorCode::kInvalidId:
    case ErrorCode::kInvalidMember:
    case ErrorCode::kInvalidAt:
    case ErrorCode::kInvalidAmount:
    case ErrorCode::kInvalidOrder:
    case ErrorCode::kInvalidText:
    case ErrorCode::kInvalidGoods:
    case ErrorCode::kInvalidLevel:
    case ErrorCode::kInvalidMonth:
    case ErrorCode::kNotEligible:
    case ErrorCode::kNotInvited:
    case ErrorCode::kInvalidConfig:
    case ErrorCode::kIdempotencyKeyReused:
      return 422;
    case ErrorCode::kIdConflict:
    case ErrorCode::kDuplicateOrder:
    case ErrorCode::kAlreadyPublished:
    case ErrorCode::kMonthNotAfterLatest:
    case ErrorCode::kInstantInFuture:
    case ErrorCode::kAlreadyInvited:
      return 409;
    case ErrorCode::kNotPublished:
    case ErrorCode::kUnknownMember:
      return 404;
    case ErrorCode::kLimitExceeded:
      return 413;
    case ErrorCode::kStoreError:
    case ErrorCode::kCorruptState:
    case ErrorCode::kIoError:
      return 500;
  }
  return 500;
}

std::string ErrorBody(std::string_view code, std::string_view message, std::string_view field) {
  boost::json::object error;
  error["code"] = code;
  error["message"] = message;
  error["field"] = field;
  boost::json::object body;
  body["error"] = std::move(error);
  return boost::json::serialize(body);
}

std::string ErrorBody(const Error& error) {
  return ErrorBody(ErrorCodeName(error.code), error.message, error.field);
}

}  // namespace onecard::server
