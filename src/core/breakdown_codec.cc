#include "core/breakdown_codec.h"

#include "core/varint.h"

namespace onecard {
namespace {

constexpr uint64_t kBreakdownFormat = 1;
constexpr uint64_t kMonthsMax = 1200;

void WriteMonth(const MonthBreakdown& m, ByteWriter* w) {
  w->I64(m.month.value);
  w->I64(m.orders);
  w->I64(m.orders_capped);
  w->I64(m.order_points);
  w->I64(m.day_sum);
  w->I64(m.shop_sum);
  w->I64(m.category_sum);
  w->I64(m.shopping);
  w->U64(static_cast<uint64_t>(m.bound));
  w->I64(m.review_points);
  w->I64(m.social_points);
  w->I64(m.reward);
  w->Bool(m.active);
}

bool ReadMonth(ByteReader* r, MonthBreakdown* m) {
  uint64_t bound = 0;
  const bool ok = r->I32(&m->month.value) && r->I64(&m->orders) && r->I64(&m->orders_capped) &&
                  r->I64(&m->order_points) && r->I64(&m->day_sum) && r->I64(&m->shop_sum) &&
                  r->I64(&m->category_sum) && r->I64(&m->shopping) && r->U64(&bound) &&
                  r->I64(&m->review_points) && r->I64(&m->social_points) && r->I64(&m->reward) &&
                  r->Bool(&m->active);
  if (!ok || bound > static_cast<uint64_t>(ShoppingBound::kCategoryCap)) return false;
  m->bound = static_cast<ShoppingBound>(bound);
  return true;
}

}  // namespace

std::string EncodeBreakdown(const ScoreBreakdown& b) {
  ByteWriter w;
  w.U64(kBreakdownFormat);
  w.I64(b.month.value);
  w.I64(b.instant.us);
  w.I64(b.shopping);
  w.I64(b.reward);
  w.I64(b.active);
  w.I64(b.breadth);
  w.I64(b.categories);
  w.I64(b.credit_level);
  w.I64(b.credit_base);
  w.I64(b.multiplier_permille);
  w.I64(b.score);
  w.I64(b.net_spend.minor);
  w.U64(b.caps);
  w.U64(b.months.size());
  for (const MonthBreakdown& month : b.months) WriteMonth(month, &w);
  return w.Take();
}

Result<ScoreBreakdown> DecodeBreakdown(std::string_view bytes) {
  ByteReader r(bytes);
  ScoreBreakdown b;
  uint64_t format = 0;
  uint64_t caps = 0;
  uint64_t month_count = 0;
  const bool ok = r.U64(&format) && format == kBreakdownFormat && r.I32(&b.month.value) &&
                  r.I64(&b.instant.us) && r.I64(&b.shopping) && r.I64(&b.reward) &&
                  r.I64(&b.active) && r.I64(&b.breadth) && r.I64(&b.categories) &&
                  r.I32(&b.credit_level) && r.I64(&b.credit_base) &&
                  r.I64(&b.multiplier_permille) && r.I64(&b.score) && r.I64(&b.net_spend.minor) &&
                  r.U64(&caps) && caps <= UINT32_MAX && r.U64(&month_count) &&
                  month_count <= kMonthsMax;
  if (!ok) return MakeError(ErrorCode::kCorruptState, "breakdown", "unreadable breakdown");
  b.caps = static_cast<uint32_t>(caps);
  b.months.resize(month_count);
  for (MonthBreakdown& month : b.months) {
    if (!ReadMonth(&r, &month)) {
      return MakeError(ErrorCode::kCorruptState, "breakdown", "unreadable breakdown month");
    }
  }
  if (!r.AtEnd()) {
    return MakeError(ErrorCode::kCorruptState, "breakdown", "trailing bytes in breakdown");
  }
  return b;
}

}  // namespace onecard
