// SHA-256 (FIPS 180-4), written out so that the pure core can compute lottery tickets that anyone
// can recompute with any SHA-256 tool (`sha256sum`, OpenSSL). Not for secrets: no constant-time
// guarantees are needed here, only the standard digest.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace onecard {

std::array<uint8_t, 32> Sha256(std::string_view bytes);
std::string Sha256Hex(std::string_view bytes);  // 64 lower-case hex digits

}  // namespace onecard
