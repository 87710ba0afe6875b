// The program file reader: toml++ parses, then one reader per section checks every key against
// the schema of config_loader.h and fills ProgramConfig. toml++ (as shipped by Debian) is built
// with exceptions; they are caught here and turned into errors, so none escapes.
#include "engine/config_loader.h"

#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>

#include "core/money.h"
#include "core/program_time.h"
#include "engine/drop_config_loader.h"
#include "engine/benefit_config_loader.h"
#include "engine/ledger_config_loader.h"  // points programs (issue 5)

namespace onecard {
namespace {

using Keys = std::initializer_list<std::string_view>;

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

std::string Element(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

// How a section is named in messages: "[score.shopping]", or "the top level".
std::string SectionName(std::string_view path) {
  return path.empty() ? std::string("the top level") : "[" + std::string(path) + "]";
}

std::string_view Describe(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

std::string JoinNames(Keys names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// Reads typed values out of the parsed document and keeps the first error, so that each section
// reader stays straight-line code. After an error the getters return placeholders (0, "", an
// empty table) that are never handed out: ParseProgramConfig returns the error instead.
class Reader {
 public:
  explicit Reader(std::string_view source) : source_(source) {}

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  void Fail(const toml::source_region& where, std::string field, const std::string& what) {
    if (error_.has_value()) return;
    // A node made implicitly (a parent of a [dotted.header]) may carry no position.
    const uint32_t line = where.begin.line == 0 ? 1 : where.begin.line;
    const uint32_t column = where.begin.column == 0 ? 1 : where.begin.column;
    error_ = MakeError(
        ErrorCode::kInvalidConfig, std::move(field),
        source_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + what);
  }

  // Rejects every key of table not in allowed.
  void CheckKeys(const toml::table& table, std::string_view path, Keys allowed) {
    for (auto&& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      const std::string field = Join(path, key.str());
      const toml::source_region& where =
          key.source().begin.line != 0 ? key.source() : node.source();
      Fail(where, field,
           "unknown key \"" + std::string(key.str()) + "\" in " + SectionName(path) +
               "; expected only: " + JoinNames(allowed));
    }
  }

  // The node at table.key, or nullptr (and an error) when it is missing.
  const toml::node* Require(const toml::table& table, std::string_view path, std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) {
      Fail(table.source(), Join(path, key),
           "missing required key \"" + std::string(key) + "\" in " + SectionName(path));
    }
    return node;
  }

  // The table at node, checked for unknown keys; an empty table after an error.
  const toml::table& AsTable(const toml::node* node, std::string_view path, Keys allowed) {
    if (node == nullptr) return Empty();
    const toml::table* table = node->as_table();
    if (table == nullptr) {
      Fail(node->source(), std::string(path),
           std::string(path) + " must be a table with keys " + JoinNames(allowed) + ", not " +
               std::string(Describe(*node)));
      return Empty();
    }
    CheckKeys(*table, path, allowed);
    return *table;
  }

  const toml::table& Table(const toml::table& parent, std::string_view path, std::string_view key,
                           Keys allowed) {
    return AsTable(Require(parent, path, key), Join(path, key), allowed);
  }

  // The array at parent.key with 1..kConfigListEntriesMax entries; an empty array after an error.
  const toml::array& Array(const toml::table& parent, std::string_view path, std::string_view key);

  int64_t Integer(const toml::table& table, std::string_view path, std::string_view key,
                  int64_t min, int64_t max);
  std::string String(const toml::table& table, std::string_view path, std::string_view key);
  // A quoted decimal with at most `places` places, returned scaled by 10^places, at most
  // max_scaled. example is shown in messages.
  int64_t Decimal(const toml::table& table, std::string_view path, std::string_view key, int places,
                  int64_t max_scaled, std::string_view example);
  Money Amount(const toml::table& table, std::string_view path, std::string_view key,
               std::string_view example);

  // A string that names something: non-empty, at most kConfigTextBytesMax bytes, no control
  // characters.
  std::string Text(const toml::table& table, std::string_view path, std::string_view key);

 private:
  static const toml::table& Empty() {
    static const toml::table kEmpty;
    return kEmpty;
  }

  // The string at table.key, or nullptr (and an error) when missing or of another type.
  const std::string* StringNode(const toml::table& table, std::string_view path,
                                std::string_view key, std::string_view expected);

  std::string source_;
  std::optional<Error> error_;
};

const toml::array& Reader::Array(const toml::table& parent, std::string_view path,
                                 std::string_view key) {
  static const toml::array kEmpty;
  const toml::node* node = Require(parent, path, key);
  if (node == nullptr) return kEmpty;
  const std::string field = Join(path, key);
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    Fail(node->source(), field,
         field + " must be an array of tables, not " + std::string(Describe(*node)));
    return kEmpty;
  }
  if (array->empty() || static_cast<int64_t>(array->size()) > kConfigListEntriesMax) {
    Fail(node->source(), field,
         field + " has " + std::to_string(array->size()) + " entries; expected 1 to " +
             std::to_string(kConfigListEntriesMax));
    return kEmpty;
  }
  return *array;
}

int64_t Reader::Integer(const toml::table& table, std::string_view path, std::string_view key,
                        int64_t min, int64_t max) {
  const toml::node* node = Require(table, path, key);
  if (node == nullptr) return 0;
  const std::string field = Join(path, key);
  const std::string expected =
      "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
  const auto* integer = node->as_integer();
  if (integer == nullptr) {
    Fail(node->source(), field,
         field + " is " + std::string(Describe(*node)) + "; " + expected + " (unquoted)");
    return 0;
  }
  const int64_t value = integer->get();
  if (value < min || value > max) {
    Fail(node->source(), field, field + " is " + std::to_string(value) + "; " + expected);
    return 0;
  }
  return value;
}

const std::string* Reader::StringNode(const toml::table& table, std::string_view path,
                                      std::string_view key, std::string_view expected) {
  const toml::node* node = Require(table, path, key);
  if (node == nullptr) return nullptr;
  const auto* text = node->as_string();
  if (text != nullptr) return &text->get();
  const std::string field = Join(path, key);
  if (node->is_floating_point() || node->is_integer()) {
    // The one mistake worth a hint: a number written bare would be read as a binary float.
    Fail(node->source(), field,
         field + " is " + std::string(Describe(*node)) + "; write it as a quoted string, e.g. " +
             std::string(key) + " = " + std::string(expected) +
             ", so that the decimal is read exactly");
  } else {
    Fail(node->source(), field,
         field + " is " + std::string(Describe(*node)) + "; expected a string such as " +
             std::string(expected));
  }
  return nullptr;
}

std::string Reader::String(const toml::table& table, std::string_view path, std::string_view key) {
  const std::string* text = StringNode(table, path, key, "\"...\"");
  return text == nullptr ? std::string() : *text;
}

std::string Reader::Text(const toml::table& table, std::string_view path, std::string_view key) {
  std::string text = String(table, path, key);
  if (!ok()) return text;
  const std::string field = Join(path, key);
  const toml::source_region& where = table.get(key)->source();
  if (text.empty() || static_cast<int64_t>(text.size()) > kConfigTextBytesMax) {
    Fail(where, field,
         field + " has " + std::to_string(text.size()) + " bytes; expected 1 to " +
             std::to_string(kConfigTextBytesMax));
  }
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      Fail(where, field, field + " contains a control character; expected printable text");
      break;
    }
  }
  return text;
}

// Parses an unsigned decimal such as "0.05" into value × 10^places. Returns what is wrong, or
// nothing on success.
std::optional<std::string> ParseScaled(std::string_view text, int places, int64_t max_scaled,
                                       int64_t* out) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  for (char c : text) {
    if ((c < '0' || c > '9') && c != '.') return "contains a character other than digits and '.'";
  }
  if (fraction.find('.') != std::string_view::npos) return "has more than one decimal point";
  if (whole.empty()) return "has no digits before the decimal point";
  if (dot != std::string_view::npos && fraction.empty()) {
    return "has no digits after the decimal point";
  }
  if (static_cast<int>(fraction.size()) > places) {
    return "has more than " + std::to_string(places) + " decimal places";
  }
  int64_t scale = 1;
  for (int i = 0; i < places; ++i) scale *= 10;
  int64_t value = 0;
  for (char c : whole) {
    value = value * 10 + (c - '0');
    if (value > max_scaled / scale) return "is too large";  // stops before any overflow
  }
  int64_t fraction_value = 0;
  for (int i = 0; i < places; ++i) {
    const size_t index = static_cast<size_t>(i);
    fraction_value = fraction_value * 10 + (index < fraction.size() ? fraction[index] - '0' : 0);
  }
  value = value * scale + fraction_value;
  if (value > max_scaled) return "is too large";
  *out = value;
  return std::nullopt;
}

