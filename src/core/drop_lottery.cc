#include "core/drop_lottery.h"

#include <algorithm>

#include "core/assert.h"
#include "core/sha256.h"

namespace onecard {

std::string LotteryTicket(std::string_view seed, std::string_view drop, std::string_view slot,
                          std::string_view member) {
  std::string message;
  message.reserve(seed.size() + drop.size() + slot.size() + member.size() + 3);
  message.append(seed).append("\n").append(drop).append("\n").append(slot).append("\n");
  message.append(member);
  return Sha256Hex(message);
}

std::vector<LotteryWinner> DrawLottery(std::string_view seed, std::string_view drop,
                                       std::string_view slot, int64_t units,
                                       const std::vector<LotteryEntry>& entries) {
  ONECARD_ASSERT(units >= 0);
  struct Ranked {
    std::string ticket;
    const LotteryEntry* entry;
  };
  std::vector<Ranked> ranked;
  ranked.reserve(entries.size());
  for (const LotteryEntry& entry : entries) {
    ONECARD_ASSERT(entry.quantity >= 1);
    ranked.push_back({LotteryTicket(seed, drop, slot, entry.member), &entry});
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.ticket != b.ticket) return a.ticket < b.ticket;
    return a.entry->member < b.entry->member;
  });
  std::vector<LotteryWinner> winners;
  int64_t next_unit = 0;
  for (size_t i = 0; i < ranked.size() && next_unit < units; ++i) {
    LotteryWinner winner;
    winner.member = ranked[i].entry->member;
    winner.ticket = ranked[i].ticket;
    winner.rank = static_cast<int64_t>(i);
    const int64_t won = std::min(ranked[i].entry->quantity, units - next_unit);
    for (int64_t k = 0; k < won; ++k) winner.units.push_back(static_cast<int32_t>(next_unit + k));
    next_unit += won;
    winners.push_back(std::move(winner));
  }
  return winners;
}

}  // namespace onecard
