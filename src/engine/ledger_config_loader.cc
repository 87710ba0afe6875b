// The [[points_programs]] reader. It keeps the first error, like the main loader's Reader, so
// that each table reader stays straight-line code; after an error getters return placeholders
// that are never handed out.
#include "engine/ledger_config_loader.h"

#include <algorithm>
#include <initializer_list>
#include <optional>

namespace onecard {
namespace {

using Keys = std::initializer_list<std::string_view>;

std::string Join(std::string_view path, std::string_view key) {
  return std::string(path) + "." + std::string(key);
}
std::string Element(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

bool IsIdentifier(std::string_view text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

class PointsReader {
 public:
  PointsReader(std::string_view source, const ProgramConfig& config)
      : source_(source), time_(config.utc_offset_seconds), config_(config) {}

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  void Fail(const toml::node& where, const std::string& field, const std::string& what) {
    if (error_.has_value()) return;
    const auto& begin = where.source().begin;
    error_ = MakeError(ErrorCode::kInvalidConfig, field,
                       source_ + ":" + std::to_string(begin.line == 0 ? 1 : begin.line) + ":" +
                           std::to_string(begin.column == 0 ? 1 : begin.column) + ": " + field +
                           " " + what);
  }

  const toml::table* Table(const toml::node& node, const std::string& path, Keys allowed) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      Fail(node, path, "must be a table");
      return nullptr;
    }
    for (auto&& [key, value] : *table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        Fail(value, Join(path, key.str()), "is not a key of " + path);
      }
    }
    return table;
  }

  // The array at table.key (an empty one when absent and optional).
  const toml::array* Array(const toml::table& table, const std::string& path, std::string_view key,
                           bool required) {
    static const toml::array kEmpty;
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      if (required) Fail(table, Join(path, key), "is missing");
      return &kEmpty;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr || static_cast<int64_t>(array->size()) > kConfigPointsRowsMax) {
      Fail(*node, Join(path, key),
           "must be an array of at most " + std::to_string(kConfigPointsRowsMax) + " entries");
      return &kEmpty;
    }
    return array;
  }

  const toml::node* Require(const toml::table& table, const std::string& path,
                            std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) Fail(table, Join(path, key), "is missing");
    return node;
  }

  int64_t Integer(const toml::table& table, const std::string& path, std::string_view key,
                  int64_t min, int64_t max) {
    const toml::node* node = Require(table, path, key);
    if (node == nullptr) return 0;
    const auto* value = node->as_integer();
    if (value == nullptr || value->get() < min || value->get() > max) {
      Fail(*node, Join(path, key),
           "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return 0;
    }
    return value->get();
  }

  bool Bool(const toml::table& table, const std::string& path, std::string_view key) {
    const toml::node* node = Require(table, path, key);
    if (node == nullptr) return false;
    if (!node->is_boolean()) Fail(*node, Join(path, key), "must be true or false");
    return node->is_boolean() && node->as_boolean()->get();
  }

  std::string Text(const toml::table& table, const std::string& path, std::string_view key) {
    const toml::node* node = Require(table, path, key);
    if (node == nullptr) return "";
    const auto* value = node->as_string();
    if (value == nullptr || value->get().empty() || value->get().size() > 128 ||
        std::any_of(value->get().begin(), value->get().end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; })) {
      Fail(*node, Join(path, key), "must be a string of 1 to 128 printable bytes");
      return "";
    }
    return value->get();
  }

  std::string Identifier(const toml::table& table, const std::string& path, std::string_view key) {
    std::string text = Text(table, path, key);
    if (ok() && !IsIdentifier(text)) {
      Fail(*table.get(key), Join(path, key),
           "\"" + text + "\" must be 1 to 64 characters of a-z, 0-9 and '_'");
    }
    return text;
  }

  // A quoted decimal with at most `places` places, scaled by 10^places, in [min, max].
  int64_t Decimal(const toml::table& table, const std::string& path, std::string_view key,
                  int places, int64_t min, int64_t max) {
    const std::string text = Text(table, path, key);
    if (!ok()) return 0;
    int64_t value = 0;
    int64_t decimals = -1;  // digits after the point so far; -1 before the point
    bool digits = false;
    bool good = true;
    for (char c : text) {
      if (c == '.' && decimals < 0) {
        decimals = 0;
      } else if (c >= '0' && c <= '9' && decimals < places && value <= max) {
        value = value * 10 + (c - '0');
        digits = true;
        if (decimals >= 0) ++decimals;
      } else {
        good = false;
      }
    }
    for (int64_t d = std::max<int64_t>(decimals, 0); d < places && good; ++d) value *= 10;
    if (!good || !digits || decimals == 0 || value < min || value > max) {
      Fail(*table.get(key), Join(path, key),
           "\"" + text + "\" must be a quoted decimal with at most " + std::to_string(places) +
               " places, from " + Scaled(min, places) + " to " + Scaled(max, places));
      return 0;
    }
    return value;
  }

  Instant Time(const toml::table& table, const std::string& path, std::string_view key) {
    const std::string text = Text(table, path, key);
    if (!ok()) return Instant{};
    Result<Instant> at = time_.ParseTimestamp(text);
    if (!at.ok()) {
      Fail(*table.get(key), Join(path, key),
           "\"" + text + "\" is not an ISO-8601 time: " + at.error().message);
      return Instant{};
    }
    return *at;
  }

  bool IsTier(std::string_view name) const {
    for (const Tier& tier : config_.tiers.tiers) {
      if (tier.name == name) return true;
    }
    return config_.tiers.invitation.has_value() && config_.tiers.invitation->name == name;
  }

 private:
  static std::string Scaled(int64_t value, int places) {
    int64_t scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    std::string out = std::to_string(value / scale);
    if (value % scale != 0) {
      std::string fraction = std::to_string(value % scale + scale).substr(1);
      while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
      out += "." + fraction;
    }
    return "\"" + out + "\"";
  }

  std::string source_;
  ProgramTime time_;
  const ProgramConfig& config_;
  std::optional<Error> error_;
};

