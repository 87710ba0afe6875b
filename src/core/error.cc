#include "core/error.h"

namespace onecard {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kUnknownField:
      return "unknown_field";
    case ErrorCode::kMissingField:
      return "missing_field";
    case ErrorCode::kInvalidType:
      return "invalid_type";
    case ErrorCode::kUnknownEventType:
      return "unknown_event_type";
    case ErrorCode::kInvalidId:
      return "invalid_id";
    case ErrorCode::kInvalidMember:
      return "invalid_member";
    case ErrorCode::kInvalidAt:
      return "invalid_at";
    case ErrorCode::kInvalidAmount:
      return "invalid_amount";
    case ErrorCode::kInvalidOrder:
      return "invalid_order";
    case ErrorCode::kInvalidText:
      return "invalid_text";
    case ErrorCode::kInvalidGoods:
      return "invalid_goods";
    case ErrorCode::kInvalidLevel:
      return "invalid_level";
    case ErrorCode::kLineTooLong:
      return "line_too_long";
    case ErrorCode::kIdConflict:
      return "id_conflict";
    case ErrorCode::kDuplicateOrder:
      return "duplicate_order";
    case ErrorCode::kLimitExceeded:
      return "limit_exceeded";
    case ErrorCode::kInvalidMonth:
      return "invalid_month";
    case ErrorCode::kAlreadyPublished:
      return "already_published";
    case ErrorCode::kMonthNotAfterLatest:
      return "month_not_after_latest";
    case ErrorCode::kInstantInFuture:
      return "instant_in_future";
    case ErrorCode::kNotPublished:
      return "not_published";
    case ErrorCode::kUnknownMember:
      return "unknown_member";
    case ErrorCode::kNotEligible:
      return "not_eligible";
    case ErrorCode::kNotInvited:
      return "not_invited";
    case ErrorCode::kAlreadyInvited:
      return "already_invited";
    case ErrorCode::kInvalidConfig:
      return "invalid_config";
    case ErrorCode::kStoreError:
      return "store_error";
    case ErrorCode::kCorruptState:
      return "corrupt_state";
    case ErrorCode::kIoError:
      return "io_error";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    // Exclusive drops.
    case ErrorCode::kUnknownDrop:
      return "unknown_drop";
    case ErrorCode::kDropExists:
      return "drop_exists";
    case ErrorCode::kDropNotOpen:
      return "drop_not_open";
    case ErrorCode::kInvalidSlot:
      return "invalid_slot";
    case ErrorCode::kWrongDropMode:
      return "wrong_drop_mode";
    case ErrorCode::kPaidPlanRequired:
      return "paid_plan_required";
    case ErrorCode::kTierTooLow:
      return "tier_too_low";
    case ErrorCode::kOverMemberLimit:
      return "over_member_limit";
    case ErrorCode::kSoldOut:
      return "sold_out";
    case ErrorCode::kClaimConflict:
      return "claim_conflict";
    case ErrorCode::kNoClaim:
      return "no_claim";
    case ErrorCode::kClaimNotHeld:
      return "claim_not_held";
    case ErrorCode::kHoldExpired:
      return "hold_expired";
    case ErrorCode::kDrawNotReady:
      return "draw_not_ready";
    case ErrorCode::kAlreadyDrawn:
      return "already_drawn";
    case ErrorCode::kNotDrawn:
      return "not_drawn";
    // The paid plan.
    case ErrorCode::kInvalidKey:
      return "invalid_key";
    case ErrorCode::kIdempotencyConflict:
      return "idempotency_conflict";
    case ErrorCode::kPlanActive:
      return "plan_active";
    case ErrorCode::kPlanNotActive:
      return "plan_not_active";
    case ErrorCode::kPlanSuspended:
      return "plan_suspended";
    case ErrorCode::kPlanRevoked:
      return "plan_revoked";
    case ErrorCode::kPlanNotSuspended:
      return "plan_not_suspended";
    case ErrorCode::kRenewalTooEarly:
      return "renewal_too_early";
    case ErrorCode::kRefundNotAllowed:
      return "refund_not_allowed";
    case ErrorCode::kConcurrentUpdate:
      return "concurrent_update";
    // Benefits and checkout.
    case ErrorCode::kUnknownBenefit:
      return "unknown_benefit";
    case ErrorCode::kInvalidCart:
      return "invalid_cart";
    case ErrorCode::kNotCheckoutBenefit:
      return "not_checkout_benefit";
    case ErrorCode::kUnknownOrder:
      return "unknown_order";
    case ErrorCode::kUnknownFulfilment:
      return "unknown_fulfilment";
    // Points ledger (issue 5).
    case ErrorCode::kUnknownProgram:
      return "unknown_program";
    case ErrorCode::kUnknownChannel:
      return "unknown_channel";
    case ErrorCode::kInvalidPoints:
      return "invalid_points";
    case ErrorCode::kInsufficientPoints:
      return "insufficient_points";
    case ErrorCode::kSameAccount:
      return "same_account";
    case ErrorCode::kUnknownTransfer:
      return "unknown_transfer";
    case ErrorCode::kNotPending:
      return "not_pending";
    case ErrorCode::kAlreadyPosted:
      return "already_posted";
    case ErrorCode::kAlreadyVoided:
      return "already_voided";
    case ErrorCode::kPendingTimedOut:
      return "pending_timed_out";
    case ErrorCode::kRefundExceedsOrder:
      return "refund_exceeds_order";
    case ErrorCode::kUnknownPartner:
      return "unknown_partner";
    case ErrorCode::kConsentRequired:
      return "consent_required";
    case ErrorCode::kNotLinked:
      return "not_linked";
    case ErrorCode::kAlreadyLinked:
      return "already_linked";
    case ErrorCode::kChallengeActive:
      return "challenge_active";
  }
  return "unknown_error";
}

std::string Error::ToString() const {
  std::string out(ErrorCodeName(code));
  if (!field.empty()) out += " (" + field + ")";
  if (!message.empty()) out += ": " + message;
  return out;
}

std::string QuoteInput(std::string_view text) {
  constexpr size_t kShownBytesMax = 40;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kShownBytesMax; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (text.size() > kShownBytesMax) out += "...";
  out += '"';
  return out;
}

}  // namespace onecard