int64_t Reader::Decimal(const toml::table& table, std::string_view path, std::string_view key,
                        int places, int64_t max_scaled, std::string_view example) {
  const std::string* text = StringNode(table, path, key, example);
  if (text == nullptr) return 0;
  int64_t value = 0;
  const std::optional<std::string> wrong = ParseScaled(*text, places, max_scaled, &value);
  if (wrong.has_value()) {
    int64_t scale = 1;
    for (int i = 0; i < places; ++i) scale *= 10;
    const std::string field = Join(path, key);
    Fail(table.get(key)->source(), field,
         field + " \"" + *text + "\" " + *wrong + "; expected a quoted decimal from \"0\" to \"" +
             std::to_string(max_scaled / scale) + "\" with at most " + std::to_string(places) +
             " decimal places, e.g. " + std::string(example));
    return 0;
  }
  return value;
}

Money Reader::Amount(const toml::table& table, std::string_view path, std::string_view key,
                     std::string_view example) {
  const std::string* text = StringNode(table, path, key, example);
  if (text == nullptr) return Money{};
  Result<Money> money = ParseMoney(*text);
  if (!money.ok()) {
    const std::string field = Join(path, key);
    Fail(table.get(key)->source(), field,
         field + ": " + money.error().message +
             "; expected a quoted amount with at most two decimal places, e.g. " +
             std::string(example));
    return Money{};
  }
  return *money;
}

