#include "engine/benefit_json.h"

#include <boost/json.hpp>

#include "engine/checkout_codec.h"

namespace onecard {
namespace {

std::string Optional(const std::optional<int64_t>& value) {
  return value.has_value() ? std::to_string(*value) : "";
}

}  // namespace

std::vector<std::string> BenefitListingHeader(bool for_member) {
  std::vector<std::string> header = {"benefit", "partner", "scenario", "kind", "min_tier", "paid"};
  if (!for_member) {
    header.push_back("name");
    return header;
  }
  for (const char* column :
       {"availability", "vouchers_left", "cap_left", "month_left", "activation"}) {
    header.push_back(column);
  }
  return header;
}

std::vector<std::string> BenefitListingCells(const BenefitCatalog& catalog,
                                             const BenefitListing& listing, bool for_member) {
  const Benefit& b = catalog.benefits[static_cast<size_t>(listing.benefit)];
  const Partner& partner = catalog.partners[static_cast<size_t>(b.partner)];
  std::vector<std::string> cells = {b.id,
                                    partner.id,
                                    std::string(ScenarioName(partner.scenario)),
                                    std::string(BenefitKindName(b.kind)),
                                    b.min_tier.empty() ? "-" : b.min_tier,
                                    b.paid_required ? "yes" : "no"};
  if (!for_member) {
    cells.push_back(b.name);
    return cells;
  }
  cells.push_back(std::string(AvailabilityName(listing.availability)));
  cells.push_back(Optional(listing.vouchers_left));
  cells.push_back(listing.cap_left ? FormatMoney(*listing.cap_left) : "");
  cells.push_back(Optional(listing.month_left));
  cells.push_back(listing.fulfilment ? std::string(FulfilmentStatusName(listing.fulfilment->status))
                                     : "");
  return cells;
}

std::string BenefitListingsJson(const BenefitCatalog& catalog,
                                const std::vector<BenefitListing>& listings, bool for_member) {
  const std::vector<std::string> header = BenefitListingHeader(for_member);
  boost::json::array rows;
  for (const BenefitListing& listing : listings) {
    const std::vector<std::string> cells = BenefitListingCells(catalog, listing, for_member);
    boost::json::object row;
    for (size_t c = 0; c < header.size(); ++c) row[header[c]] = cells[c];
    rows.push_back(std::move(row));
  }
  return boost::json::serialize(rows);
}

}  // namespace onecard
