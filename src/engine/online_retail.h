// The importer of the UCI "Online Retail" data set (data/online-retail/): reads its CSV, plain or
// zstd-compressed, and turns each invoice of a known customer into one onecard event, as the last
// section of PRODUCT.md describes. The file is streamed; only one small record per invoice is kept,
// because an invoice's lines need not be contiguous and its sum is known only at the end.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/event.h"
#include "core/program_time.h"
#include "core/result.h"

namespace onecard {

// Limits of the importer (the data set has 25,900 invoices and lines under 200 bytes).
inline constexpr int64_t kOnlineRetailRecordBytesMax = 64 * 1024;  // one CSV record
inline constexpr int64_t kOnlineRetailInvoicesMax = 4'000'000;     // distinct invoice numbers
inline constexpr int32_t kOnlineRetailPriceDecimalsMax = 6;        // places of a UnitPrice

// What the importer saw. Every invoice lands in exactly one of purchases, refunds,
// guest_invoices, adjustment_invoices and anomalies.
struct OnlineRetailStats {
  int64_t rows = 0;                 // data rows (CSV records after the header)
  int64_t invoices = 0;             // distinct invoice numbers
  int64_t purchases = 0;            // purchase events emitted
  int64_t refunds = 0;              // refund events emitted (invoices starting with 'C')
  int64_t guest_invoices = 0;       // skipped: no CustomerID on the invoice's first line
  int64_t adjustment_invoices = 0;  // skipped: bad-debt adjustments (invoices starting with 'A')
  int64_t anomalies = 0;            // skipped: a purchase summing below zero, a refund above zero
  int64_t mixed_invoices = 0;       // invoices whose lines disagree on customer or timestamp
  int64_t customers = 0;            // distinct members in the emitted events

  friend bool operator==(const OnlineRetailStats&, const OnlineRetailStats&) = default;
};

// Reads the CSV at `path` (zstd-decompressed on the fly when the name ends in ".zst") and hands
// each event to `sink`, in the order of each invoice's first line, after the whole file has been
// read. InvoiceDate is program-local time in `time`. Mapping: purchase = order and id from the
// invoice number ("retail-" + number), amount = Σ Quantity × UnitPrice computed exactly and
// rounded half away from zero to cents, site and shop "online-retail", category "retail", physical
// goods, member = CustomerID without ".0"; a 'C' invoice is a refund naming no order for |sum|.
// Errors: kIoError (cannot open or read, corrupt compression), kInvalidArgument for a malformed
// header or row with a message "line N: ...", kLimitExceeded past the limits above, and the first
// error the sink returns (reading stops there). `stats` may be null; it is filled as far as the
// import got.
Status ReadOnlineRetail(const std::string& path, const ProgramTime& time,
                        const std::function<Status(const Event&)>& sink, OnlineRetailStats* stats);

}  // namespace onecard