// ---- Sections -------------------------------------------------------------------------------

void ReadProgram(Reader& reader, const toml::table& root, ProgramConfig& config) {
  const std::string_view path = "program";
  const toml::table& program =
      reader.Table(root, "", path, {"name", "rule_version", "utc_offset", "publication_day"});
  config.name = reader.Text(program, path, "name");
  config.rule_version = reader.Text(program, path, "rule_version");
  const std::string offset = reader.String(program, path, "utc_offset");
  if (reader.ok()) {
    Result<int32_t> seconds = ParseUtcOffset(offset);
    if (seconds.ok()) {
      config.utc_offset_seconds = *seconds;
    } else {
      reader.Fail(program.get("utc_offset")->source(), "program.utc_offset",
                  "program.utc_offset \"" + offset + "\" is not a UTC offset (" +
                      seconds.error().message + "); expected \"+08:00\", \"-05:30\" or \"Z\"");
    }
  }
  config.publication.day_of_month = static_cast<int32_t>(
      reader.Integer(program, path, "publication_day", 1, kConfigPublicationDayMax));
}

OrderPointsRule ReadOrderPoints(Reader& reader, const toml::table& parent, std::string_view path,
                                std::string_view key, std::string_view example) {
  const std::string sub = Join(path, key);
  const toml::table& table = reader.Table(parent, path, key, {"rate_per_unit", "cap"});
  OrderPointsRule rule;
  rule.rate_ppm = reader.Decimal(table, sub, "rate_per_unit", 6, kConfigRatePpmMax, example);
  rule.cap_points = reader.Integer(table, sub, "cap", 0, kConfigPointsMax);
  return rule;
}

