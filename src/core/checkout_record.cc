#include "core/checkout_record.h"

#include "core/checkout_limits.h"
#include "core/varint.h"

namespace onecard {
namespace {

constexpr uint64_t kRecordFormat = 1;

bool ReadBenefit(ByteReader& in, const BenefitCatalog& catalog, int32_t* index) {
  std::string id;
  if (!in.Bytes(&id, static_cast<uint64_t>(checkout_limits::kConfigTextBytesMax))) return false;
  *index = catalog.FindBenefit(id);
  return *index >= 0;
}

bool ReadMoney(ByteReader& in, Money* money) { return in.I64(&money->minor); }

bool ReadCount(ByteReader& in, uint64_t max, uint64_t* count) {
  return in.U64(count) && *count <= max;
}

}  // namespace

std::string EncodeCheckoutRecord(const UseWindow& window, const Quote& quote,
                                 const BenefitCatalog& catalog) {
  ByteWriter out;
  out.U64(kRecordFormat);
  out.I64(window.day.value);
  out.I64(window.month.value);
  out.I64(window.term_start_us);
  out.U64(quote.applied.size());
  for (const AppliedBenefit& a : quote.applied) {
    out.Bytes(catalog.benefits[static_cast<size_t>(a.benefit)].id);
    out.I64(a.units);
    out.I64(a.discount.minor);
    out.I64(a.cost.minor);
    out.Bool(a.capped);
  }
  out.U64(quote.line_discounts.size());
  for (const LineDiscount& d : quote.line_discounts) {
    out.I64(d.applied);
    out.I64(d.line);
    out.I64(d.amount.minor);
  }
  out.U64(quote.declined.size());
  for (const DeclinedBenefit& d : quote.declined) {
    out.Bytes(catalog.benefits[static_cast<size_t>(d.benefit)].id);
    out.U64(static_cast<uint64_t>(d.reason));
  }
  out.U64(quote.line_totals.size());
  for (Money total : quote.line_totals) out.I64(total.minor);
  for (Money m :
       {quote.subtotal, quote.discount, quote.tax, quote.shipping, quote.deposit, quote.total}) {
    out.I64(m.minor);
  }
  return out.Take();
}

Status DecodeCheckoutRecord(std::string_view bytes, const BenefitCatalog& catalog,
                            UseWindow* window, Quote* quote) {
  const Error corrupt =
      MakeError(ErrorCode::kCorruptState, "record", "a stored checkout record is unreadable");
  namespace lim = checkout_limits;
  ByteReader in(bytes);
  uint64_t format = 0;
  uint64_t count = 0;
  quote->Clear();
  if (!in.U64(&format) || format != kRecordFormat || !in.I32(&window->day.value) ||
      !in.I32(&window->month.value) || !in.I64(&window->term_start_us) ||
      !ReadCount(in, lim::kChoicesMax, &count)) {
    return corrupt;
  }
  for (uint64_t i = 0; i < count; ++i) {
    AppliedBenefit a;
    if (!ReadBenefit(in, catalog, &a.benefit) || !in.I64(&a.units) || !ReadMoney(in, &a.discount) ||
        !ReadMoney(in, &a.cost) || !in.Bool(&a.capped)) {
      return corrupt;
    }
    quote->applied.push_back(a);
  }
  if (!ReadCount(in, lim::kChoicesMax * lim::kCartLinesMax, &count)) return corrupt;
  for (uint64_t i = 0; i < count; ++i) {
    LineDiscount d;
    if (!in.I32(&d.applied) || !in.I32(&d.line) || !ReadMoney(in, &d.amount)) return corrupt;
    quote->line_discounts.push_back(d);
  }
  if (!ReadCount(in, lim::kChoicesMax, &count)) return corrupt;
  for (uint64_t i = 0; i < count; ++i) {
    DeclinedBenefit d;
    uint64_t reason = 0;
    if (!ReadBenefit(in, catalog, &d.benefit) || !in.U64(&reason) ||
        reason > static_cast<uint64_t>(DeclineReason::kBudgetExhausted)) {
      return corrupt;
    }
    d.reason = static_cast<DeclineReason>(reason);
    quote->declined.push_back(d);
  }
  if (!ReadCount(in, lim::kCartLinesMax, &count)) return corrupt;
  quote->line_totals.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (!ReadMoney(in, &quote->line_totals[i])) return corrupt;
  }
  for (Money* m : {&quote->subtotal, &quote->discount, &quote->tax, &quote->shipping,
                   &quote->deposit, &quote->total}) {
    if (!ReadMoney(in, m)) return corrupt;
  }
  if (!in.AtEnd()) return corrupt;
  return Status::Ok();
}

}  // namespace onecard
