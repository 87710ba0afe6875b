// [[drops]] of the program file: each entry's keys are read with their TOML types checked here,
// then the values go through the same ValidateDropRules (core/drop_rules.h) that operator drops
// pass, and a failure is reported at the key it names.
#include "engine/drop_config_loader.h"

#include <algorithm>
#include <vector>

#include "core/drop_limits.h"
#include "core/drop_schedule.h"

namespace onecard {
namespace {

const std::vector<std::string_view>& DropKeys() {
  static const std::vector<std::string_view> kKeys = {"id",
                                                      "product",
                                                      "mode",
                                                      "weekdays",
                                                      "date",
                                                      "time",
                                                      "units_per_slot",
                                                      "per_member_limit",
                                                      "window_minutes",
                                                      "hold_minutes",
                                                      "eligibility"};
  return kKeys;
}

const std::vector<std::string_view>& EligibilityKeys() {
  static const std::vector<std::string_view> kKeys = {"paid_plan", "min_tier"};
  return kKeys;
}

class DropReader {
 public:
  DropReader(std::string_view source, const toml::table& table, std::string path)
      : source_(source), table_(table), path_(std::move(path)) {}

  bool ok() const { return error_.ok(); }
  const Status& status() const { return error_; }

  void Fail(const toml::node* at, std::string_view key, const std::string& what) {
    if (!error_.ok()) return;
    const toml::source_region& where = at != nullptr ? at->source() : table_.source();
    const uint32_t line = where.begin.line == 0 ? 1 : where.begin.line;
    const uint32_t column = where.begin.column == 0 ? 1 : where.begin.column;
    const std::string field = key.empty() ? path_ : path_ + "." + std::string(key);
    error_ = MakeError(ErrorCode::kInvalidConfig, field,
                       std::string(source_) + ":" + std::to_string(line) + ":" +
                           std::to_string(column) + ": " + field + " " + what);
  }

  void CheckKeys(const toml::table& table, std::string_view prefix,
                 const std::vector<std::string_view>& allowed) {
    for (auto&& [key, node] : table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string names;
      for (std::string_view name : allowed)
        names += (names.empty() ? "" : ", ") + std::string(name);
      Fail(&node, std::string(prefix) + std::string(key.str()),
           "is not a key of a drop; expected only: " + names);
    }
  }

  std::string String(const toml::table& table, std::string_view key, std::string_view prefix = "") {
    const toml::node* node = table.get(key);
    const std::string field = std::string(prefix) + std::string(key);
    if (node == nullptr) {
      Fail(nullptr, field, "is missing");
      return {};
    }
    if (!node->is_string()) {
      Fail(node, field, "must be a string");
      return {};
    }
    return node->as_string()->get();
  }

  int64_t Integer(std::string_view key, int64_t max) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      Fail(nullptr, key, "is missing");
      return 0;
    }
    if (!node->is_integer()) {
      Fail(node, key, "must be an integer (unquoted)");
      return 0;
    }
    const int64_t value = node->as_integer()->get();
    if (value < 1 || value > max) {
      Fail(node, key, "is " + std::to_string(value) + "; expected 1 to " + std::to_string(max));
      return 0;
    }
    return value;
  }

  const toml::table& table() const { return table_; }

 private:
  std::string_view source_;
  const toml::table& table_;
  std::string path_;
  Status error_;
};

void ReadSchedule(DropReader& reader, DropRules& rules) {
  const toml::table& table = reader.table();
  const toml::node* weekdays = table.get("weekdays");
  const toml::node* date = table.get("date");
  if ((weekdays == nullptr) == (date == nullptr)) {
    reader.Fail(weekdays != nullptr ? weekdays : date, "weekdays",
                "and date: give exactly one (weekdays = [\"tue\"] or date = \"2025-06-03\")");
    return;
  }
  if (date != nullptr) {
    const std::string text = reader.String(table, "date");
    rules.schedule.date = ParseLocalDate(text);
    if (reader.ok() && !rules.schedule.date) {
      reader.Fail(date, "date", "\"" + text + "\" is not a date of the form YYYY-MM-DD");
    }
  } else if (!weekdays->is_array() || weekdays->as_array()->empty()) {
    reader.Fail(weekdays, "weekdays", "must be a non-empty array such as [\"tue\", \"thu\"]");
  } else {
    for (const toml::node& day : *weekdays->as_array()) {
      const auto* text = day.as_string();
      const std::optional<int32_t> index =
          text != nullptr ? ParseWeekdayName(text->get()) : std::nullopt;
      if (!index.has_value() || ((rules.schedule.weekdays >> *index) & 1) != 0) {
        reader.Fail(&day, "weekdays",
                    "holds an entry that is not one of mon, tue, wed, thu, fri, "
                    "sat, sun, or a day given twice");
        return;
      }
      rules.schedule.weekdays = static_cast<uint8_t>(rules.schedule.weekdays | (1u << *index));
    }
  }
  const std::string time = reader.String(table, "time");
  const std::optional<int32_t> minute = ParseMinuteOfDay(time);
  if (reader.ok() && !minute) {
    reader.Fail(table.get("time"), "time", "\"" + time + "\" is not a time of the form HH:MM");
  }
  rules.schedule.minute_of_day = minute.value_or(0);
}