void ReadShopping(Reader& reader, const toml::table& score, ScoreRules& rules) {
  const toml::table& order_points =
      reader.Table(score, "score", "order_points", {"physical", "virtual"});
  rules.shopping.physical =
      ReadOrderPoints(reader, order_points, "score.order_points", "physical", "\"0.1\"");
  rules.shopping.virtual_goods =
      ReadOrderPoints(reader, order_points, "score.order_points", "virtual", "\"0.05\"");

  const std::string_view path = "score.shopping";
  const toml::table& shopping = reader.Table(score, "score", "shopping",
                                             {"month_cap", "day_cap", "shop_cap", "category_cap"});
  rules.shopping.month_cap = reader.Integer(shopping, path, "month_cap", 0, kConfigPointsMax);
  rules.shopping.day_cap = reader.Integer(shopping, path, "day_cap", 0, kConfigPointsMax);
  rules.shopping.shop_cap = reader.Integer(shopping, path, "shop_cap", 0, kConfigPointsMax);
  rules.shopping.category_cap = reader.Integer(shopping, path, "category_cap", 0, kConfigPointsMax);
}

void ReadRewardActiveBreadth(Reader& reader, const toml::table& score, ScoreRules& rules) {
  const std::string_view reward_path = "score.reward";
  const toml::table& reward =
      reader.Table(score, "score", "reward",
                   {"review", "review_photos_bonus", "share", "post", "answer", "month_cap"});
  rules.reward.review = reader.Integer(reward, reward_path, "review", 0, kConfigPointsMax);
  rules.reward.review_photos_bonus =
      reader.Integer(reward, reward_path, "review_photos_bonus", 0, kConfigPointsMax);
  rules.reward.share = reader.Integer(reward, reward_path, "share", 0, kConfigPointsMax);
  rules.reward.post = reader.Integer(reward, reward_path, "post", 0, kConfigPointsMax);
  rules.reward.answer = reader.Integer(reward, reward_path, "answer", 0, kConfigPointsMax);
  rules.reward.month_cap = reader.Integer(reward, reward_path, "month_cap", 0, kConfigPointsMax);

  const toml::table& active = reader.Table(score, "score", "active", {"points_per_month"});
  rules.active.points_per_month =
      reader.Integer(active, "score.active", "points_per_month", 0, kConfigPointsMax);

  const std::string_view breadth_path = "score.breadth";
  const toml::table& breadth =
      reader.Table(score, "score", "breadth", {"points_per_category", "free_categories", "cap"});
  rules.breadth.points_per_category =
      reader.Integer(breadth, breadth_path, "points_per_category", 0, kConfigPointsMax);
  rules.breadth.free_categories =
      reader.Integer(breadth, breadth_path, "free_categories", 0, kConfigPointsMax);
  rules.breadth.cap = reader.Integer(breadth, breadth_path, "cap", 0, kConfigPointsMax);
}

constexpr int32_t kCreditLevelMin = 1;
constexpr int32_t kCreditLevelMax = 5;  // PRODUCT §1: credit levels are 1–5

