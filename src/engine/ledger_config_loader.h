// Reads the brand points programs (core/ledger_config.h) from the [[points_programs]] tables of a
// program file. Optional: a file without them runs no points programs. Schema (every key required
// unless marked optional; config/eighty-eight.toml is the annotated example):
//
//   [[points_programs]]
//     id                    [a-z0-9_], unique          name, brand   text
//     lot_lifetime_days     1..3660                    pending_days  0..365 (< lot_lifetime_days)
//     expiry_warning_days   0..365                     hold_timeout_minutes  1..10080
//     paid_multiplier       "10"                       (×, at most 3 places, 1..100)
//     rates = [{channel, category ("*" = every other), rate_per_unit = "1"}, ...]
//                           every channel has a "*" row; (channel, category) unique
//     tier_multipliers = [{tier, multiplier}, ...]     tiers of [tiers] (optional, may be empty)
//     [[points_programs.campaigns]]   (optional) id, from, until (ISO-8601, program time when no
//                           offset), multiplier, channels = [] (empty: every channel)
//     [[points_programs.partners]]    (optional) partner ([a-z0-9_]), name, ratio = "3:1",
//                           block_points, block_bonus, min_points (a multiple of the ratio's left
//                           side), confirm_timeout_hours
//       [points_programs.partners.status]  (optional) status, paid_members, challenge_stays,
//                           challenge_window_days, challenge_status_days
//
// Errors are kInvalidConfig naming the dotted key ("points_programs[0].rates[1].channel") with
// "<source>:<line>:<column>: " before the message, like the rest of the loader.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "core/ledger_config.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

inline constexpr int64_t kConfigPointsProgramsMax = 64;
inline constexpr int64_t kConfigPointsRowsMax = 256;  // rates, multipliers, campaigns, partners
inline constexpr int64_t kConfigPointsMultiplierPermilleMax = 100'000;  // "100"
inline constexpr int64_t kConfigPointsRatePpmMax = 100'000'000;         // "100" per unit
inline constexpr int64_t kConfigExchangePointsMax = 1'000'000'000;

// Fills config.points from root["points_programs"]; `config` already holds the program's time
// zone and tiers (campaign times and tier names are read against them).
Status ReadPointsPrograms(const toml::table& root, std::string_view source, ProgramConfig& config);

}  // namespace onecard
