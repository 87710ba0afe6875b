// The bytes kept with each committed order: the windows its uses fall in (for quotas and for
// giving them back on reverse) and the quote it committed (returned again on a retry). Benefits
// are named by id, so that a record outlives catalogue positions.
#pragma once

#include <string>
#include <string_view>

#include "core/benefit_catalog.h"
#include "core/benefit_usage.h"
#include "core/checkout_quote.h"
#include "core/result.h"

namespace onecard {

std::string EncodeCheckoutRecord(const UseWindow& window, const Quote& quote,
                                 const BenefitCatalog& catalog);
// Fails with kCorruptState on bytes it cannot read or a benefit the catalogue does not have.
Status DecodeCheckoutRecord(std::string_view bytes, const BenefitCatalog& catalog,
                            UseWindow* window, Quote* quote);

}  // namespace onecard