void ReadCredit(Reader& reader, const toml::table& score, CreditRules& credit) {
  const std::string_view path = "score.credit";
  const toml::table& table = reader.Table(score, "score", "credit", {"default_level", "levels"});
  credit.default_level = static_cast<int32_t>(
      reader.Integer(table, path, "default_level", kCreditLevelMin, kCreditLevelMax));
  const toml::array& levels = reader.Array(table, path, "levels");
  std::vector<std::string> seen_at(kCreditLevelMax + 1);  // the entry that named each level
  for (size_t i = 0; i < levels.size() && reader.ok(); ++i) {
    const std::string entry = Element("score.credit.levels", i);
    const toml::table& level =
        reader.AsTable(levels.get(i), entry, {"level", "base", "multiplier"});
    CreditLevelRule rule;
    rule.level = static_cast<int32_t>(
        reader.Integer(level, entry, "level", kCreditLevelMin, kCreditLevelMax));
    rule.base = reader.Integer(level, entry, "base", 0, kConfigPointsMax);
    rule.multiplier_permille =
        reader.Decimal(level, entry, "multiplier", 3, kConfigMultiplierPermilleMax, "\"1.1\"");
    if (!reader.ok()) return;
    std::string& first = seen_at[static_cast<size_t>(rule.level)];
    if (!first.empty()) {
      reader.Fail(level.get("level")->source(), entry + ".level",
                  "credit level " + std::to_string(rule.level) + " is given twice (also in " +
                      first + "); expected each of levels 1 to 5 once");
      return;
    }
    first = entry;
    credit.levels.push_back(rule);
  }
  if (!reader.ok()) return;
  for (int32_t level = kCreditLevelMin; level <= kCreditLevelMax; ++level) {
    if (seen_at[static_cast<size_t>(level)].empty()) {
      reader.Fail(table.get("levels")->source(), "score.credit.levels",
                  "score.credit.levels has no entry for level " + std::to_string(level) +
                      "; expected each of levels 1 to 5 once");
      return;
    }
  }
  std::sort(credit.levels.begin(), credit.levels.end(),
            [](const CreditLevelRule& a, const CreditLevelRule& b) { return a.level < b.level; });
}

void ReadScore(Reader& reader, const toml::table& root, ScoreRules& rules) {
  const toml::table& score = reader.Table(
      root, "", "score",
      {"window_months", "order_points", "shopping", "reward", "active", "breadth", "credit"});
  rules.window_months = static_cast<int32_t>(
      reader.Integer(score, "score", "window_months", 1, kConfigWindowMonthsMax));
  ReadShopping(reader, score, rules);
  ReadRewardActiveBreadth(reader, score, rules);
  ReadCredit(reader, score, rules.credit);
}

