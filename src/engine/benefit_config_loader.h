// Reads the benefit catalogue of a program file (core/benefit_catalog.h): [[partners]],
// [[benefits]] and [checkout]. Called by config_loader.cc after the tiers are read, strict in the
// same way: every key is checked, nothing has a default unless marked optional, and every error
// is kInvalidConfig naming the dotted key ("benefits[3].voucher.face_value") with
// "<source>:<line>:<column>: " in front of the message.
//
// Schema (config/eighty-eight.toml is the annotated example):
//
//   [[partners]]  id ([a-z0-9_], unique), name, kind ("internal_app" | "external_brand"),
//                 scenario (eat, play, listen, watch, buy, travel, health, finance, home)
//   [[benefits]]  id ([a-z0-9_], unique), name, partner (a partner id), kind (percent_discount,
//                 monthly_voucher, subscription, points_multiplier, gift, partner_status),
//                 stacking_group (listed in checkout.application_order),
//                 min_tier ("" or a tier name), paid_required (bool),
//                 cost = { per_use = "0.00", discount_share = "1.0" }
//                 optional: valid_from, valid_until, withdrawn_at + hard_stop (ISO-8601 strings,
//                 program time without an offset), quota = { day, month, term } (each optional;
//                 term needs paid_required), budget = { total, month } (money, each optional),
//                 scope = { shops, brands, categories } (arrays of strings, each optional)
//                 and exactly the table of its kind:
//                   percent = { rate = "0.05", item_flag, excluded_flags = [...], month_cap }
//                   voucher = { per_month, face_value, min_spend, per_order }  (paid_required)
//                   subscription = { service }                                  (paid_required)
//                   points = { multiplier }
//                   gift = { item, min_spend }
//                   status = { status, keep_stays, keep_days }
//   [checkout]    max_benefits_per_order (1..kChoicesMax), percent_base ("original" |
//                 "discounted"), application_order = [groups...], exclusive_groups = [[...], ...]
//
// The three sections are optional together (a program without benefits); [checkout] is required
// as soon as there is one benefit.
#pragma once

#include <toml++/toml.h>

#include <string_view>

#include "core/benefit_catalog.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard {

// Reads the catalogue from the parsed root table. `config` supplies the tiers (min_tier) and the
// program's clock (dates without an offset).
Result<BenefitCatalog> ReadBenefitCatalog(const toml::table& root, std::string_view source,
                                          const ProgramConfig& config);

}  // namespace onecard
