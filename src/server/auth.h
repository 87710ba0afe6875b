// API keys and their roles. A keys file lists each key's id, role, the SHA-256 of its secret (hex)
// and, for member tokens, the member it is bound to; secrets themselves are never stored. The
// documented format is TOML:
//
//   [[keys]]
//   id = "ops"
//   role = "admin"
//   sha256 = "<64 lowercase hex digits>"
//
//   [[keys]]
//   id = "m1-token"
//   role = "member"
//   member = "m1"
//   sha256 = "..."
//
// The first format, JSON ({"keys": [{"id": ..., "role": ..., "sha256": ...}]}), is still read: a
// file whose first character (after blanks) is '{' is JSON.
//
// A request names its key with `Authorization: Bearer <secret>`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace onecard::server {

enum class Role { kAdmin, kApp, kPartner, kMember };
std::string_view RoleName(Role role);

struct ApiKey {
  std::string id;
  Role role = Role::kAdmin;
  std::string member;  // kMember only: the one member this token may read
};

// Lowercase hex SHA-256 of `text` (OpenSSL's libcrypto).
std::string Sha256Hex(std::string_view text);

class KeyRing {
 public:
  // Parses a keys file's text (TOML, or JSON). Errors: kInvalidConfig naming the key at fault
  // ("keys[2].role").
  static Result<KeyRing> Parse(std::string_view text);
  static Result<KeyRing> Load(const std::string& path);

  // The key whose secret is `secret`, if any.
  std::optional<ApiKey> Find(std::string_view secret) const;
  size_t size() const { return by_hash_.size(); }

 private:
  struct Entry;
  static Result<KeyRing> FromEntries(const std::vector<Entry>& entries);

  std::unordered_map<std::string, ApiKey> by_hash_;  // lowercase hex SHA-256 -> key
};

// The secret of an `Authorization: Bearer <secret>` header value; empty when it has another form.
std::string_view BearerSecret(std::string_view authorization);

}  // namespace onecard::server
