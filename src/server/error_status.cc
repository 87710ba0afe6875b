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
    case ErrorCode::kInvalidKey:
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
    case ErrorCode::kIdempotencyConflict:
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
    // Exclusive drops: refusals by rule 422 (ineligible, over the limit, wrong moment), conflicts
    // with stored state 409 (sold out, claim states, draws), unknown drop or claim 404.
    case ErrorCode::kInvalidSlot:
    case ErrorCode::kWrongDropMode:
    case ErrorCode::kPaidPlanRequired:
    case ErrorCode::kTierTooLow:
    case ErrorCode::kOverMemberLimit:
    case ErrorCode::kDropNotOpen:
    case ErrorCode::kDrawNotReady:
      return 422;
    case ErrorCode::kDropExists:
    case ErrorCode::kSoldOut:
    case ErrorCode::kClaimConflict:
    case ErrorCode::kClaimNotHeld:
    case ErrorCode::kHoldExpired:
    case ErrorCode::kAlreadyDrawn:
      return 409;
    case ErrorCode::kUnknownDrop:
    case ErrorCode::kNoClaim:
    case ErrorCode::kNotDrawn:
      return 404;
    // The paid plan: every state the plan is in conflict with is 409; a refund the policy refuses
    // breaks a rule. (Malformed and reused idempotency keys are with the other input errors above.)
    case ErrorCode::kRefundNotAllowed:
      return 422;
    case ErrorCode::kPlanActive:
    case ErrorCode::kPlanNotActive:
    case ErrorCode::kPlanSuspended:
    case ErrorCode::kPlanRevoked:
    case ErrorCode::kPlanNotSuspended:
    case ErrorCode::kRenewalTooEarly:
    case ErrorCode::kConcurrentUpdate:
      return 409;
    // Benefits and checkout (issue 3); added so that the switch stays complete.
    case ErrorCode::kInvalidCart:
    case ErrorCode::kNotCheckoutBenefit:
      return 422;
    case ErrorCode::kUnknownBenefit:
    case ErrorCode::kUnknownOrder:
    case ErrorCode::kUnknownFulfilment:
    // Points ledger (issue 5): the codes must be mapped for the switch to compile; the server
    // helper owns the routes that will return them.
    case ErrorCode::kUnknownChannel:
    case ErrorCode::kInvalidPoints:
    case ErrorCode::kInsufficientPoints:
    case ErrorCode::kSameAccount:
    case ErrorCode::kNotPending:
    case ErrorCode::kPendingTimedOut:
    case ErrorCode::kRefundExceedsOrder:
    case ErrorCode::kConsentRequired:
    case ErrorCode::kNotLinked:
      return 422;
    case ErrorCode::kAlreadyPosted:
    case ErrorCode::kAlreadyVoided:
    case ErrorCode::kAlreadyLinked:
    case ErrorCode::kChallengeActive:
      return 409;
    case ErrorCode::kUnknownProgram:
    case ErrorCode::kUnknownTransfer:
    case ErrorCode::kUnknownPartner:
      return 404;
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
