// A points program built in code for the ledger tests (config/eighty-eight.toml ships a realistic
// one; ledger_config_loader_test reads that). Round numbers so that expected values are easy to
// work out by hand:
//   program "shop": channel "online" 1 point per unit ("*"), category "big" 2 per unit;
//   channel "store" 1 per unit. Tier "super" ×1.5, paid ×10; campaign "double" ×2 on
//   2025-08-08 (UTC) on every channel. Lots live 100 days, pending 10 days, warnings 7 days,
//   holds time out after 15 minutes.
//   partner "hotel": 3:1, 15,000 bonus per 60,000, at least 3,000, confirm within 72 hours;
//   status "gold" for paid members, or 3 stays within 120 days, kept 365 days.
//   program "other": one channel "online" at 1 per unit, no partners (to test that programs are
//   separate ledgers).
#pragma once

#include "core/ledger_config.h"

namespace onecard::test_support {

inline constexpr int64_t kDayUs = 86'400'000'000;
// 2025-01-01T00:00:00Z.
inline constexpr Instant kJan1{1'735'689'600'000'000};
inline Instant Day(int64_t days) { return Instant{kJan1.us + days * kDayUs}; }

inline PointsConfig LedgerTestConfig() {
  PointsProgram shop;
  shop.id = "shop";
  shop.name = "Shop Club";
  shop.brand = "Shop";
  shop.rates = {
      {"online", "*", 1'000'000}, {"online", "big", 2'000'000}, {"store", "*", 1'000'000}};
  shop.tier_multipliers = {{"super", 1500}};
  shop.paid_multiplier_permille = 10'000;
  // 2025-08-08T00:00:00Z is day 219 of 2025.
  shop.campaigns = {{"double", Day(219), Day(220), 2000, {}}};
  shop.lot_lifetime_days = 100;
  shop.pending_days = 10;
  shop.expiry_warning_days = 7;
  shop.hold_timeout_minutes = 15;
  PartnerExchange hotel;
  hotel.partner = "hotel";
  hotel.name = "Hotel Rewards";
  hotel.ratio_from = 3;
  hotel.ratio_to = 1;
  hotel.block_points = 60'000;
  hotel.block_bonus = 15'000;
  hotel.min_points = 3'000;
  hotel.confirm_timeout_hours = 72;
  hotel.status = PartnerStatusRules{"gold", true, 3, 120, 365};
  shop.partners = {hotel};
  PointsProgram other;
  other.id = "other";
  other.name = "Other Club";
  other.brand = "Other";
  other.rates = {{"online", "*", 1'000'000}};
  other.paid_multiplier_permille = 1000;
  other.lot_lifetime_days = 100;
  other.pending_days = 0;
  other.expiry_warning_days = 7;
  other.hold_timeout_minutes = 15;
  PointsConfig config;
  config.programs = {shop, other};
  return config;
}

}  // namespace onecard::test_support
