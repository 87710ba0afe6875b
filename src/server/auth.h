// API keys and their roles. A keys file lists each key's id, role, the SHA-256 of its secret (hex)
// and, for member tokens, the member it is bound to; secrets themselves are never stored.
//
//   {"keys": [
//     {"id": "ops", "role": "admin", "sha256": "<64 hex digits>"},
//     {"id": "shop-app", "role": "app", "sha256": "..."},
//     {"id": "m1-token", "role": "member", "member": "m1", "sha256": "..."}]}
//
// A request names its key with `Authorization: Bearer <secret>`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

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
  // Parses a keys file's text. Errors: kInvalidConfig naming the key at fault.
  static Result<KeyRing> Parse(std::string_view json_text);
  static Result<KeyRing> Load(const std::string& path);

  // The key whose secret is `secret`, if any.
  std::optional<ApiKey> Find(std::string_view secret) const;
  size_t size() const { return by_hash_.size(); }

 private:
  std::unordered_map<std::string, ApiKey> by_hash_;  // lowercase hex SHA-256 -> key
};

// The secret of an `Authorization: Bearer <secret>` header value; empty when it has another form.
std::string_view BearerSecret(std::string_view authorization);

}  // namespace onecard::server
