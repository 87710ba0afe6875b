// The benefit catalogue (PRODUCT §4) as plain values: partners, benefits of six kinds and the
// stacking rules of checkout. Loaded from the program's TOML file by the engine
// (engine/benefit_config_loader.h); every number here comes from that file.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/money.h"
#include "core/program_time.h"

namespace onecard {

// The nine scenarios of the ecosystem a partner belongs to.
enum class Scenario : uint8_t {
  kEat,
  kPlay,
  kListen,
  kWatch,
  kBuy,
  kTravel,
  kHealth,
  kFinance,
  kHome
};
inline constexpr int kScenarioCount = 9;
std::string_view ScenarioName(Scenario scenario);
std::optional<Scenario> ParseScenario(std::string_view name);

enum class PartnerKind : uint8_t { kInternalApp, kExternalBrand };
std::string_view PartnerKindName(PartnerKind kind);
std::optional<PartnerKind> ParsePartnerKind(std::string_view name);

struct Partner {
  std::string id;
  std::string name;
  PartnerKind kind = PartnerKind::kInternalApp;
  Scenario scenario = Scenario::kBuy;
};

enum class BenefitKind : uint8_t {
  kPercentDiscount,   // a share off flagged items, capped per member per month (Tmall 95%)
  kMonthlyVoucher,    // N vouchers of a face value each calendar month of the paid term
  kSubscription,      // a partner membership for the term, activated once
  kPointsMultiplier,  // a brand's points × N (the points ledger applies it)
  kGift,              // a gift or sample added to a qualifying order
  kPartnerStatus,     // status in a partner's own program (hotel gold)
};
std::string_view BenefitKindName(BenefitKind kind);
std::optional<BenefitKind> ParseBenefitKind(std::string_view name);
// Kinds a member chooses at checkout; the others are activated or only listed.
bool IsCheckoutKind(BenefitKind kind);

// Which cart lines a benefit may touch: a line matches when every non-empty list names its shop,
// brand and category respectively (all lists empty: every line).
struct LineScope {
  std::vector<std::string> shops;
  std::vector<std::string> brands;
  std::vector<std::string> categories;
};

struct PercentDiscountRule {
  int64_t rate_ppm = 0;  // the share taken off, in parts per million ("0.05" = 50000)
  // Only lines carrying this flag are discounted, and never a line carrying any excluded flag.
  std::string item_flag;
  std::vector<std::string> excluded_flags;
  Money month_cap;  // the most discount one member receives in one calendar month
  // Resolved by the loader from BenefitCatalog::known_flags.
  uint64_t item_flag_bit = 0;
  uint64_t excluded_mask = 0;
};

struct VoucherRule {
  int32_t per_month = 0;  // vouchers issued each calendar month the member is paid
  Money face_value;
  Money min_spend;        // matching spend needed per voucher used in one order
  int32_t per_order = 0;  // at most this many of them in one order
};

struct SubscriptionRule {
  std::string service;  // the partner's name for the membership granted
};

struct PointsMultiplierRule {
  int32_t multiplier = 0;  // the brand's points × multiplier
};

struct GiftRule {
  std::string item;  // what the partner ships
  Money min_spend;   // matching spend needed
};

struct PartnerStatusRule {
  std::string status;      // the partner program's level granted (e.g. "gold")
  int32_t keep_stays = 0;  // a challenge: this many stays ...
  int32_t keep_days = 0;   // ... within this many days keeps it (0 and 0: no challenge)
};

// Per member limits on uses (units: one per order, one per voucher): nullopt means no limit.
struct BenefitQuota {
  std::optional<int64_t> per_day;
  std::optional<int64_t> per_month;
  std::optional<int64_t> per_term;  // only for benefits that need the paid plan
};

// What the benefits may cost the program: nullopt means no limit.
struct BenefitBudget {
  std::optional<Money> total;
  std::optional<Money> per_month;
};

// What one use costs the program (its subsidy): per_use for each unit, plus the share of the
// discount the program funds, floored to the minor unit.
struct BenefitCost {
  Money per_use;
  int64_t discount_share_ppm = 0;
};

struct Benefit {
  std::string id;
  std::string name;
  int32_t partner = 0;  // index into BenefitCatalog::partners
  BenefitKind kind = BenefitKind::kGift;
  // Eligibility: the member's tier at least min_tier (empty: any tier, even none), and an active
  // paid plan when paid_required.
  std::string min_tier;
  int32_t min_tier_rank = -1;  // resolved by the loader; -1 when min_tier is empty
  bool paid_required = false;
  std::optional<Instant> valid_from;   // inclusive
  std::optional<Instant> valid_until;  // exclusive
  // Withdrawal: from withdrawn_at, only paid members whose current term began before it keep the
  // benefit, until that term ends and never at or after hard_stop.
  std::optional<Instant> withdrawn_at;
  std::optional<Instant> hard_stop;
  BenefitQuota quota;
  BenefitBudget budget;
  BenefitCost cost;
  std::string stacking_group;
  int32_t group_rank = 0;  // position of stacking_group in CheckoutRules::application_order
  LineScope scope;
  PercentDiscountRule percent;
  VoucherRule voucher;
  SubscriptionRule subscription;
  PointsMultiplierRule points;
  GiftRule gift;
  PartnerStatusRule status;
};

enum class PercentBase : uint8_t {
  kOriginal,    // a percent discount is computed on the line's price × quantity
  kDiscounted,  // ... on what is left of the line after the benefits applied before it
};

struct CheckoutRules {
  int32_t max_benefits_per_order = 0;
  // Stacking groups in the order their benefits apply; every benefit's group is listed.
  std::vector<std::string> application_order;
  // Each entry lists stacking groups of which one order may use benefits of one group only.
  std::vector<std::vector<std::string>> exclusive_groups;
  // exclusive_groups resolved: for each group rank, a bit per exclusive set it belongs to.
  std::vector<uint64_t> group_exclusive_sets;
  PercentBase percent_base = PercentBase::kOriginal;
};

struct BenefitCatalog {
  std::vector<Partner> partners;
  std::vector<Benefit> benefits;  // in the file's order; referred to by index
  CheckoutRules checkout;
  // Every flag named by a percent discount (item or excluded), so that a cart line's flags can be
  // turned into a bit set once per quote. At most 64.
  std::vector<std::string> known_flags;

  // The benefit with that id, or -1.
  int32_t FindBenefit(std::string_view id) const;
  int32_t FindPartner(std::string_view id) const;
  // The bit of a known flag, or 0 for a flag no rule names.
  uint64_t FlagBit(std::string_view flag) const;
};

}  // namespace onecard
