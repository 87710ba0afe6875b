#include "core/benefit_catalog.h"

#include <array>

namespace onecard {
namespace {

constexpr std::array<std::string_view, kScenarioCount> kScenarioNames = {
    "eat", "play", "listen", "watch", "buy", "travel", "health", "finance", "home"};

constexpr std::array<std::string_view, 6> kKindNames = {
    "percent_discount", "monthly_voucher", "subscription", "points_multiplier", "gift",
    "partner_status"};

}  // namespace

std::string_view ScenarioName(Scenario scenario) {
  return kScenarioNames[static_cast<size_t>(scenario)];
}

std::optional<Scenario> ParseScenario(std::string_view name) {
  for (size_t i = 0; i < kScenarioNames.size(); ++i) {
    if (kScenarioNames[i] == name) return static_cast<Scenario>(i);
  }
  return std::nullopt;
}

std::string_view PartnerKindName(PartnerKind kind) {
  return kind == PartnerKind::kInternalApp ? "internal_app" : "external_brand";
}

std::optional<PartnerKind> ParsePartnerKind(std::string_view name) {
  if (name == "internal_app") return PartnerKind::kInternalApp;
  if (name == "external_brand") return PartnerKind::kExternalBrand;
  return std::nullopt;
}

std::string_view BenefitKindName(BenefitKind kind) { return kKindNames[static_cast<size_t>(kind)]; }

std::optional<BenefitKind> ParseBenefitKind(std::string_view name) {
  for (size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<BenefitKind>(i);
  }
  return std::nullopt;
}

bool IsCheckoutKind(BenefitKind kind) {
  return kind == BenefitKind::kPercentDiscount || kind == BenefitKind::kMonthlyVoucher ||
         kind == BenefitKind::kGift;
}

int32_t BenefitCatalog::FindBenefit(std::string_view id) const {
  for (size_t i = 0; i < benefits.size(); ++i) {
    if (benefits[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

int32_t BenefitCatalog::FindPartner(std::string_view id) const {
  for (size_t i = 0; i < partners.size(); ++i) {
    if (partners[i].id == id) return static_cast<int32_t>(i);
  }
  return -1;
}

uint64_t BenefitCatalog::FlagBit(std::string_view flag) const {
  for (size_t i = 0; i < known_flags.size(); ++i) {
    if (known_flags[i] == flag) return uint64_t{1} << i;
  }
  return 0;
}

}  // namespace onecard
