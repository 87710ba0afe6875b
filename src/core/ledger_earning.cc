#include "core/ledger_earning.h"

#include "core/assert.h"
#include "core/ledger_limits.h"

namespace onecard {

Result<EarnFactors> EarnFactorsFor(const PointsProgram& program, std::string_view channel,
                                   std::string_view category, Instant at,
                                   const MemberStanding& standing) {
  EarnFactors factors;
  const PointsRate* channel_rate = nullptr;
  const PointsRate* category_rate = nullptr;
  for (const PointsRate& rate : program.rates) {
    if (rate.channel != channel) continue;
    if (rate.category == "*") channel_rate = &rate;
    if (rate.category == category) category_rate = &rate;
  }
  if (channel_rate == nullptr && category_rate == nullptr) {
    return MakeError(ErrorCode::kUnknownChannel, "channel",
                     "program " + program.id + " has no channel " + QuoteInput(channel));
  }
  factors.rate_ppm = (category_rate != nullptr ? category_rate : channel_rate)->rate_ppm;
  for (const PointsTierMultiplier& tier : program.tier_multipliers) {
    if (tier.tier == standing.tier) factors.tier_permille = tier.multiplier_permille;
  }
  if (standing.paid) factors.paid_permille = program.paid_multiplier_permille;
  for (const PointsCampaign& campaign : program.campaigns) {
    if (at < campaign.from || at >= campaign.until) continue;
    bool on_channel = campaign.channels.empty();
    for (const std::string& name : campaign.channels) on_channel = on_channel || name == channel;
    if (on_channel && campaign.multiplier_permille > factors.campaign_permille) {
      factors.campaign_permille = campaign.multiplier_permille;
      factors.campaign = campaign.id;
    }
  }
  return factors;
}

int64_t EarnedPoints(Money amount, const EarnFactors& factors) {
  ONECARD_ASSERT(amount.minor >= 0 && amount.minor <= limits::kEarnAmountMinorMax);
  // amount (≤ 10^11) × rate (≤ 10^8) × three multipliers (≤ 10^5 each) < 10^34 < 2^127.
  __extension__ using Wide = __int128;
  Wide product = static_cast<Wide>(amount.minor) * factors.rate_ppm;
  product = product * factors.tier_permille * factors.paid_permille * factors.campaign_permille;
  // minor units per currency unit (100) × ppm (10^6) × three permille scales (10^9).
  const Wide scale = static_cast<Wide>(100) * 1'000'000 * 1'000'000'000;
  return static_cast<int64_t>(product / scale);
}

}  // namespace onecard