bool IsTierName(std::string_view name) {
  return !name.empty() && static_cast<int64_t>(name.size()) <= kConfigTextBytesMax &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// A tier name at table.key: [a-z0-9_]+.
std::string ReadTierName(Reader& reader, const toml::table& table, std::string_view path) {
  std::string name = reader.String(table, path, "name");
  if (reader.ok() && !IsTierName(name)) {
    reader.Fail(table.get("name")->source(), Join(path, "name"),
                Join(path, "name") + " \"" + name + "\" is not a tier name; expected 1 to " +
                    std::to_string(kConfigTextBytesMax) +
                    " characters of lower-case letters, digits and '_'");
  }
  return name;
}

void ReadTierLevels(Reader& reader, const toml::table& tiers, TierRules& rules) {
  const toml::array& levels = reader.Array(tiers, "tiers", "levels");
  for (size_t i = 0; i < levels.size() && reader.ok(); ++i) {
    const std::string entry = Element("tiers.levels", i);
    const toml::table& level = reader.AsTable(levels.get(i), entry, {"name", "min_score"});
    Tier tier;
    tier.name = ReadTierName(reader, level, entry);
    tier.min_score = reader.Integer(level, entry, "min_score", 0, kConfigPointsMax);
    if (!reader.ok()) return;
    for (size_t j = 0; j < rules.tiers.size(); ++j) {
      if (rules.tiers[j].name == tier.name) {
        reader.Fail(level.get("name")->source(), entry + ".name",
                    "tier name \"" + tier.name + "\" is used twice (also in " +
                        Element("tiers.levels", j) + "); expected unique names");
        return;
      }
    }
    const toml::source_region& where = level.get("min_score")->source();
    if (i == 0 && tier.min_score != 0) {
      reader.Fail(where, entry + ".min_score",
                  "the first tier \"" + tier.name + "\" has min_score " +
                      std::to_string(tier.min_score) +
                      "; expected 0, so that every score has a tier");
    } else if (i > 0 && tier.min_score <= rules.tiers.back().min_score) {
      reader.Fail(where, entry + ".min_score",
                  "tier \"" + tier.name + "\" has min_score " + std::to_string(tier.min_score) +
                      ", not above the " + std::to_string(rules.tiers.back().min_score) +
                      " of the tier before it (\"" + rules.tiers.back().name +
                      "\"); expected tiers in strictly ascending min_score");
    }
    rules.tiers.push_back(std::move(tier));
  }
}

void ReadInvitation(Reader& reader, const toml::table& tiers, TierRules& rules) {
  const toml::node* node = tiers.get("invitation");
  if (node == nullptr) return;  // a program without an invitation-only tier
  const std::string_view path = "tiers.invitation";
  const toml::table& table = reader.AsTable(node, path, {"name", "min_score", "min_net_spend"});
  InvitationTier invitation;
  invitation.name = ReadTierName(reader, table, path);
  invitation.min_score = reader.Integer(table, path, "min_score", 0, kConfigPointsMax);
  invitation.min_net_spend = reader.Amount(table, path, "min_net_spend", "\"100000.00\"");
  if (!reader.ok()) return;
  for (const Tier& tier : rules.tiers) {
    if (tier.name == invitation.name) {
      reader.Fail(table.get("name")->source(), "tiers.invitation.name",
                  "the invitation tier \"" + invitation.name +
                      "\" has the name of a tier in tiers.levels; expected a distinct name");
      return;
    }
  }
  rules.invitation = std::move(invitation);
}

void ReadTiers(Reader& reader, const toml::table& root, TierRules& rules) {
  const toml::table& tiers = reader.Table(root, "", "tiers", {"levels", "invitation"});
  ReadTierLevels(reader, tiers, rules);
  ReadInvitation(reader, tiers, rules);
}

void ReadPrices(Reader& reader, const toml::table& plan, PlanRules& rules) {
  const toml::array& prices = reader.Array(plan, "plan", "prices");
  for (size_t i = 0; i < prices.size() && reader.ok(); ++i) {
    const std::string entry = Element("plan.prices", i);
    const toml::table& row = reader.AsTable(prices.get(i), entry, {"min_score", "price"});
    PriceBand band;
    band.min_score = reader.Integer(row, entry, "min_score", 0, kConfigPointsMax);
    band.price = reader.Amount(row, entry, "price", "\"88.00\"");
    if (!reader.ok()) return;
    const toml::source_region& where = row.get("min_score")->source();
    if (i == 0 && band.min_score != 0) {
      reader.Fail(where, entry + ".min_score",
                  "the first price has min_score " + std::to_string(band.min_score) +
                      "; expected 0, so that every score has a price");
    } else if (i > 0 && band.min_score <= rules.prices.back().min_score) {
      reader.Fail(where, entry + ".min_score",
                  "price min_score " + std::to_string(band.min_score) + " is not above the " +
                      std::to_string(rules.prices.back().min_score) +
                      " of the price before it; expected strictly ascending min_score");
    }
    rules.prices.push_back(band);
  }
}

// The paid plan's refund policy: one of the names of core/plan_refund_policy.h.
void ReadRefundPolicy(Reader& reader, const toml::table& plan, PlanRules& rules) {
  const std::string name = reader.String(plan, "plan", "refund_policy");
  if (!reader.ok()) return;
  const std::optional<RefundPolicy> policy = ParseRefundPolicy(name);
  if (!policy.has_value()) {
    reader.Fail(plan.get("refund_policy")->source(), "plan.refund_policy",
                "plan.refund_policy \"" + name +
                    "\" is not a refund policy; expected \"full_if_unused\", \"full\" or \"none\"");
    return;
  }
  rules.refund_policy = *policy;
}

void ReadPlan(Reader& reader, const toml::table& root, ProgramConfig& config) {
  const std::string_view path = "plan";
  const toml::table& plan =
      reader.Table(root, "", path, {"term_days", "min_tier", "prices", "refund_policy"});
  PlanRules& rules = config.plan;
  rules.term_days =
      static_cast<int32_t>(reader.Integer(plan, path, "term_days", 1, kConfigTermDaysMax));
  rules.min_tier = reader.String(plan, path, "min_tier");
  if (reader.ok() && !rules.min_tier.empty()) {
    const std::vector<Tier>& tiers = config.tiers.tiers;
    const bool known = std::any_of(tiers.begin(), tiers.end(),
                                   [&](const Tier& tier) { return tier.name == rules.min_tier; });
    if (!known) {
      std::string names;
      for (const Tier& tier : tiers) names += (names.empty() ? "" : ", ") + tier.name;
      reader.Fail(
          plan.get("min_tier")->source(), "plan.min_tier",
          "plan.min_tier \"" + rules.min_tier +
              "\" is not a tier of tiers.levels; expected \"\" (every tier) or one of: " + names);
    }
  }
  ReadPrices(reader, plan, rules);
  ReadRefundPolicy(reader, plan, rules);
}

Error SyntaxError(std::string_view source, const toml::parse_error& error) {
  const toml::source_position& begin = error.source().begin;
  return MakeError(ErrorCode::kInvalidConfig, "",
                   std::string(source) + ":" + std::to_string(begin.line) + ":" +
                       std::to_string(begin.column) + ": " + std::string(error.description()));
}

}  // namespace

