// The typed reader of the benefit catalogue's TOML (engine/benefit_config_loader.cc): each getter
// checks one key, and the first error is kept with the dotted key and the line, so that the section
// readers stay straight-line code. After an error the getters return placeholders that are never
// handed out.
#pragma once

#include <toml++/toml.h>

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/checkout_limits.h"
#include "core/money.h"
#include "core/program_config.h"
#include "core/result.h"

namespace onecard::benefit_config {

namespace lim = checkout_limits;
using Keys = std::initializer_list<std::string_view>;

inline std::string Join(std::string_view path, std::string_view key) {
  return std::string(path) + "." + std::string(key);
}

inline std::string Element(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

inline bool IsIdentifier(std::string_view text) {
  return !text.empty() && static_cast<int64_t>(text.size()) <= lim::kConfigTextBytesMax &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
         });
}

// Parses an unsigned decimal "0.05" into value × 10^places; nullopt when malformed or too large.
inline std::optional<int64_t> ParseScaledDecimal(std::string_view text, int places,
                                                 int64_t max_scaled) {
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (whole.empty() || whole.size() > 6) return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > size_t(places))) {
    return std::nullopt;
  }
  int64_t value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  for (int i = 0; i < places; ++i) {
    const char c = i < static_cast<int>(fraction.size()) ? fraction[static_cast<size_t>(i)] : '0';
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max_scaled) return std::nullopt;
  return value;
}

class CatalogReader {
 public:
  CatalogReader(std::string_view source, const ProgramConfig& config)
      : source_(source), time_(config.utc_offset_seconds), tiers_(config.tiers) {}

  bool ok() const { return !error_.has_value(); }
  const Error& error() const { return *error_; }

  void Fail(const toml::node& where, const std::string& field, const std::string& what) {
    if (error_.has_value()) return;
    const toml::source_position begin = where.source().begin;
    error_ = MakeError(ErrorCode::kInvalidConfig, field,
                       source_ + ":" + std::to_string(begin.line == 0 ? 1 : begin.line) + ":" +
                           std::to_string(begin.column == 0 ? 1 : begin.column) + ": " + field +
                           " " + what);
  }