void ReadEligibility(DropReader& reader, DropRules& rules) {
  const toml::node* node = reader.table().get("eligibility");
  if (node == nullptr || !node->is_table()) {
    reader.Fail(node, "eligibility",
                "must be a table [drops.eligibility] with paid_plan, min_tier");
    return;
  }
  const toml::table& table = *node->as_table();
  reader.CheckKeys(table, "eligibility.", EligibilityKeys());
  const toml::node* paid = table.get("paid_plan");
  if (paid == nullptr || !paid->is_boolean()) {
    reader.Fail(paid, "eligibility.paid_plan", "must be true or false");
    return;
  }
  rules.eligibility.paid_plan = paid->as_boolean()->get();
  rules.eligibility.min_tier = reader.String(table, "min_tier", "eligibility.");
}

DropRules ReadDrop(DropReader& reader) {
  DropRules rules;
  const toml::table& table = reader.table();
  reader.CheckKeys(table, "", DropKeys());
  rules.id = reader.String(table, "id");
  rules.product = reader.String(table, "product");
  const std::string mode = reader.String(table, "mode");
  if (mode == "lottery") {
    rules.mode = DropMode::kLottery;
  } else if (reader.ok() && mode != "first_come") {
    reader.Fail(table.get("mode"), "mode", "\"" + mode + "\" is not first_come or lottery");
  }
  ReadSchedule(reader, rules);
  rules.units_per_slot = reader.Integer("units_per_slot", limits::kDropUnitsPerSlotMax);
  rules.per_member_limit = reader.Integer("per_member_limit", limits::kDropPerMemberLimitMax);
  rules.window_minutes =
      static_cast<int32_t>(reader.Integer("window_minutes", limits::kDropWindowMinutesMax));
  rules.hold_minutes =
      static_cast<int32_t>(reader.Integer("hold_minutes", limits::kDropHoldMinutesMax));
  ReadEligibility(reader, rules);
  return rules;
}

// The TOML key a ValidateDropRules field comes from.
std::string_view KeyOfField(std::string_view field) {
  if (field == "schedule") return "weekdays";
  if (field == "schedule.time") return "time";
  return field;
}

}  // namespace

Status ReadDropsConfig(const toml::table& root, std::string_view source, const TierRules& tiers,
                       DropsConfig* drops) {
  const toml::node* node = root.get("drops");
  if (node == nullptr) return Status::Ok();
  const toml::array* array = node->as_array();
  DropReader top(source, root, "drops");
  if (array == nullptr || !array->is_array_of_tables()) {
    top.Fail(node, "", "must be an array of tables ([[drops]])");
    return top.status();
  }
  if (static_cast<int64_t>(array->size()) > limits::kDropsMax) {
    top.Fail(node, "",
             "has " + std::to_string(array->size()) + " drops; at most " +
                 std::to_string(limits::kDropsMax));
    return top.status();
  }
  for (size_t i = 0; i < array->size(); ++i) {
    const toml::table& table = *array->get(i)->as_table();
    DropReader reader(source, table, "drops[" + std::to_string(i) + "]");
    DropRules rules = ReadDrop(reader);
    if (!reader.ok()) return reader.status();
    if (Status valid = ValidateDropRules(rules, tiers); !valid.ok()) {
      const std::string_view key = KeyOfField(valid.error().field);
      const toml::node* at =
          key.rfind("eligibility.", 0) == 0 ? table.at_path(key).node() : table.get(key);
      reader.Fail(at, key, "is not valid: " + valid.error().message);
      return reader.status();
    }
    for (const DropRules& earlier : drops->drops) {
      if (earlier.id == rules.id) {
        reader.Fail(table.get("id"), "id", "\"" + rules.id + "\" names two drops");
        return reader.status();
      }
    }
    drops->drops.push_back(std::move(rules));
  }
  return Status::Ok();
}

}  // namespace onecard