void ReadRates(PointsReader& r, const toml::table& table, const std::string& path,
               PointsProgram& program) {
  const toml::array* rates = r.Array(table, path, "rates", true);
  if (r.ok() && rates->empty()) r.Fail(table, Join(path, "rates"), "must name at least one rate");
  for (size_t i = 0; i < rates->size() && r.ok(); ++i) {
    const std::string entry = Element(Join(path, "rates"), i);
    const toml::table* row =
        r.Table(*rates->get(i), entry, {"channel", "category", "rate_per_unit"});
    if (row == nullptr) return;
    PointsRate rate;
    rate.channel = r.Identifier(*row, entry, "channel");
    rate.category = r.Text(*row, entry, "category");
    rate.rate_ppm = r.Decimal(*row, entry, "rate_per_unit", 6, 0, kConfigPointsRatePpmMax);
    for (const PointsRate& seen : program.rates) {
      if (r.ok() && seen.channel == rate.channel && seen.category == rate.category) {
        r.Fail(*row, entry, "repeats channel " + rate.channel + " and category " + rate.category);
      }
    }
    program.rates.push_back(std::move(rate));
  }
  for (const PointsRate& rate : program.rates) {
    const bool has_default =
        std::any_of(program.rates.begin(), program.rates.end(), [&](const PointsRate& other) {
          return other.channel == rate.channel && other.category == "*";
        });
    if (r.ok() && !has_default) {
      r.Fail(table, Join(path, "rates"),
             "has no category \"*\" row for channel " + rate.channel +
                 "; every channel needs its rate for other categories");
    }
  }
}

void ReadMultipliers(PointsReader& r, const toml::table& table, const std::string& path,
                     PointsProgram& program) {
  program.paid_multiplier_permille =
      r.Decimal(table, path, "paid_multiplier", 3, 1000, kConfigPointsMultiplierPermilleMax);
  const toml::array* tiers = r.Array(table, path, "tier_multipliers", false);
  for (size_t i = 0; i < tiers->size() && r.ok(); ++i) {
    const std::string entry = Element(Join(path, "tier_multipliers"), i);
    const toml::table* row = r.Table(*tiers->get(i), entry, {"tier", "multiplier"});
    if (row == nullptr) return;
    PointsTierMultiplier tier;
    tier.tier = r.Identifier(*row, entry, "tier");
    tier.multiplier_permille =
        r.Decimal(*row, entry, "multiplier", 3, 1000, kConfigPointsMultiplierPermilleMax);
    if (r.ok() && !r.IsTier(tier.tier)) r.Fail(*row, entry + ".tier", "is not a tier of [tiers]");
    program.tier_multipliers.push_back(std::move(tier));
  }
}

