// Reads a program's rules (core/program_config.h) from its TOML file. The file is the only source
// of every rule number: nothing here has a default, so a key that is missing is an error, and so
// is a key this loader does not know (a typo must not silently leave a rule at zero).
//
// Schema (config/eighty-eight.toml is the annotated example; every key is required unless marked
// optional):
//
//   [program]   name, rule_version        non-empty strings (at most 128 bytes, no control chars)
//               utc_offset = "+08:00"     the program's clock (core/program_time.h ParseUtcOffset)
//               publication_day = 8       1..28: scores are published at 00:00 on this day
//   [score]     window_months = 12        1..120
//   [score.order_points.physical]         rate_per_unit = "0.1"  (points per currency unit), cap
//   [score.order_points.virtual]          rate_per_unit = "0.05", cap
//   [score.shopping]  month_cap, day_cap, shop_cap, category_cap
//   [score.reward]    review, review_photos_bonus, share, post, answer, month_cap
//   [score.active]    points_per_month
//   [score.breadth]   points_per_category, free_categories, cap
//   [score.credit]    default_level (one of the levels),
//                     levels = [{level = 1, base = 0, multiplier = "0.5"}, ... exactly levels 1..5]
//   [tiers]           levels = [{name = "registered", min_score = 0}, ...]
//                     names unique, [a-z0-9_]; min_score strictly ascending, the first 0
//   [tiers.invitation]  (optional) name, min_score, min_net_spend = "100000.00"
//                     name distinct from every tier of tiers.levels
//   [plan]            term_days (1..3660), min_tier ("" = every tier, else a name in tiers.levels),
//                     prices = [{min_score = 0, price = "888.00"}, ...] min_score strictly
//                     ascending, the first 0
//   [[drops]]         (optional) exclusive drops: see engine/drop_config_loader.h
//                     refund_policy ("full_if_unused", "full" or "none"; core/plan_refund_policy.h)
//
// Decimals are quoted strings, never TOML floats, so that they are read exactly: rate_per_unit
// has at most 6 places (held in parts per million), multiplier at most 3 (held in permille), money
// at most 2 (core/money.h ParseMoney). Every other number is a non-negative integer; points, caps,
// bases and score thresholds are at most kConfigPointsMax.
//
// Every error is ErrorCode::kInvalidConfig whose field is the dotted key it concerns
// ("score.shopping.day_cap", "tiers.levels[2].min_score") and whose message starts with
// "<source>:<line>:<column>: ". A TOML syntax error has an empty field and the parser's position.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

// Bounds on the values of a program file. They keep every product of the score arithmetic far
// inside int64 and catch a misplaced digit; real programs use numbers in the hundreds.
inline constexpr int64_t kConfigPointsMax = 1'000'000;     // any points, cap, base or threshold
inline constexpr int64_t kConfigRatePpmMax = 100'000'000;  // rate_per_unit at most "100"
inline constexpr int64_t kConfigMultiplierPermilleMax = 10'000;  // multiplier at most "10"
inline constexpr int32_t kConfigWindowMonthsMax = 120;
inline constexpr int32_t kConfigPublicationDayMax = 28;  // every month has the day
inline constexpr int32_t kConfigTermDaysMax = 3660;
inline constexpr int64_t kConfigListEntriesMax = 64;  // tiers.levels and plan.prices
inline constexpr int64_t kConfigTextBytesMax = 128;   // program.name, rule_version, tier names

// Parses and validates a program file's text. source_name is used only in messages (a path or a
// description such as "(built-in eighty-eight.toml)").
Result<ProgramConfig> ParseProgramConfig(std::string_view toml_text, std::string_view source_name);

// Reads the file at path and parses it with the path as source name. Fails with kIoError when the
// file cannot be read.
Result<ProgramConfig> LoadProgramConfig(const std::string& path);

}  // namespace onecard
