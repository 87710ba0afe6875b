#include "server/auth.h"

#include <openssl/evp.h>
#include <toml++/toml.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

namespace onecard::server {
namespace {

Error KeysError(const std::string& field, const std::string& message) {
  return MakeError(ErrorCode::kInvalidConfig, field, "keys file: " + message);
}

bool IsHex64(std::string_view text) {
  if (text.size() != 64) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<Role> ParseRole(std::string_view name) {
  if (name == "admin") return Role::kAdmin;
  if (name == "app") return Role::kApp;
  if (name == "partner") return Role::kPartner;
  if (name == "member") return Role::kMember;
  return std::nullopt;
}

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kApp:
      return "app";
    case Role::kPartner:
      return "partner";
    case Role::kMember:
      return "member";
  }
  return "admin";
}

std::string Sha256Hex(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_bytes = 0;
  const int ok = EVP_Digest(text.data(), text.size(), digest, &digest_bytes, EVP_sha256(), nullptr);
  ONECARD_ASSERT(ok == 1);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < digest_bytes; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

// One entry of a keys file, as read from either format: each field present or not, and the names
// of fields the entry has that a key does not.
struct KeyRing::Entry {
  std::optional<std::string> id, role, member, sha256;
  std::vector<std::string> unknown;
};

Result<KeyRing> KeyRing::FromEntries(const std::vector<Entry>& entries) {
  KeyRing ring;
  for (size_t i = 0; i < entries.size(); ++i) {
    const Entry& entry = entries[i];
    const std::string at = "keys[" + std::to_string(i) + "]";
    if (!entry.unknown.empty()) {
      return KeysError(at + "." + entry.unknown.front(),
                       at + ": unknown field \"" + entry.unknown.front() +
                           "\" (a key has id, role, member and sha256)");
    }
    ApiKey key;
    key.id = entry.id.value_or("");
    if (key.id.empty()) return KeysError(at + ".id", at + " needs a string \"id\"");
    auto role = ParseRole(entry.role.value_or(""));
    if (!role) return KeysError(at + ".role", at + ": role must be admin, app, partner or member");
    key.role = *role;
    key.member = entry.member.value_or("");
    if ((key.role == Role::kMember) != !key.member.empty()) {
      return KeysError(at + ".member",
                       at + ": \"member\" is required for, and only for, role member");
    }
    const std::string hash = entry.sha256.value_or("");
    if (!IsHex64(hash)) {
      return KeysError(at + ".sha256", at + ": sha256 must be 64 lowercase hex digits");
    }
    if (!ring.by_hash_.emplace(hash, std::move(key)).second) {
      return KeysError(at + ".sha256", at + ": the same secret is listed twice");
    }
  }
  return ring;
}

Result<KeyRing> KeyRing::Parse(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  std::vector<Entry> entries;
  if (first != std::string_view::npos && text[first] == '{') {
    boost::system::error_code ec;
    boost::json::value root = boost::json::parse(text, ec);
    if (ec) return KeysError("keys", "not valid JSON: " + ec.message());
    const boost::json::array* keys = nullptr;
    if (root.is_object() && root.get_object().contains("keys")) keys = root.at("keys").if_array();
    if (keys == nullptr) return KeysError("keys", "expected an object with a \"keys\" array");
    for (size_t i = 0; i < keys->size(); ++i) {
      const boost::json::object* object = (*keys)[i].if_object();
      if (object == nullptr) {
        const std::string at = "keys[" + std::to_string(i) + "]";
        return KeysError(at, at + " is not an object");
      }
      Entry entry;
      for (const auto& [name, value] : *object) {
        std::optional<std::string>* slot = name == "id"       ? &entry.id
                                           : name == "role"   ? &entry.role
                                           : name == "member" ? &entry.member
                                           : name == "sha256" ? &entry.sha256
                                                              : nullptr;
        if (slot == nullptr) {
          entry.unknown.emplace_back(name);
        } else {
          *slot = value.is_string() ? std::string(value.get_string()) : std::string();
        }
      }
      entries.push_back(std::move(entry));
    }
    return FromEntries(entries);
  }
  try {
    const toml::table root = toml::parse(text, std::string_view("keys"));
    for (const auto& [name, node] : root) {
      if (name.str() != "keys") {
        return KeysError(std::string(name.str()), "unknown key \"" + std::string(name.str()) +
                                                      "\" at line " +
                                                      std::to_string(name.source().begin.line) +
                                                      "; a keys file holds only [[keys]] tables");
      }
    }
    const toml::array* keys = root["keys"].as_array();
    if (keys == nullptr) return KeysError("keys", "expected [[keys]] tables");
    for (size_t i = 0; i < keys->size(); ++i) {
      const toml::table* table = (*keys)[i].as_table();
      if (table == nullptr) {
        const std::string at = "keys[" + std::to_string(i) + "]";
        return KeysError(at, at + " is not a table");
      }
      Entry entry;
      for (const auto& [name, value] : *table) {
        std::optional<std::string>* slot = name == "id"       ? &entry.id
                                           : name == "role"   ? &entry.role
                                           : name == "member" ? &entry.member
                                           : name == "sha256" ? &entry.sha256
                                                              : nullptr;
        if (slot == nullptr) {
          entry.unknown.emplace_back(name.str());
        } else {
          *slot = value.value<std::string>().value_or("");
        }
      }
      entries.push_back(std::move(entry));
    }
  } catch (const toml::parse_error& error) {
    return KeysError("keys", "line " + std::to_string(error.source().begin.line) + ": " +
                                 std::string(error.description()));
  }
  return FromEntries(entries);
}

Result<KeyRing> KeyRing::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIoError, "keys", "cannot open keys file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return Parse(text.str());
}

std::optional<ApiKey> KeyRing::Find(std::string_view secret) const {
  if (secret.empty()) return std::nullopt;
  // Only hashes are compared, so the time a lookup takes says nothing about a stored secret.
  auto it = by_hash_.find(Sha256Hex(secret));
  if (it == by_hash_.end()) return std::nullopt;
  return it->second;
}

std::string_view BearerSecret(std::string_view authorization) {
  constexpr std::string_view kScheme = "Bearer ";
  if (authorization.size() <= kScheme.size()) return {};
  for (size_t i = 0; i < kScheme.size(); ++i) {
    const char c = authorization[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    const char want = kScheme[i] >= 'A' && kScheme[i] <= 'Z'
                          ? static_cast<char>(kScheme[i] - 'A' + 'a')
                          : kScheme[i];
    if (lower != want) return {};
  }
  std::string_view secret = authorization.substr(kScheme.size());
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  while (!secret.empty() && secret.back() == ' ') secret.remove_suffix(1);
  return secret;
}

}  // namespace onecard::server