void ReadCampaigns(PointsReader& r, const toml::table& table, const std::string& path,
                   PointsProgram& program) {
  const toml::array* campaigns = r.Array(table, path, "campaigns", false);
  for (size_t i = 0; i < campaigns->size() && r.ok(); ++i) {
    const std::string entry = Element(Join(path, "campaigns"), i);
    const toml::table* row =
        r.Table(*campaigns->get(i), entry, {"id", "from", "until", "multiplier", "channels"});
    if (row == nullptr) return;
    PointsCampaign campaign;
    campaign.id = r.Identifier(*row, entry, "id");
    campaign.from = r.Time(*row, entry, "from");
    campaign.until = r.Time(*row, entry, "until");
    campaign.multiplier_permille =
        r.Decimal(*row, entry, "multiplier", 3, 1000, kConfigPointsMultiplierPermilleMax);
    if (r.ok() && campaign.until <= campaign.from) {
      r.Fail(*row, entry + ".until", "must be after from");
    }
    const toml::array* channels = r.Array(*row, entry, "channels", true);
    for (size_t c = 0; c < channels->size() && r.ok(); ++c) {
      const auto* name = channels->get(c)->as_string();
      const bool known = name != nullptr && std::any_of(program.rates.begin(), program.rates.end(),
                                                        [&](const PointsRate& rate) {
                                                          return rate.channel == name->get();
                                                        });
      if (!known) {
        r.Fail(*channels->get(c), Element(entry + ".channels", c), "is not a channel of rates");
        return;
      }
      campaign.channels.push_back(name->get());
    }
    program.campaigns.push_back(std::move(campaign));
  }
}

std::optional<PartnerStatusRules> ReadStatus(PointsReader& r, const toml::table& table,
                                             const std::string& path) {
  const toml::node* node = table.get("status");
  if (node == nullptr) return std::nullopt;
  const std::string sub = Join(path, "status");
  const toml::table* status = r.Table(*node, sub,
                                      {"status", "paid_members", "challenge_stays",
                                       "challenge_window_days", "challenge_status_days"});
  if (status == nullptr) return std::nullopt;
  PartnerStatusRules rules;
  rules.status = r.Identifier(*status, sub, "status");
  rules.paid_members = r.Bool(*status, sub, "paid_members");
  rules.challenge_stays = static_cast<int32_t>(r.Integer(*status, sub, "challenge_stays", 0, 1000));
  rules.challenge_window_days =
      static_cast<int32_t>(r.Integer(*status, sub, "challenge_window_days", 1, 3660));
  rules.challenge_status_days =
      static_cast<int32_t>(r.Integer(*status, sub, "challenge_status_days", 1, 3660));
  return rules;
}

