// The rules of the brand points programs (PRODUCT §5) as plain values, loaded from the
// [[points_programs]] tables of the program file (engine/ledger_config_loader.cc). A brand runs
// its own program inside the ecosystem: members earn its points from any of its channels, the
// points sit in lots that expire, and can move to partner programs (a hotel chain) at a ratio with
// a bonus per block. Nothing here has a default: every number comes from the file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/program_time.h"

namespace onecard {

// Points per currency unit for purchases on one channel in one category; category "*" is the
// channel's rate for every category without a row of its own.
struct PointsRate {
  std::string channel;
  std::string category;
  int64_t rate_ppm = 0;  // points per currency unit in parts per million ("1" = 1000000)
};

struct PointsTierMultiplier {
  std::string tier;
  int64_t multiplier_permille = 0;  // "1.5" = 1500
};

// A campaign (a member day, the 88 festival): purchases dated in [from, until) on one of its
// channels (every channel when the list is empty) earn with its multiplier. When campaigns
// overlap the highest multiplier counts; they do not stack.
struct PointsCampaign {
  std::string id;
  Instant from;
  Instant until;
  int64_t multiplier_permille = 0;
  std::vector<std::string> channels;
};

// Status with a partner program: paid members hold `status` while paid; anybody else (or a paid
// member whose plan ends) keeps it for `challenge_status_days` after completing a challenge of
// `challenge_stays` qualifying stays within `challenge_window_days` of starting it.
struct PartnerStatusRules {
  std::string status;
  bool paid_members = false;
  int32_t challenge_stays = 0;
  int32_t challenge_window_days = 0;
  int32_t challenge_status_days = 0;
};

// Moving points out to a partner program: `ratio_from` brand points make `ratio_to` partner
// points; every full `block_points` moved in one exchange adds `block_bonus` partner points
// (3:1 with 15,000 per 60,000). An exchange waits for the partner's confirmation for at most
// `confirm_timeout_hours`, then it is voided and the points return.
struct PartnerExchange {
  std::string partner;  // id, [a-z0-9_]
  std::string name;
  int64_t ratio_from = 0;
  int64_t ratio_to = 0;
  int64_t block_points = 0;
  int64_t block_bonus = 0;
  int64_t min_points = 0;  // the smallest exchange, a multiple of ratio_from
  int32_t confirm_timeout_hours = 0;
  std::optional<PartnerStatusRules> status;
};

struct PointsProgram {
  std::string id;  // [a-z0-9_], used in account names and on the command line
  std::string name;
  std::string brand;
  std::vector<PointsRate> rates;                       // every channel has a "*" row
  std::vector<PointsTierMultiplier> tier_multipliers;  // tiers not listed earn ×1
  int64_t paid_multiplier_permille = 0;                // for members with an active paid plan
  std::vector<PointsCampaign> campaigns;
  int32_t lot_lifetime_days = 0;     // a lot expires this many days after its purchase
  int32_t pending_days = 0;          // points stay pending until the return window closes
  int32_t expiry_warning_days = 0;   // members are warned this many days before a lot expires
  int32_t hold_timeout_minutes = 0;  // a redemption hold at checkout is voided after this
  std::vector<PartnerExchange> partners;
};

struct PointsConfig {
  std::vector<PointsProgram> programs;
};

// The program with `id`, or nullptr.
const PointsProgram* FindPointsProgram(const PointsConfig& config, std::string_view id);
const PartnerExchange* FindPartner(const PointsProgram& program, std::string_view partner);

}  // namespace onecard
