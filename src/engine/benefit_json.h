// The benefit listing (CheckoutService::ListBenefits) as rows of named cells, for `onecard benefits
// list` (table or JSON) and the HTTP API: the catalogue's columns, and for a member their
// availability and counters now. Every cell is a string ("" when the benefit has no such counter).
#pragma once

#include <string>
#include <vector>

#include "engine/checkout_service.h"

namespace onecard {

std::vector<std::string> BenefitListingHeader(bool for_member);
std::vector<std::string> BenefitListingCells(const BenefitCatalog& catalog,
                                             const BenefitListing& listing, bool for_member);
// [{"benefit": ..., "partner": ..., ...}, ...]: one object per listing, keys from the header.
std::string BenefitListingsJson(const BenefitCatalog& catalog,
                                const std::vector<BenefitListing>& listings, bool for_member);

}  // namespace onecard