void ReadPartner(PointsReader& r, const toml::node& node, const std::string& entry,
                 PointsProgram& program) {
  const toml::table* row = r.Table(node, entry,
                                   {"partner", "name", "ratio", "block_points", "block_bonus",
                                    "min_points", "confirm_timeout_hours", "status"});
  if (row == nullptr) return;
  PartnerExchange partner;
  partner.partner = r.Identifier(*row, entry, "partner");
  partner.name = r.Text(*row, entry, "name");
  const std::string ratio = r.Text(*row, entry, "ratio");
  const size_t colon = ratio.find(':');
  auto number = [](std::string_view text) -> int64_t {
    if (text.empty() || text.size() > 6) return 0;
    int64_t value = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return 0;
      value = value * 10 + (c - '0');
    }
    return value;
  };
  if (r.ok()) {
    partner.ratio_from = colon == std::string::npos ? 0 : number(ratio.substr(0, colon));
    partner.ratio_to = colon == std::string::npos ? 0 : number(ratio.substr(colon + 1));
    if (partner.ratio_from <= 0 || partner.ratio_to <= 0) {
      r.Fail(*row->get("ratio"), entry + ".ratio",
             "\"" + ratio + "\" must be \"brand:partner\" points, e.g. \"3:1\"");
    }
  }
  partner.block_points = r.Integer(*row, entry, "block_points", 1, kConfigExchangePointsMax);
  partner.block_bonus = r.Integer(*row, entry, "block_bonus", 0, kConfigExchangePointsMax);
  partner.min_points = r.Integer(*row, entry, "min_points", 1, kConfigExchangePointsMax);
  partner.confirm_timeout_hours =
      static_cast<int32_t>(r.Integer(*row, entry, "confirm_timeout_hours", 1, 24 * 90));
  if (r.ok() && partner.min_points % partner.ratio_from != 0) {
    r.Fail(*row->get("min_points"), entry + ".min_points",
           "must be a multiple of the ratio's " + std::to_string(partner.ratio_from));
  }
  partner.status = ReadStatus(r, *row, entry);
  for (const PartnerExchange& seen : program.partners) {
    if (r.ok() && seen.partner == partner.partner) {
      r.Fail(*row, entry + ".partner", "repeats partner " + partner.partner);
    }
  }
  program.partners.push_back(std::move(partner));
}

void ReadProgram(PointsReader& r, const toml::node& node, const std::string& path,
                 PointsConfig& points) {
  const toml::table* table =
      r.Table(node, path,
              {"id", "name", "brand", "lot_lifetime_days", "pending_days", "expiry_warning_days",
               "hold_timeout_minutes", "paid_multiplier", "rates", "tier_multipliers", "campaigns",
               "partners"});
  if (table == nullptr) return;
  PointsProgram program;
  program.id = r.Identifier(*table, path, "id");
  program.name = r.Text(*table, path, "name");
  program.brand = r.Text(*table, path, "brand");
  program.lot_lifetime_days =
      static_cast<int32_t>(r.Integer(*table, path, "lot_lifetime_days", 1, 3660));
  program.pending_days = static_cast<int32_t>(r.Integer(*table, path, "pending_days", 0, 365));
  program.expiry_warning_days =
      static_cast<int32_t>(r.Integer(*table, path, "expiry_warning_days", 0, 365));
  program.hold_timeout_minutes =
      static_cast<int32_t>(r.Integer(*table, path, "hold_timeout_minutes", 1, 7 * 24 * 60));
  if (r.ok() && program.pending_days >= program.lot_lifetime_days) {
    r.Fail(*table->get("pending_days"), path + ".pending_days",
           "must be below lot_lifetime_days, or points would expire while still pending");
  }
  ReadRates(r, *table, path, program);
  ReadMultipliers(r, *table, path, program);
  ReadCampaigns(r, *table, path, program);
  const toml::array* partners = r.Array(*table, path, "partners", false);
  for (size_t i = 0; i < partners->size() && r.ok(); ++i) {
    ReadPartner(r, *partners->get(i), Element(path + ".partners", i), program);
  }
  for (const PointsProgram& seen : points.programs) {
    if (r.ok() && seen.id == program.id) r.Fail(*table, path + ".id", "repeats id " + program.id);
  }
  points.programs.push_back(std::move(program));
}

}  // namespace

Status ReadPointsPrograms(const toml::table& root, std::string_view source, ProgramConfig& config) {
  const toml::node* node = root.get("points_programs");
  if (node == nullptr) return Status::Ok();
  PointsReader r(source, config);
  const toml::array* programs = node->as_array();
  if (programs == nullptr || static_cast<int64_t>(programs->size()) > kConfigPointsProgramsMax) {
    r.Fail(*node, "points_programs",
           "must be an array of at most " + std::to_string(kConfigPointsProgramsMax) +
               " tables ([[points_programs]])");
    return r.error();
  }
  for (size_t i = 0; i < programs->size() && r.ok(); ++i) {
    ReadProgram(r, *programs->get(i), Element("points_programs", i), config.points);
  }
  if (!r.ok()) return r.error();
  return Status::Ok();
}

}  // namespace onecard