  // The table at node with only `allowed` keys; nullptr (and an error) otherwise.
  const toml::table* AsTable(const toml::node& node, const std::string& path, Keys allowed) {
    const toml::table* table = node.as_table();
    if (table == nullptr) {
      Fail(node, path, "must be a table");
      return nullptr;
    }
    for (auto&& [key, value] : *table) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
        std::string names;
        for (std::string_view name : allowed)
          names += (names.empty() ? "" : ", ") + std::string(name);
        Fail(value, Join(path, key.str()), "is not a known key; expected only: " + names);
        return nullptr;
      }
    }
    return table;
  }

  const toml::node* Require(const toml::table& table, const std::string& path,
                            std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr) Fail(table, Join(path, key), "is missing (required)");
    return node;
  }

  std::optional<std::string> OptString(const toml::table& table, const std::string& path,
                                       std::string_view key) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !ok()) return std::nullopt;
    if (!node->is_string()) {
      Fail(*node, Join(path, key), "must be a quoted string");
      return std::nullopt;
    }
    return node->as_string()->get();
  }

  std::string String(const toml::table& table, const std::string& path, std::string_view key) {
    if (Require(table, path, key) == nullptr) return {};
    return OptString(table, path, key).value_or("");
  }

  // Printable text of 1..kConfigTextBytesMax bytes.
  std::string Text(const toml::table& table, const std::string& path, std::string_view key) {
    std::string text = String(table, path, key);
    if (!ok()) return text;
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
    });
    if (text.empty() || static_cast<int64_t>(text.size()) > lim::kConfigTextBytesMax ||
        !printable) {
      Fail(*table.get(key), Join(path, key),
           "must be printable text of 1 to " + std::to_string(lim::kConfigTextBytesMax) + " bytes");
    }
    return text;
  }

  std::string Identifier(const toml::table& table, const std::string& path, std::string_view key) {
    std::string text = String(table, path, key);
    if (ok() && !IsIdentifier(text)) {
      Fail(*table.get(key), Join(path, key),
           "\"" + text + "\" is not an identifier; expected [a-z0-9_], 1 to " +
               std::to_string(lim::kConfigTextBytesMax) + " characters");
    }
    return text;
  }

  std::optional<int64_t> OptInteger(const toml::table& table, const std::string& path,
                                    std::string_view key, int64_t min, int64_t max) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !ok()) return std::nullopt;
    const auto* integer = node->as_integer();
    if (integer == nullptr || integer->get() < min || integer->get() > max) {
      Fail(*node, Join(path, key),
           "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
      return std::nullopt;
    }
    return integer->get();
  }

  int64_t Integer(const toml::table& table, const std::string& path, std::string_view key,
                  int64_t min, int64_t max) {
    if (Require(table, path, key) == nullptr) return 0;
    return OptInteger(table, path, key, min, max).value_or(0);
  }

  bool Bool(const toml::table& table, const std::string& path, std::string_view key) {
    const toml::node* node = Require(table, path, key);
    if (node == nullptr) return false;
    if (!node->is_boolean()) {
      Fail(*node, Join(path, key), "must be true or false");
      return false;
    }
    return node->as_boolean()->get();
  }

  std::optional<Money> OptMoney(const toml::table& table, const std::string& path,
                                std::string_view key) {
    std::optional<std::string> text = OptString(table, path, key);
    if (!text.has_value()) return std::nullopt;
    Result<Money> money = ParseMoney(*text);
    if (!money.ok()) {
      Fail(*table.get(key), Join(path, key),
           "\"" + *text + "\" is not an amount: " + money.error().message +
               "; expected e.g. \"4.00\"");
      return std::nullopt;
    }
    return *money;
  }

  Money RequiredMoney(const toml::table& table, const std::string& path, std::string_view key) {
    if (Require(table, path, key) == nullptr) return Money{};
    return OptMoney(table, path, key).value_or(Money{});
  }

  // A quoted share from "0" to "1" with at most 6 places, in parts per million.
  int64_t Share(const toml::table& table, const std::string& path, std::string_view key) {
    std::string text = String(table, path, key);
    if (!ok()) return 0;
    std::optional<int64_t> ppm = ParseScaledDecimal(text, 6, 1'000'000);
    if (!ppm.has_value()) {
      Fail(*table.get(key), Join(path, key),
           "\"" + text + "\" must be a quoted decimal from \"0\" to \"1\" with at most 6 places");
      return 0;
    }
    return *ppm;
  }

  std::optional<Instant> OptInstant(const toml::table& table, const std::string& path,
                                    std::string_view key) {
    std::optional<std::string> text = OptString(table, path, key);
    if (!text.has_value()) return std::nullopt;
    Result<Instant> at = time_.ParseTimestamp(*text);
    if (!at.ok()) {
      Fail(*table.get(key), Join(path, key),
           "\"" + *text + "\" is not an ISO-8601 time: " + at.error().message);
      return std::nullopt;
    }
    return *at;
  }

  // An array of up to `max` strings (identifiers when `identifiers`) at node.
  std::vector<std::string> StringArray(const toml::node& node, const std::string& field,
                                       int64_t max, bool identifiers) {
    std::vector<std::string> out;
    const toml::array* array = node.as_array();
    if (array == nullptr || static_cast<int64_t>(array->size()) > max) {
      Fail(node, field, "must be an array of at most " + std::to_string(max) + " strings");
      return out;
    }
    for (size_t i = 0; i < array->size() && ok(); ++i) {
      const toml::node& item = *array->get(i);
      const auto* text = item.as_string();
      const bool valid =
          text != nullptr &&
          (identifiers ? IsIdentifier(text->get())
                       : !text->get().empty() &&
                             static_cast<int64_t>(text->get().size()) <= lim::kConfigTextBytesMax);
      if (!valid) {
        Fail(item, Element(field, i),
             identifiers ? "must be an identifier string ([a-z0-9_])"
                         : "must be a string of 1 to 128 bytes");
        return out;
      }
      out.push_back(text->get());
    }
    return out;
  }

  // The array at table.key (absent: empty).
  std::vector<std::string> StringList(const toml::table& table, const std::string& path,
                                      std::string_view key, int64_t max, bool identifiers) {
    const toml::node* node = table.get(key);
    if (node == nullptr || !ok()) return {};
    return StringArray(*node, Join(path, key), max, identifiers);
  }

  // The rank of a tier name: its index in tiers.levels, the invitation tier above them all.
  std::optional<int32_t> TierRank(std::string_view name) const {
    for (size_t i = 0; i < tiers_.tiers.size(); ++i) {
      if (tiers_.tiers[i].name == name) return static_cast<int32_t>(i);
    }
    if (tiers_.invitation.has_value() && tiers_.invitation->name == name) {
      return static_cast<int32_t>(tiers_.tiers.size());
    }
    return std::nullopt;
  }

 private:
  std::string source_;
  ProgramTime time_;
  const TierRules& tiers_;
  std::optional<Error> error_;
};

}  // namespace onecard::benefit_config
