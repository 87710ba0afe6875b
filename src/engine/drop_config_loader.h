// Reads the program file's [[drops]] (PRODUCT §6) into DropsConfig; called by the program config
// loader (engine/config_loader.cc) once the tiers are read, since a drop may name a minimum tier.
//
// Schema (config/eighty-eight.toml has the annotated example); the key is optional and may hold
// any number of drops up to limits::kDropsMax:
//   [[drops]]
//   id = "fold-phone"            [a-z0-9_-], 1..64 bytes, unique
//   product = "…"                printable text, 1..256 bytes
//   mode = "first_come"          or "lottery"
//   weekdays = ["tue", "thu"]    mon … sun, each at most once   } exactly one of the two
//   date = "2025-06-03"          a one-off drop (program-local)  }
//   time = "10:00"               HH:MM, program time
//   units_per_slot = 200         1 … limits::kDropUnitsPerSlotMax
//   per_member_limit = 1         1 … limits::kDropPerMemberLimitMax
//   window_minutes = 60          claims (first_come) or registrations (lottery) are taken in
//                                [slot, slot + window); 1 … 1440
//   hold_minutes = 15            claimed or won units wait this long for confirmation; 1 … 10080
//   [drops.eligibility]
//   paid_plan = true             only members with an active paid term
//   min_tier = ""                "" every tier, else a tier of [tiers] (or the invitation tier)
// Errors are kInvalidConfig whose field is the dotted key ("drops[0].units_per_slot") and whose
// message starts with "<source>:<line>:<column>: ", like the rest of the program file.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "core/drop_rules.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

Status ReadDropsConfig(const toml::table& root, std::string_view source, const TierRules& tiers,
                       DropsConfig* drops);

}  // namespace onecard
