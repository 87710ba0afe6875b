// The lottery draw of a drop: deterministic from a published seed, so that anyone holding the
// seed and the list of registrants can re-run it and get the same winners
// (`onecard drops verify-draw` does).
//
// The algorithm, exactly:
// 1. Each registrant's ticket is SHA-256 (FIPS 180-4) of the UTF-8 bytes
//      seed "\n" drop "\n" slot "\n" member
//    where slot is the slot's opening instant as written by the program
//    ("2025-06-03T10:00:00+08:00"), written as 64 lower-case hex digits. In a shell:
//      printf '%s\n%s\n%s\n%s' "$seed" "$drop" "$slot" "$member" | sha256sum
// 2. Registrants are ranked by ticket, smallest first (the hex strings compared as text); two
//    equal tickets (never seen for SHA-256) are ordered by member id, bytewise.
// 3. Walking the ranking with the slot's units as stock, each registrant wins
//    min(registered quantity, units left) units, numbered consecutively from 0 in ranking order,
//    until no unit is left. Every other registrant loses.
// The seed must be fixed only after registration closes (an operator takes it from a public
// source, or the CLI from the system's random generator) and is stored and published with the
// result.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace onecard {

struct LotteryEntry {
  std::string member;
  int64_t quantity = 0;
};

struct LotteryWinner {
  std::string member;
  std::string ticket;          // hex SHA-256
  int64_t rank = 0;            // 0 = the smallest ticket
  std::vector<int32_t> units;  // consecutive unit numbers
};

std::string LotteryTicket(std::string_view seed, std::string_view drop, std::string_view slot,
                          std::string_view member);

// The winners in ranking order. REQUIRES: members distinct, quantities ≥ 1, units ≥ 0.
std::vector<LotteryWinner> DrawLottery(std::string_view seed, std::string_view drop,
                                       std::string_view slot, int64_t units,
                                       const std::vector<LotteryEntry>& entries);

}  // namespace onecard
