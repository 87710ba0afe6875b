#include "engine/synthetic_stream.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "core/assert.h"

namespace onecard {
namespace {

// Everything below is integer maths (no <cmath>, no std:: distributions), so that the stream is
// the same on every platform and standard library.

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t Mix(uint64_t a, uint64_t b) {
  uint64_t state = a ^ (b * 0xD6E8FEB86659FD93ULL);
  return SplitMix64(&state);
}

// Salts that give the independent sub-streams of one seed.
constexpr uint64_t kMemberSalt = 0x6D656D6265727321ULL;
constexpr uint64_t kMonthSalt = 0x6D6F6E7468732121ULL;
constexpr uint64_t kDeliverySalt = 0x64656C6976657279ULL;

enum Site : uint8_t {
  kTmall,
  kTaobao,
  kEleme,
  kYouku,
  kFliggy,
  kDamai,
  kAmap,
  kTaopiaopiao,
  kXianyu,
  kCainiao,
  kAlipayHealth,
  kEleRetail,
  kSiteCount
};
constexpr std::array<std::string_view, kSiteCount> kSiteNames = {
    "tmall", "taobao",      "eleme",  "youku",   "fliggy",        "damai",
    "amap",  "taopiaopiao", "xianyu", "cainiao", "alipay-health", "ele-retail"};

struct Category {
  std::string_view name;
  int64_t median_cents;
  int64_t sigma64;  // spread of log2(amount), in 64ths
};
// 0..27: general goods (taobao, tmall); 28..31: one site each; 32..: virtual goods.
constexpr Category kCategories[] = {
    {"women-apparel", 12900, 80},
    {"men-apparel", 15900, 80},
    {"shoes", 19900, 70},
    {"bags", 22900, 80},
    {"beauty", 15900, 75},
    {"skincare", 25900, 75},
    {"baby", 8900, 80},
    {"toys", 6900, 80},
    {"sports", 12900, 80},
    {"outdoor", 19900, 85},
    {"home-textile", 9900, 75},
    {"furniture", 89900, 90},
    {"kitchen", 5900, 80},
    {"appliances", 59900, 90},
    {"phones", 299900, 60},
    {"computers", 499900, 60},
    {"digital", 19900, 90},
    {"books", 4500, 60},
    {"stationery", 2500, 70},
    {"snacks", 3900, 65},
    {"fresh", 6900, 70},
    {"drinks", 5900, 70},
    {"pet", 7900, 75},
    {"auto-parts", 12900, 90},
    {"jewelry", 49900, 100},
    {"watches", 99900, 100},
    {"gardening", 4900, 75},
    {"office", 8900, 80},
    {"takeaway", 3500, 45},
    {"groceries", 6500, 60},
    {"second-hand", 9900, 110},
    {"pharmacy", 6900, 60},
    {"phone-topup", 5000, 50},
    {"game-topup", 3000, 70},
    {"video-vip", 2500, 40},
    {"music-vip", 1500, 40},
    {"movie-ticket", 4500, 35},
    {"concert-ticket", 68000, 50},
    {"show-ticket", 28000, 55},
    {"flight", 98000, 60},
    {"hotel", 45000, 65},
    {"train", 25000, 60},
    {"travel-package", 350000, 70},
    {"online-consult", 3900, 50},
};
constexpr int kCategoryCount = static_cast<int>(std::size(kCategories));
constexpr uint8_t kTakeaway = 28, kGroceries = 29, kSecondHand = 30, kPharmacy = 31;
constexpr uint8_t kFirstVirtual = 32;

constexpr int32_t kShopCount = 6'000;
constexpr int32_t kVirtualPermille = 150;

// round(65536 × 2^(j/64)): 2^x in fixed point without <cmath>.
constexpr std::array<int64_t, 64> kPow2Frac = {
    65536,  66250,  66971,  67700,  68438,  69183,  69936,  70698,  71468,  72246,  73032,
    73828,  74632,  75444,  76266,  77096,  77936,  78785,  79642,  80510,  81386,  82273,
    83169,  84074,  84990,  85915,  86851,  87796,  88752,  89719,  90696,  91684,  92682,
    93691,  94711,  95743,  96785,  97839,  98905,  99982,  101070, 102171, 103283, 104408,
    105545, 106694, 107856, 109031, 110218, 111418, 112631, 113858, 115098, 116351, 117618,
    118899, 120194, 121502, 122825, 124163, 125515, 126882, 128263, 129660};
constexpr int64_t kLog64Max = 64 * 36;  // amounts up to 2^36 cents

constexpr int64_t Pow2Of64ths(int64_t l64) {
  return (kPow2Frac[static_cast<size_t>(l64 & 63)] << (l64 >> 6)) >> 16;
}

// The largest l with 2^(l/64) ≤ cents: log2 in 64ths.
constexpr int64_t Log2In64ths(int64_t cents) {
  int64_t low = 0, high = kLog64Max;
  while (low < high) {
    int64_t mid = (low + high + 1) / 2;
    if (Pow2Of64ths(mid) <= cents) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  return low;
}

constexpr std::array<int64_t, kCategoryCount> kCategoryMu64 = [] {
  std::array<int64_t, kCategoryCount> mu{};
  for (int i = 0; i < kCategoryCount; ++i) mu[i] = Log2In64ths(kCategories[i].median_cents);
  return mu;
}();

// Log-normal-ish cents: log2 is mu + sigma × z, z the Irwin–Hall sum of four uniforms scaled to
// unit variance (×√12/2 ≈ 1773/1024), so tails stop at 3.5 sigma.
int64_t LogNormalCents(SyntheticRng& rng, int64_t mu64, int64_t sigma64) {
  int64_t sum = 0;
  for (int i = 0; i < 4; ++i) sum += static_cast<int64_t>(rng.Next() >> 48);
  int64_t l64 = mu64 + sigma64 * (sum - 131070) * 1773 / (65536 * 1024);
  int64_t cents = Pow2Of64ths(std::clamp<int64_t>(l64, 0, kLog64Max));
  cents += rng.Below(static_cast<uint64_t>(cents / 90 + 1));  // between the table's steps
  return std::max<int64_t>(cents, 1);
}

// Weighted choice over a small table, cumulative weights computed at compile time.
template <size_t N>
struct Weights {
  constexpr explicit Weights(const std::array<uint32_t, N>& weights) {
    uint32_t total = 0;
    for (size_t i = 0; i < N; ++i) cumulative[i] = total += weights[i];
  }
  size_t Pick(SyntheticRng& rng) const {
    uint32_t r = rng.Below(cumulative[N - 1]);
    size_t i = 0;
    while (cumulative[i] <= r) ++i;
    return i;
  }
  std::array<uint32_t, N> cumulative{};
};

// Per mille of a member's actions: purchase, refund, review, share, post, answer, credit, visit
// (the order of EventType).
constexpr Weights<8> kTypeWeights({400, 45, 190, 120, 40, 60, 3, 142});
constexpr Weights<24> kHourWeights({6,  3,  2,  1,  1,  1,  2,  5,  9,  11, 12, 13,
                                    15, 12, 11, 11, 12, 13, 14, 16, 18, 19, 16, 10});
constexpr Weights<28> kGeneralWeights({90, 70, 50, 60, 55, 45, 40, 35, 30, 20, 30, 10, 35, 15,
                                       8,  5,  25, 20, 15, 45, 30, 25, 20, 8,  6,  4,  10, 8});
struct SiteCategory {
  uint8_t site;
  uint8_t category;  // 255: a general category
};
constexpr uint8_t kGeneral = 255;
constexpr std::array<SiteCategory, 6> kPhysical = {{{kTaobao, kGeneral},
                                                    {kTmall, kGeneral},
                                                    {kEleme, kTakeaway},
                                                    {kEleRetail, kGroceries},
                                                    {kXianyu, kSecondHand},
                                                    {kAlipayHealth, kPharmacy}}};
constexpr Weights<6> kPhysicalWeights({42, 33, 12, 5, 6, 2});
constexpr std::array<SiteCategory, 12> kVirtual = {{{kTmall, 32},
                                                    {kTmall, 33},
                                                    {kTmall, 35},
                                                    {kYouku, 34},
                                                    {kTaopiaopiao, 36},
                                                    {kDamai, 37},
                                                    {kDamai, 38},
                                                    {kFliggy, 39},
                                                    {kFliggy, 40},
                                                    {kFliggy, 41},
                                                    {kFliggy, 42},
                                                    {kAlipayHealth, 43}}};
constexpr Weights<12> kVirtualWeights({13, 6, 3, 18, 18, 5, 5, 9, 9, 6, 3, 5});
constexpr std::array<uint8_t, 7> kShareSites = {kTaobao, kTmall, kXianyu, kFliggy,
                                                kYouku,  kDamai, kAmap};
constexpr Weights<7> kShareWeights({35, 25, 15, 5, 10, 5, 5});
constexpr std::array<uint8_t, 3> kPostSites = {kTaobao, kXianyu, kTmall};
constexpr Weights<3> kPostWeights({50, 30, 20});
constexpr Weights<12> kVisitWeights({12, 12, 10, 9, 7, 5, 10, 6, 8, 9, 6, 6});
constexpr Weights<5> kLevelWeights({5, 15, 50, 20, 10});

// Member activity: weight (1 + u) × 2^k with k geometric (P(k+1)/P(k) = 0.35, k ≤ 12), a Pareto
// tail of index log2(1/0.35) ≈ 1.5: most members light, a few hundred times heavier.
constexpr int32_t kTierUpPermille = 350;
constexpr int32_t kTierMax = 12;
constexpr int32_t kIdleMonthPermille = 120;  // months in which a member does nothing

uint64_t WeightMeanMilli() {
  // Σ P(k) 2^k in units of 10^-12, then × E[1000 + u] = 1499.5.
  uint64_t p = 1'000'000'000'000;  // P(k reached) × 10^12
  uint64_t mean = 0;
  for (int32_t k = 0; k <= kTierMax; ++k) {
    uint64_t stay = k == kTierMax ? p : p * (1000 - kTierUpPermille) / 1000;
    mean += stay << k;
    p = p * kTierUpPermille / 1000;
  }
  return mean * 14995 / 10 / 1'000'000'000'000;
}

// Review and refund relations to their order, kept in PlanItem::note for the counters.
enum Note : uint8_t { kNoteNone, kBeforePurchase, kUnknownOrder, kNoOrder, kFull, kPartial };

void SetNumber(std::string* out, char prefix, uint64_t value, size_t digits) {
  out->resize(digits + 1);
  (*out)[0] = prefix;
  for (size_t i = digits; i >= 1; --i) {
    (*out)[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// "o202501-00042": the month and the purchase's index in it, so unique per member.
void SetOrder(std::string* out, int32_t yyyymm, int32_t index) {
  SetNumber(out, 'o', static_cast<uint64_t>(yyyymm) * 1'000'000 + static_cast<uint64_t>(index), 12);
  (*out)[7] = '-';
}

}  // namespace

SyntheticRng::SyntheticRng(uint64_t seed) {
  for (uint64_t& word : s_) word = SplitMix64(&seed);
}

uint64_t SyntheticRng::Next() {
  auto rotl = [](uint64_t x, int k) { return (x << k) | (x >> (64 - k)); };
  uint64_t result = rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

Status ValidateSyntheticOptions(const SyntheticOptions& options) {
  auto bad = [](std::string field, std::string message) {
    return Status(MakeError(ErrorCode::kInvalidArgument, std::move(field), std::move(message)));
  };
  if (options.members < 1 || options.members > kSyntheticMembersMax) {
    return bad("members", "must be 1.." + std::to_string(kSyntheticMembersMax));
  }
  if (options.months < 1 || options.months > kSyntheticMonthsMax) {
    return bad("months", "must be 1.." + std::to_string(kSyntheticMonthsMax));
  }
  if (options.first_month < MonthKey::FromYearMonth(1970, 1) ||
      options.first_month.plus(options.months) > MonthKey::FromYearMonth(9999, 12)) {
    return bad("first_month", "months must lie within 1970..9999");
  }
  if (options.duplicate_permille < 0 || options.duplicate_permille > 1000) {
    return bad("duplicate_permille", "must be 0..1000");
  }
  if (options.out_of_order_permille < 0 || options.out_of_order_permille > 1000) {
    return bad("out_of_order_permille", "must be 0..1000");
  }
  if (options.events_per_member_mean < 1 ||
      options.events_per_member_mean > kSyntheticEventsPerMemberMeanMax) {
    return bad("events_per_member_mean",
               "must be 1.." + std::to_string(kSyntheticEventsPerMemberMeanMax));
  }
  return Status::Ok();
}

SyntheticStream::SyntheticStream(const SyntheticOptions& options)
    : options_(options),
      delivery_rng_(Mix(options.seed, kDeliverySalt)),
      weight_mean_milli_(WeightMeanMilli()),
      ring_(kSyntheticWindowEvents + 1) {
  ONECARD_ASSERT(ValidateSyntheticOptions(options).ok());
  // Shop popularity: Zipf with exponent 1, weight of rank r ∝ 1/r.
  shop_cdf_.reserve(kShopCount);
  uint64_t total = 0;
  for (uint64_t rank = 1; rank <= kShopCount; ++rank)
    shop_cdf_.push_back(total += (1ULL << 32) / rank);
  plan_.reserve(kSyntheticEventsPerMemberMonthMax);
  purchase_slots_.reserve(kSyntheticEventsPerMemberMonthMax);
  order_flags_.reserve(kSyntheticEventsPerMemberMonthMax);
}

size_t SyntheticStream::MemoryBytes() const {
  size_t bytes = sizeof(*this) + plan_.capacity() * sizeof(PlanItem) +
                 purchase_slots_.capacity() * sizeof(int32_t) + order_flags_.capacity() +
                 shop_cdf_.capacity() * sizeof(uint64_t) + ring_.capacity() * sizeof(Pending);
  return bytes;
}

bool SyntheticStream::Next(Event* out) {
  const size_t capacity = ring_.size();
  while (ring_count_ < kSyntheticWindowEvents &&
         FillOne(&ring_[(ring_head_ + ring_count_) % capacity])) {
    ++ring_count_;
  }
  if (ring_count_ == 0) return false;
  if (ring_count_ > 1 && delivery_rng_.Chance(options_.out_of_order_permille)) {
    size_t later = 1 + delivery_rng_.Below(ring_count_ - 1);
    std::swap(ring_[ring_head_], ring_[(ring_head_ + later) % capacity]);
    ++counters_.out_of_order;
  }
  const Pending& front = ring_[ring_head_];
  // A duplicate goes to the back of the window: delivered again a few dozen events later.
  if (delivery_rng_.Chance(options_.duplicate_permille)) {
    Pending& copy = ring_[(ring_head_ + ring_count_) % capacity];
    copy = front;
    copy.duplicate = true;
    ++ring_count_;
  }
  WriteEvent(front, out);
  ring_head_ = (ring_head_ + 1) % capacity;
  --ring_count_;
  ++counters_.events;
  return true;
}

bool SyntheticStream::FillOne(Pending* slot) {
  while (plan_next_ == plan_.size()) {
    if (done_ || !PlanNextMemberMonth()) {
      done_ = true;
      return false;
    }
  }
  slot->item = plan_[plan_next_++];
  slot->id = next_event_id_++;
  slot->member = member_;
  slot->month_start_us = month_start_.us;
  slot->yyyymm = month_yyyymm_;
  slot->duplicate = false;
  return true;
}

// Moves to the next member (and month) with at least one event and plans its month.
bool SyntheticStream::PlanNextMemberMonth() {
  while (true) {
    if (member_ == options_.members || member_ == 0) {
      if (member_ != 0 && ++month_index_ == options_.months) return false;
      member_ = 0;
      MonthKey month = options_.first_month.plus(month_index_);
      month_start_ = options_.time.StartOfLocalDay(month, 1);
      Instant next = options_.time.StartOfLocalDay(month.plus(1), 1);
      month_seconds_ = (next.us - month_start_.us) / 1'000'000;
      month_yyyymm_ = month.year() * 100 + month.month();
    }
    ++member_;
    SyntheticRng member_rng(Mix(Mix(options_.seed, kMemberSalt), static_cast<uint64_t>(member_)));
    int32_t tier = 0;
    while (tier < kTierMax && member_rng.Chance(kTierUpPermille)) ++tier;
    uint64_t weight_milli = (1000 + member_rng.Below(1000)) << tier;
    member_level_ = static_cast<int8_t>(1 + kLevelWeights.Pick(member_rng));
    SyntheticRng rng(Mix(Mix(Mix(options_.seed, kMonthSalt), static_cast<uint64_t>(member_)),
                         static_cast<uint64_t>(month_index_)));
    int32_t count = EventsThisMonth(rng, weight_milli);
    if (count == 0) continue;
    PlanMemberMonth(rng, count);
    ++counters_.active_member_months;
    return true;
  }
}

int32_t SyntheticStream::EventsThisMonth(SyntheticRng& rng, uint64_t member_weight_milli) const {
  if (rng.Chance(kIdleMonthPermille)) return 0;
  // mean × weight / E[weight] × jitter (0.5..1.5) / P(active), in thousandths of an event.
  uint64_t jitter_permille = 500 + rng.Below(1000);
  uint64_t milli = static_cast<uint64_t>(options_.events_per_member_mean) * member_weight_milli *
                   jitter_permille * 1000 /
                   (weight_mean_milli_ * static_cast<uint64_t>(1000 - kIdleMonthPermille));
  uint64_t count = milli / 1000 + (rng.Below(1000) < milli % 1000 ? 1 : 0);
  return static_cast<int32_t>(
      std::min<uint64_t>(count, static_cast<uint64_t>(kSyntheticEventsPerMemberMonthMax)));
}

void SyntheticStream::PlanMemberMonth(SyntheticRng& rng, int32_t count) {
  plan_.assign(static_cast<size_t>(count), PlanItem{});
  purchase_slots_.clear();
  order_flags_.clear();
  plan_next_ = 0;
  const uint64_t days = static_cast<uint64_t>(month_seconds_ / 86'400);
  for (PlanItem& item : plan_) {
    item.offset_s = static_cast<int64_t>(rng.Below(days)) * 86'400 +
                    static_cast<int64_t>(kHourWeights.Pick(rng)) * 3'600 + rng.Below(3'600);
  }
  std::sort(plan_.begin(), plan_.end(),
            [](const PlanItem& a, const PlanItem& b) { return a.offset_s < b.offset_s; });
  // First the purchases and the self-contained events, so that reviews and refunds can then
  // name any purchase of the month, earlier or (rarely) later.
  for (size_t i = 0; i < plan_.size(); ++i) {
    PlanItem& item = plan_[i];
    item.type = static_cast<EventType>(kTypeWeights.Pick(rng));
    switch (item.type) {
      case EventType::kPurchase:
        item.order = static_cast<int32_t>(purchase_slots_.size());
        purchase_slots_.push_back(static_cast<int32_t>(i));
        order_flags_.push_back(0);
        PlanPurchase(rng, &item);
        break;
      case EventType::kShare:
        item.site = kShareSites[kShareWeights.Pick(rng)];
        break;
      case EventType::kPost:
        item.site = kPostSites[kPostWeights.Pick(rng)];
        break;
      case EventType::kAnswer:
        item.site = rng.Chance(600) ? kTaobao : kTmall;
        break;
      case EventType::kVisit:
        item.site = static_cast<uint8_t>(kVisitWeights.Pick(rng));
        break;
      case EventType::kCredit: {
        int32_t level = member_level_ + static_cast<int32_t>(rng.Below(3)) - 1;
        item.level = static_cast<int8_t>(std::clamp(level, 1, 5));
        break;
      }
      case EventType::kReview:
      case EventType::kRefund:
        break;
    }
  }
  int32_t bought = 0;
  for (PlanItem& item : plan_) {
    if (item.type == EventType::kPurchase) ++bought;
    if (item.type == EventType::kReview) PlanReview(rng, &item, bought);
    if (item.type == EventType::kRefund) PlanRefund(rng, &item, bought);
  }
}

void SyntheticStream::PlanPurchase(SyntheticRng& rng, PlanItem* item) {
  SiteCategory choice;
  if (rng.Chance(kVirtualPermille)) {
    choice = kVirtual[kVirtualWeights.Pick(rng)];
  } else {
    choice = kPhysical[kPhysicalWeights.Pick(rng)];
    if (choice.category == kGeneral)
      choice.category = static_cast<uint8_t>(kGeneralWeights.Pick(rng));
  }
  item->site = choice.site;
  item->category = choice.category;
  item->amount =
      LogNormalCents(rng, kCategoryMu64[choice.category], kCategories[choice.category].sigma64);
  uint64_t r = rng.Next() % shop_cdf_.back();
  item->shop = static_cast<int32_t>(std::upper_bound(shop_cdf_.begin(), shop_cdf_.end(), r) -
                                    shop_cdf_.begin());
}

// A review names an earlier purchase of the month; a few name a later one (dated before the
// purchase arrives) or an order never bought. An order is reviewed once: a second review of it,
// or one with nothing bought, becomes a post.
void SyntheticStream::PlanReview(SyntheticRng& rng, PlanItem* item, int32_t bought_before) {
  const int32_t bought = static_cast<int32_t>(purchase_slots_.size());
  const bool later_exists = bought > bought_before;
  item->photos = rng.Chance(300);
  if (bought_before > 0 && rng.Chance(10)) {
    item->order = bought + static_cast<int32_t>(rng.Below(50));
    item->note = kUnknownOrder;
    return;
  }
  if (later_exists && rng.Chance(bought_before == 0 ? 100 : 10)) {
    item->order = bought_before + static_cast<int32_t>(rng.Below(bought - bought_before));
    item->note = kBeforePurchase;
  } else if (bought_before > 0) {
    item->order = static_cast<int32_t>(rng.Below(bought_before));
  }
  if (item->order < 0 || (order_flags_[item->order] & 1) != 0) {
    item->type = EventType::kPost;
    item->site = kPostSites[kPostWeights.Pick(rng)];
    item->order = -1;
    item->note = kNoteNone;
    return;
  }
  order_flags_[item->order] |= 1;
}

// Refunds: most name an earlier purchase of the month, full or partial; some name no order (the
// source could not tell), a few a later purchase. An order is refunded once; a second refund of
// it names no order.
void SyntheticStream::PlanRefund(SyntheticRng& rng, PlanItem* item, int32_t bought_before) {
  const int32_t bought = static_cast<int32_t>(purchase_slots_.size());
  const bool later_exists = bought > bought_before;
  if (!rng.Chance(100)) {
    if (later_exists && rng.Chance(bought_before == 0 ? 300 : 30)) {
      item->order = bought_before + static_cast<int32_t>(rng.Below(bought - bought_before));
      item->note = kBeforePurchase;
    } else if (bought_before > 0) {
      item->order = static_cast<int32_t>(rng.Below(bought_before));
    }
  }
  if (item->order < 0 || (order_flags_[item->order] & 2) != 0) {
    item->order = -1;
    item->note = kNoOrder;
    item->amount = LogNormalCents(rng, Log2In64ths(3000), 70);
    return;
  }
  order_flags_[item->order] |= 2;
  const int64_t paid = plan_[purchase_slots_[item->order]].amount;
  const bool full = rng.Chance(400);
  item->amount = full ? paid : std::max<int64_t>(1, paid * (100 + rng.Below(800)) / 1000);
  if (item->note == kNoteNone) item->note = full ? kFull : kPartial;
}

void SyntheticStream::WriteEvent(const Pending& pending, Event* out) {
  const PlanItem& item = pending.item;
  SetNumber(&out->id, 'e', static_cast<uint64_t>(pending.id), 12);
  out->type = item.type;
  SetNumber(&out->member, 'm', static_cast<uint64_t>(pending.member), 9);
  out->at = Instant{pending.month_start_us + item.offset_s * 1'000'000};
  out->amount = Money{};
  out->goods = Goods::kPhysical;
  out->photos = false;
  out->level = 0;
  out->order.clear();
  out->site.clear();
  out->shop.clear();
  out->category.clear();
  if (item.order >= 0) SetOrder(&out->order, pending.yyyymm, item.order);
  switch (item.type) {
    case EventType::kPurchase:
      out->amount = Money{item.amount};
      out->site = kSiteNames[item.site];
      SetNumber(&out->shop, 's', static_cast<uint64_t>(item.shop), 5);
      out->category = kCategories[item.category].name;
      out->goods = item.category >= kFirstVirtual ? Goods::kVirtual : Goods::kPhysical;
      break;
    case EventType::kRefund:
      out->amount = Money{item.amount};
      break;
    case EventType::kReview:
      out->photos = item.photos;
      break;
    case EventType::kCredit:
      out->level = item.level;
      break;
    case EventType::kShare:
    case EventType::kPost:
    case EventType::kAnswer:
    case EventType::kVisit:
      out->site = kSiteNames[item.site];
      break;
  }
  if (pending.duplicate) {
    ++counters_.duplicates;
  } else {
    Count(item);
  }
}

void SyntheticStream::Count(const PlanItem& item) {
  ++counters_.by_type[static_cast<size_t>(item.type)];
  SyntheticCounters& c = counters_;
  if (item.type == EventType::kPurchase) c.virtual_purchases += item.category >= kFirstVirtual;
  if (item.type == EventType::kReview) {
    c.reviews_with_photos += item.photos ? 1 : 0;
    c.reviews_before_purchase += item.note == kBeforePurchase ? 1 : 0;
    c.reviews_of_unknown_order += item.note == kUnknownOrder ? 1 : 0;
  }
  if (item.type == EventType::kRefund) {
    c.refunds_without_order += item.note == kNoOrder ? 1 : 0;
    c.refunds_before_purchase += item.note == kBeforePurchase ? 1 : 0;
    c.refunds_full += item.note == kFull ? 1 : 0;
    c.refunds_partial += item.note == kPartial ? 1 : 0;
  }
}

}  // namespace onecard