Result<ProgramConfig> ParseProgramConfig(std::string_view toml_text, std::string_view source_name) {
  try {
    const toml::table root = toml::parse(toml_text, source_name);
    Reader reader(source_name);
    reader.CheckKeys(root, "", {"program", "score", "tiers", "plan", "drops",
                                // Benefits and checkout (engine/benefit_config_loader.h).
                                "partners", "benefits", "checkout",
                                // Points programs (engine/ledger_config_loader.h).
                                "points_programs"});
    ProgramConfig config;
    ReadProgram(reader, root, config);
    ReadScore(reader, root, config.score);
    ReadTiers(reader, root, config.tiers);  // before the plan, whose min_tier names a tier
    ReadPlan(reader, root, config);
    if (!reader.ok()) return reader.error();
    // Exclusive drops: after the tiers, which a drop's min_tier names.
    if (Status drops = ReadDropsConfig(root, source_name, config.tiers, &config.drops);
        !drops.ok()) {
      return drops.error();
    }
    // Benefits and checkout: after the tiers, which min_tier names.
    auto catalog = ReadBenefitCatalog(root, source_name, config);
    if (!catalog.ok()) return catalog.error();
    config.benefits = std::move(catalog).value();
    // Points programs (issue 5): after [program] and [tiers], whose time zone and tier names
    // they use.
    if (Status points = ReadPointsPrograms(root, source_name, config); !points.ok()) {
      return points.error();
    }
    return config;
  } catch (const toml::parse_error& error) {
    return SyntaxError(source_name, error);
  } catch (const std::exception& error) {
    // Only allocation failures are expected here; they must not cross the engine's boundary.
    return MakeError(ErrorCode::kInvalidConfig, "",
                     std::string(source_name) + ":1:1: cannot read the config: " + error.what());
  }
}

Result<ProgramConfig> LoadProgramConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kIoError, "config",
                     "cannot read " + path + ": " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return MakeError(ErrorCode::kIoError, "config", "cannot read " + path);
  return ParseProgramConfig(text.str(), path);
}

}  // namespace onecard
