// Benefits over HTTP: the catalogue (every role: it holds no member's data) and what one member
// has of it now (engine/benefit_json.h, the CLI's writer).
#include "engine/benefit_json.h"
#include "server/api_support.h"

namespace onecard::server {

ApiResponse Api::BenefitCatalogue(const Call&) {
  if (services_.checkout == nullptr) return Unavailable("checkout");
  auto listings = services_.checkout->ListBenefits("", options_.clock());
  if (!listings.ok()) return Fail(listings.error());
  return JsonText(
      200, "{\"benefits\":" + BenefitListingsJson(services_.checkout->catalog(), *listings, false) +
               "}");
}

ApiResponse Api::MemberBenefits(const Call& call) {
  if (services_.checkout == nullptr) return Unavailable("checkout");
  const std::string& member = call.params.at("id");
  auto listings = services_.checkout->ListBenefits(member, options_.clock());
  if (!listings.ok()) return Fail(listings.error());
  return JsonText(
      200, "{\"member\":" + boost::json::serialize(boost::json::string(member)) + ",\"benefits\":" +
               BenefitListingsJson(services_.checkout->catalog(), *listings, true) + "}");
}

}  // namespace onecard::server
