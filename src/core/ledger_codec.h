// The byte format of the ledger's log: one batch of records (ledger_types.h) as compact varints
// (core/varint.h). A batch starts with a format version; each record with a one-byte tag. The
// decoder never trusts its input: anything malformed is kCorruptState, never a crash.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ledger_types.h"
#include "core/result.h"
#include "core/varint.h"

namespace onecard {

class LedgerBatchWriter {
 public:
  LedgerBatchWriter();
  void Add(const LedgerRecord& record);
  int64_t records() const { return records_; }
  bool empty() const { return records_ == 0; }
  // The batch's bytes; the writer starts a new batch.
  std::string Take();

 private:
  ByteWriter out_;
  int64_t records_ = 0;
};

// Calls `visit` with each record of an encoded batch, in order; stops at its first error. The
// record is the visitor's to move from.
Status DecodeLedgerBatch(std::string_view bytes, const std::function<Status(LedgerRecord&)>& visit);

}  // namespace onecard
