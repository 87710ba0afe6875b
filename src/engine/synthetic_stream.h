// A synthetic stream of ecosystem events for `onecard gen` and the benchmarks: valid events of
// every type with a realistic skew (few heavy members, popular shops, log-normal amounts), plus the
// faults real deliveries have (duplicates, local reordering, reviews and refunds that precede or
// miss their purchase). The stream is a pure function of the options: it uses its own generator
// and integer maths only, so a seed gives the same events on every platform and standard library.
//
// Order of the stream: month by month; within a month member by member, each member's events in
// time order; then deliveries are perturbed inside a small window. Memory is bounded by one
// member-month plan and the window, whatever the number of members or months.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/event.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// Limits of the generator, each with its unit.
inline constexpr int64_t kSyntheticMembersMax = 999'999'999;  // member ids have nine digits
inline constexpr int32_t kSyntheticMonthsMax = 1'200;
inline constexpr int32_t kSyntheticEventsPerMemberMeanMax = 1'000;  // per member and month
// One member's events in one month; the heavy tail is cut here, which also keeps a member below
// limits::kOrdersPerMemberMax for any number of months the options allow.
inline constexpr int32_t kSyntheticEventsPerMemberMonthMax = 4'000;
inline constexpr size_t kSyntheticWindowEvents = 32;  // reordering and duplicate window

struct SyntheticOptions {
  int64_t members = 1'000;
  int32_t months = 1;
  uint64_t seed = 1;
  MonthKey first_month = MonthKey::FromYearMonth(2025, 1);
  ProgramTime time = ProgramTime(0);    // months are local months at this offset
  int32_t duplicate_permille = 5;       // deliveries repeated exactly, within the window
  int32_t out_of_order_permille = 20;   // deliveries swapped with a later one in the window
  int32_t events_per_member_mean = 40;  // per member and month, before the cap above
};

// Checks ranges: members 1..kSyntheticMembersMax, months 1..kSyntheticMonthsMax, permilles
// 0..1000, mean 1..kSyntheticEventsPerMemberMeanMax, first month and months within years
// 1970..9999. Fails with kInvalidArgument naming the option.
Status ValidateSyntheticOptions(const SyntheticOptions& options);

// What the stream has delivered so far. Per-type and per-kind counts are of distinct events
// (duplicates are counted once, in `duplicates`).
struct SyntheticCounters {
  int64_t events = 0;      // deliveries, duplicates included
  int64_t duplicates = 0;  // deliveries that repeat an earlier one
  int64_t out_of_order = 0;
  std::array<int64_t, kEventTypeCount> by_type{};  // indexed by EventType
  int64_t virtual_purchases = 0;
  int64_t reviews_with_photos = 0;
  int64_t reviews_before_purchase = 0;  // dated before the purchase of their order
  int64_t reviews_of_unknown_order = 0;
  int64_t refunds_full = 0;     // of an earlier purchase of the month
  int64_t refunds_partial = 0;  // of an earlier purchase of the month
  int64_t refunds_without_order = 0;
  int64_t refunds_before_purchase = 0;
  int64_t active_member_months = 0;  // member-months with at least one event
};

// A 64-bit generator: xoshiro256** seeded through splitmix64. Same outputs everywhere.
class SyntheticRng {
 public:
  explicit SyntheticRng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, bound) for bound in 1..2^32.
  uint32_t Below(uint64_t bound) { return static_cast<uint32_t>(((Next() >> 32) * bound) >> 32); }
  bool Chance(int32_t permille) { return Below(1000) < static_cast<uint32_t>(permille); }

 private:
  uint64_t s_[4];
};

class SyntheticStream {
 public:
  // REQUIRES: ValidateSyntheticOptions(options).ok()
  explicit SyntheticStream(const SyntheticOptions& options);

  // The next delivery into *out (its strings are reused); false when the stream is over.
  bool Next(Event* out);

  const SyntheticCounters& counters() const { return counters_; }
  // Bytes held by the generator's buffers: bounded, independent of members and months.
  size_t MemoryBytes() const;

 private:
  // One planned event of the current member-month, before it is written out as an Event.
  struct PlanItem {
    int64_t offset_s = 0;  // seconds since the start of the month
    int64_t amount = 0;    // cents: purchase and refund
    int32_t order = -1;    // purchase index in the member-month; -1: none
    int32_t shop = 0;      // purchase
    EventType type = EventType::kVisit;
    uint8_t site = 0;      // index into the site table
    uint8_t category = 0;  // purchase: index into the category table
    int8_t level = 0;      // credit
    bool photos = false;   // review
    uint8_t note = 0;      // review, refund: how it relates to its order (see the .cc)
  };
  // An event in the delivery window, compact until it is written out.
  struct Pending {
    PlanItem item;
    int64_t id = 0;
    int64_t member = 0;
    int64_t month_start_us = 0;
    int32_t yyyymm = 0;
    bool duplicate = false;  // a second delivery: counted in `duplicates` only
  };

  bool FillOne(Pending* slot);
  bool PlanNextMemberMonth();
  void PlanMemberMonth(SyntheticRng& rng, int32_t count);
  void PlanPurchase(SyntheticRng& rng, PlanItem* item);
  void PlanReview(SyntheticRng& rng, PlanItem* item, int32_t bought_before);
  void PlanRefund(SyntheticRng& rng, PlanItem* item, int32_t bought_before);
  int32_t EventsThisMonth(SyntheticRng& rng, uint64_t member_weight_milli) const;
  void WriteEvent(const Pending& pending, Event* out);
  void Count(const PlanItem& item);

  SyntheticOptions options_;
  SyntheticCounters counters_;
  SyntheticRng delivery_rng_;
  std::vector<uint64_t> shop_cdf_;  // Zipf popularity of the shops, cumulative
  uint64_t weight_mean_milli_ = 1;  // expected member weight, for normalising the mean

  // Position in the stream.
  int32_t month_index_ = 0;
  int64_t member_ = 0;  // the member of the current plan, 1-based; 0 before the first
  Instant month_start_;
  int64_t month_seconds_ = 0;
  int32_t month_yyyymm_ = 0;
  int8_t member_level_ = 3;
  std::vector<PlanItem> plan_;
  std::vector<int32_t> purchase_slots_;  // plan index of each purchase, by order index
  std::vector<uint8_t> order_flags_;     // per purchase: reviewed, refunded
  size_t plan_next_ = 0;
  int64_t next_event_id_ = 1;
  bool done_ = false;

  // The delivery window: a ring of compact events.
  std::vector<Pending> ring_;
  size_t ring_head_ = 0;
  size_t ring_count_ = 0;
};

}  // namespace onecard
