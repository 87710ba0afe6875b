// The catalogue reader: one small typed reader (errors with key and line, first error kept) and
// one function per section. toml++ throws only on parse errors, which config_loader.cc catches
// before this runs; nothing here throws.
#include "engine/benefit_config_loader.h"

#include <algorithm>
#include <string>

#include "engine/benefit_config_reader.h"

namespace onecard {
namespace {

using benefit_config::CatalogReader;
using benefit_config::Element;
using benefit_config::Join;
namespace lim = checkout_limits;

// The array of tables at root.key (absent: empty), each checked to be a table.
std::vector<const toml::table*> TableArray(CatalogReader& reader, const toml::table& root,
                                           std::string_view key, int64_t max) {
  std::vector<const toml::table*> out;
  const toml::node* node = root.get(key);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr || static_cast<int64_t>(array->size()) > max) {
    reader.Fail(*node, std::string(key),
                "must be an array of at most " + std::to_string(max) + " tables ([[" +
                    std::string(key) + "]])");
    return out;
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table* table = array->get(i)->as_table();
    if (table == nullptr) {
      reader.Fail(*array->get(i), Element(key, i), "must be a table");
      return {};
    }
    out.push_back(table);
  }
  return out;
}

void ReadPartners(CatalogReader& reader, const toml::table& root, BenefitCatalog& catalog) {
  for (const toml::table* raw : TableArray(reader, root, "partners", lim::kPartnersMax)) {
    const std::string path = Element("partners", catalog.partners.size());
    const toml::table* table = reader.AsTable(*raw, path, {"id", "name", "kind", "scenario"});
    if (table == nullptr) return;
    Partner partner;
    partner.id = reader.Identifier(*table, path, "id");
    partner.name = reader.Text(*table, path, "name");
    const std::string kind = reader.String(*table, path, "kind");
    const std::string scenario = reader.String(*table, path, "scenario");
    if (!reader.ok()) return;
    if (catalog.FindPartner(partner.id) >= 0) {
      return reader.Fail(*table->get("id"), path + ".id",
                         "\"" + partner.id + "\" is used by another partner; ids are unique");
    }
    const std::optional<PartnerKind> parsed_kind = ParsePartnerKind(kind);
    if (!parsed_kind.has_value()) {
      return reader.Fail(*table->get("kind"), path + ".kind",
                         "\"" + kind + "\" must be \"internal_app\" or \"external_brand\"");
    }
    const std::optional<Scenario> parsed_scenario = ParseScenario(scenario);
    if (!parsed_scenario.has_value()) {
      return reader.Fail(*table->get("scenario"), path + ".scenario",
                         "\"" + scenario +
                             "\" must be one of eat, play, listen, watch, buy, travel, health, "
                             "finance, home");
    }
    partner.kind = *parsed_kind;
    partner.scenario = *parsed_scenario;
    catalog.partners.push_back(std::move(partner));
  }
}

void ReadCheckoutRules(CatalogReader& reader, const toml::table& root, BenefitCatalog& catalog) {
  const toml::node* node = root.get("checkout");
  if (node == nullptr) {
    if (!root.contains("benefits")) return;
    return reader.Fail(root, "checkout", "is missing; a program with benefits needs [checkout]");
  }
  const std::string path = "checkout";
  const toml::table* table = reader.AsTable(
      *node, path,
      {"max_benefits_per_order", "percent_base", "application_order", "exclusive_groups"});
  if (table == nullptr) return;
  CheckoutRules& rules = catalog.checkout;
  rules.max_benefits_per_order = static_cast<int32_t>(
      reader.Integer(*table, path, "max_benefits_per_order", 1, checkout_limits::kChoicesMax));
  const std::string base = reader.String(*table, path, "percent_base");
  if (reader.ok() && base != "original" && base != "discounted") {
    return reader.Fail(*table->get("percent_base"), path + ".percent_base",
                       "\"" + base + "\" must be \"original\" or \"discounted\"");
  }
  rules.percent_base = base == "discounted" ? PercentBase::kDiscounted : PercentBase::kOriginal;
  if (reader.Require(*table, path, "application_order") == nullptr) return;
  rules.application_order =
      reader.StringList(*table, path, "application_order", lim::kStackingGroupsMax, true);
  for (size_t i = 0; i < rules.application_order.size() && reader.ok(); ++i) {
    if (std::count(rules.application_order.begin(), rules.application_order.end(),
                   rules.application_order[i]) > 1) {
      return reader.Fail(*table->get("application_order"), path + ".application_order",
                         "names \"" + rules.application_order[i] + "\" twice");
    }
  }
  rules.group_exclusive_sets.assign(rules.application_order.size(), 0);
  if (reader.Require(*table, path, "exclusive_groups") == nullptr) return;
  const toml::array* sets = table->get("exclusive_groups")->as_array();
  if (sets == nullptr || static_cast<int64_t>(sets->size()) > lim::kExclusiveSetsMax) {
    return reader.Fail(*table->get("exclusive_groups"), path + ".exclusive_groups",
                       "must be an array of at most 64 arrays of stacking groups");
  }
  for (size_t i = 0; i < sets->size() && reader.ok(); ++i) {
    const std::string entry = Element(path + ".exclusive_groups", i);
    std::vector<std::string> groups =
        reader.StringArray(*sets->get(i), entry, lim::kStackingGroupsMax, true);
    for (const std::string& group : groups) {
      auto at = std::find(rules.application_order.begin(), rules.application_order.end(), group);
      if (at == rules.application_order.end()) {
        return reader.Fail(*sets->get(i), entry,
                           "names \"" + group + "\", which is not in checkout.application_order");
      }
      rules.group_exclusive_sets[static_cast<size_t>(at - rules.application_order.begin())] |=
          uint64_t{1} << i;
    }
    if (reader.ok() && groups.size() < 2) {
      return reader.Fail(*sets->get(i), entry, "must name at least two stacking groups");
    }
    rules.exclusive_groups.push_back(std::move(groups));
  }
}

void ReadQuotaBudgetCost(CatalogReader& reader, const toml::table& table, const std::string& path,
                         Benefit& benefit) {
  if (const toml::node* node = table.get("quota"); node != nullptr) {
    const std::string sub = path + ".quota";
    const toml::table* quota = reader.AsTable(*node, sub, {"day", "month", "term"});
    if (quota == nullptr) return;
    benefit.quota.per_day = reader.OptInteger(*quota, sub, "day", 1, lim::kQuotaUsesMax);
    benefit.quota.per_month = reader.OptInteger(*quota, sub, "month", 1, lim::kQuotaUsesMax);
    benefit.quota.per_term = reader.OptInteger(*quota, sub, "term", 1, lim::kQuotaUsesMax);
    if (reader.ok() && benefit.quota.per_term.has_value() && !benefit.paid_required) {
      return reader.Fail(*quota->get("term"), sub + ".term",
                         "needs paid_required = true: a term is a paid plan's term");
    }
  }
  if (const toml::node* node = table.get("budget"); node != nullptr) {
    const std::string sub = path + ".budget";
    const toml::table* budget = reader.AsTable(*node, sub, {"total", "month"});
    if (budget == nullptr) return;
    benefit.budget.total = reader.OptMoney(*budget, sub, "total");
    benefit.budget.per_month = reader.OptMoney(*budget, sub, "month");
  }
  const toml::node* cost_node = reader.Require(table, path, "cost");
  if (cost_node == nullptr) return;
  const std::string sub = path + ".cost";
  const toml::table* cost = reader.AsTable(*cost_node, sub, {"per_use", "discount_share"});
  if (cost == nullptr) return;
  benefit.cost.per_use = reader.RequiredMoney(*cost, sub, "per_use");
  benefit.cost.discount_share_ppm = reader.Share(*cost, sub, "discount_share");
}

void ReadValidity(CatalogReader& reader, const toml::table& table, const std::string& path,
                  Benefit& benefit) {
  benefit.valid_from = reader.OptInstant(table, path, "valid_from");
  benefit.valid_until = reader.OptInstant(table, path, "valid_until");
  benefit.withdrawn_at = reader.OptInstant(table, path, "withdrawn_at");
  benefit.hard_stop = reader.OptInstant(table, path, "hard_stop");
  if (!reader.ok()) return;
  if (benefit.valid_from && benefit.valid_until && *benefit.valid_until <= *benefit.valid_from) {
    return reader.Fail(*table.get("valid_until"), path + ".valid_until",
                       "must be after valid_from");
  }
  if (benefit.withdrawn_at.has_value() != benefit.hard_stop.has_value()) {
    const char* given = benefit.withdrawn_at ? "withdrawn_at" : "hard_stop";
    return reader.Fail(*table.get(given), path + "." + given,
                       "needs both withdrawn_at and hard_stop (the date no grandfathered member "
                       "keeps the benefit past)");
  }
  if (benefit.withdrawn_at && *benefit.hard_stop < *benefit.withdrawn_at) {
    return reader.Fail(*table.get("hard_stop"), path + ".hard_stop",
                       "must not be before withdrawn_at");
  }
}

void ReadScope(CatalogReader& reader, const toml::table& table, const std::string& path,
               Benefit& benefit) {
  const toml::node* node = table.get("scope");
  if (node == nullptr) return;
  const std::string sub = path + ".scope";
  const toml::table* scope = reader.AsTable(*node, sub, {"shops", "brands", "categories"});
  if (scope == nullptr) return;
  benefit.scope.shops = reader.StringList(*scope, sub, "shops", lim::kScopeEntriesMax, false);
  benefit.scope.brands = reader.StringList(*scope, sub, "brands", lim::kScopeEntriesMax, false);
  benefit.scope.categories =
      reader.StringList(*scope, sub, "categories", lim::kScopeEntriesMax, false);
}

// Registers a flag named by a percent discount and returns its bit.
uint64_t InternFlag(CatalogReader& reader, const toml::node& where, const std::string& field,
                    const std::string& flag, BenefitCatalog& catalog) {
  const uint64_t bit = catalog.FlagBit(flag);
  if (bit != 0) return bit;
  if (static_cast<int64_t>(catalog.known_flags.size()) >= lim::kKnownFlagsMax) {
    reader.Fail(where, field, "names more item flags than the 64 a catalogue may use");
    return 0;
  }
  catalog.known_flags.push_back(flag);
  return uint64_t{1} << (catalog.known_flags.size() - 1);
}

void ReadPercent(CatalogReader& reader, const toml::table& kind, const std::string& sub,
                 BenefitCatalog& catalog, Benefit& benefit) {
  PercentDiscountRule& rule = benefit.percent;
  rule.rate_ppm = reader.Share(kind, sub, "rate");
  rule.item_flag = reader.Identifier(kind, sub, "item_flag");
  if (reader.Require(kind, sub, "excluded_flags") == nullptr) return;
  rule.excluded_flags = reader.StringList(kind, sub, "excluded_flags", lim::kKnownFlagsMax, true);
  rule.month_cap = reader.RequiredMoney(kind, sub, "month_cap");
  if (!reader.ok()) return;
  if (rule.rate_ppm == 0) {
    return reader.Fail(*kind.get("rate"), sub + ".rate", "must be above \"0\"");
  }
  rule.item_flag_bit =
      InternFlag(reader, *kind.get("item_flag"), sub + ".item_flag", rule.item_flag, catalog);
  for (const std::string& flag : rule.excluded_flags) {
    if (flag == rule.item_flag) {
      return reader.Fail(*kind.get("excluded_flags"), sub + ".excluded_flags",
                         "contains the item_flag \"" + flag + "\" itself");
    }
    rule.excluded_mask |=
        InternFlag(reader, *kind.get("excluded_flags"), sub + ".excluded_flags", flag, catalog);
  }
}

void ReadVoucher(CatalogReader& reader, const toml::table& kind, const std::string& sub,
                 Benefit& benefit) {
  VoucherRule& rule = benefit.voucher;
  rule.per_month =
      static_cast<int32_t>(reader.Integer(kind, sub, "per_month", 1, lim::kVouchersPerMonthMax));
  rule.face_value = reader.RequiredMoney(kind, sub, "face_value");
  rule.min_spend = reader.RequiredMoney(kind, sub, "min_spend");
  rule.per_order =
      static_cast<int32_t>(reader.Integer(kind, sub, "per_order", 1, lim::kVouchersPerMonthMax));
  if (reader.ok() && rule.face_value.minor <= 0) {
    reader.Fail(*kind.get("face_value"), sub + ".face_value", "must be above 0.00");
  }
}

// The key of each kind's table, in BenefitKind order.
constexpr std::string_view kKindKeys[] = {"percent", "voucher", "subscription",
                                          "points",  "gift",    "status"};

void ReadKindRule(CatalogReader& reader, const toml::table& table, const std::string& path,
                  BenefitCatalog& catalog, Benefit& benefit) {
  const std::string_view key = kKindKeys[static_cast<size_t>(benefit.kind)];
  for (std::string_view other : kKindKeys) {
    if (other != key && table.contains(other)) {
      return reader.Fail(*table.get(other), Join(path, other),
                         "does not belong to a benefit of kind " +
                             std::string(BenefitKindName(benefit.kind)) + " (expected " +
                             std::string(key) + ")");
    }
  }
  const toml::node* node = reader.Require(table, path, key);
  if (node == nullptr) return;
  const std::string sub = Join(path, key);
  const toml::table* kind = nullptr;
  switch (benefit.kind) {
    case BenefitKind::kPercentDiscount:
      kind = reader.AsTable(*node, sub, {"rate", "item_flag", "excluded_flags", "month_cap"});
      if (kind != nullptr) ReadPercent(reader, *kind, sub, catalog, benefit);
      break;
    case BenefitKind::kMonthlyVoucher:
      kind = reader.AsTable(*node, sub, {"per_month", "face_value", "min_spend", "per_order"});
      if (kind != nullptr) ReadVoucher(reader, *kind, sub, benefit);
      break;
    case BenefitKind::kSubscription:
      kind = reader.AsTable(*node, sub, {"service"});
      if (kind != nullptr) benefit.subscription.service = reader.Text(*kind, sub, "service");
      break;
    case BenefitKind::kPointsMultiplier:
      kind = reader.AsTable(*node, sub, {"multiplier"});
      if (kind != nullptr) {
        benefit.points.multiplier = static_cast<int32_t>(
            reader.Integer(*kind, sub, "multiplier", 2, lim::kPointsMultiplierMax));
      }
      break;
    case BenefitKind::kGift:
      kind = reader.AsTable(*node, sub, {"item", "min_spend"});
      if (kind != nullptr) {
        benefit.gift.item = reader.Text(*kind, sub, "item");
        benefit.gift.min_spend = reader.RequiredMoney(*kind, sub, "min_spend");
      }
      break;
    case BenefitKind::kPartnerStatus:
      kind = reader.AsTable(*node, sub, {"status", "keep_stays", "keep_days"});
      if (kind != nullptr) {
        benefit.status.status = reader.Text(*kind, sub, "status");
        benefit.status.keep_stays =
            static_cast<int32_t>(reader.Integer(*kind, sub, "keep_stays", 0, 1'000));
        benefit.status.keep_days =
            static_cast<int32_t>(reader.Integer(*kind, sub, "keep_days", 0, 3'660));
      }
      break;
  }
}

// Keys every benefit has, then the identity checks that need the rest of the catalogue.
void ReadBenefitIdentity(CatalogReader& reader, const toml::table& table, const std::string& path,
                         const BenefitCatalog& catalog, Benefit& benefit) {
  benefit.id = reader.Identifier(table, path, "id");
  benefit.name = reader.Text(table, path, "name");
  const std::string partner = reader.String(table, path, "partner");
  const std::string kind = reader.String(table, path, "kind");
  benefit.stacking_group = reader.Identifier(table, path, "stacking_group");
  benefit.min_tier = reader.String(table, path, "min_tier");
  benefit.paid_required = reader.Bool(table, path, "paid_required");
  if (!reader.ok()) return;
  if (catalog.FindBenefit(benefit.id) >= 0) {
    return reader.Fail(*table.get("id"), path + ".id",
                       "\"" + benefit.id + "\" is used by another benefit; ids are unique");
  }
  benefit.partner = catalog.FindPartner(partner);
  if (benefit.partner < 0) {
    return reader.Fail(*table.get("partner"), path + ".partner",
                       "\"" + partner + "\" is not the id of a [[partners]] entry");
  }
  const std::optional<BenefitKind> parsed = ParseBenefitKind(kind);
  if (!parsed.has_value()) {
    return reader.Fail(*table.get("kind"), path + ".kind",
                       "\"" + kind +
                           "\" must be one of percent_discount, monthly_voucher, subscription, "
                           "points_multiplier, gift, partner_status");
  }
  benefit.kind = *parsed;
  if (!benefit.min_tier.empty()) {
    std::optional<int32_t> rank = reader.TierRank(benefit.min_tier);
    if (!rank.has_value()) {
      return reader.Fail(*table.get("min_tier"), path + ".min_tier",
                         "\"" + benefit.min_tier + "\" is not a tier of [tiers]");
    }
    benefit.min_tier_rank = *rank;
  }
  const auto& order = catalog.checkout.application_order;
  auto at = std::find(order.begin(), order.end(), benefit.stacking_group);
  if (at == order.end()) {
    return reader.Fail(
        *table.get("stacking_group"), path + ".stacking_group",
        "\"" + benefit.stacking_group + "\" is not listed in checkout.application_order");
  }
  benefit.group_rank = static_cast<int32_t>(at - order.begin());
  const bool needs_paid =
      benefit.kind == BenefitKind::kMonthlyVoucher || benefit.kind == BenefitKind::kSubscription;
  if (needs_paid && !benefit.paid_required) {
    return reader.Fail(*table.get("paid_required"), path + ".paid_required",
                       "must be true for a " + std::string(BenefitKindName(benefit.kind)) +
                           ": it is granted per month or term of the paid plan");
  }
}

void ReadBenefits(CatalogReader& reader, const toml::table& root, BenefitCatalog& catalog) {
  for (const toml::table* raw : TableArray(reader, root, "benefits", lim::kBenefitsMax)) {
    const std::string path = Element("benefits", catalog.benefits.size());
    const toml::table* table = reader.AsTable(
        *raw, path, {"id",        "name",          "partner",      "kind",        "stacking_group",
                     "min_tier",  "paid_required", "valid_from",   "valid_until", "withdrawn_at",
                     "hard_stop", "quota",         "budget",       "cost",        "scope",
                     "percent",   "voucher",       "subscription", "points",      "gift",
                     "status"});
    if (table == nullptr) return;
    Benefit benefit;
    ReadBenefitIdentity(reader, *table, path, catalog, benefit);
    if (reader.ok()) ReadValidity(reader, *table, path, benefit);
    if (reader.ok()) ReadQuotaBudgetCost(reader, *table, path, benefit);
    if (reader.ok()) ReadScope(reader, *table, path, benefit);
    if (reader.ok()) ReadKindRule(reader, *table, path, catalog, benefit);
    if (!reader.ok()) return;
    catalog.benefits.push_back(std::move(benefit));
  }
}

}  // namespace

Result<BenefitCatalog> ReadBenefitCatalog(const toml::table& root, std::string_view source,
                                          const ProgramConfig& config) {
  CatalogReader reader(source, config);
  BenefitCatalog catalog;
  ReadPartners(reader, root, catalog);
  if (reader.ok()) ReadCheckoutRules(reader, root, catalog);  // before benefits: groups
  if (reader.ok()) ReadBenefits(reader, root, catalog);
  if (!reader.ok()) return reader.error();
  return catalog;
}

}  // namespace onecard
