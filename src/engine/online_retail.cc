#include "engine/online_retail.h"

#include <zstd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/money.h"

namespace onecard {
namespace {

constexpr std::string_view kHeader =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country";
constexpr size_t kFieldCount = 8;
constexpr size_t kChunkBytes = 256 * 1024;
// UnitPrice is held in micro-units (10^-6 of a currency unit) so that every price the format
// allows is an exact integer; sums are rounded to cents only once, per invoice.
constexpr int64_t kMicroPerUnit = 1'000'000;
constexpr int64_t kMicroPerCent = 10'000;
constexpr int64_t kQuantityAbsMax = 1'000'000'000;
constexpr int64_t kPriceUnitsMax = 1'000'000'000;

Error ErrorAtLine(ErrorCode code, int64_t line, std::string_view what) {
  return MakeError(code, "", "line " + std::to_string(line) + ": " + std::string(what));
}

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// A stream of bytes; Read sets *got to 0 only at the end.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  virtual Status Read(char* out, size_t capacity, size_t* got) = 0;
};

class PlainSource : public ByteSource {
 public:
  explicit PlainSource(FilePtr file) : file_(std::move(file)) {}
  Status Read(char* out, size_t capacity, size_t* got) override {
    *got = std::fread(out, 1, capacity, file_.get());
    if (*got == 0 && std::ferror(file_.get())) {
      return MakeError(ErrorCode::kIoError, "", "read failed");
    }
    return Status::Ok();
  }

 private:
  FilePtr file_;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(FilePtr file)
      : file_(std::move(file)), dctx_(ZSTD_createDCtx()), in_(ZSTD_DStreamInSize()) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }
  ZstdSource(const ZstdSource&) = delete;
  ZstdSource& operator=(const ZstdSource&) = delete;

  Status Read(char* out, size_t capacity, size_t* got) override {
    ZSTD_outBuffer output{out, capacity, 0};
    while (output.pos == 0) {
      if (input_.pos == input_.size && !file_eof_) {
        size_t n = std::fread(in_.data(), 1, in_.size(), file_.get());
        if (n == 0 && std::ferror(file_.get())) {
          return MakeError(ErrorCode::kIoError, "", "read failed");
        }
        if (n == 0) file_eof_ = true;
        input_ = ZSTD_inBuffer{in_.data(), n, 0};
      }
      // At the end of the file a frame is either complete (hint 0) or still holds output that an
      // earlier call had no room for; anything else means the file was cut short.
      if (input_.pos == input_.size && file_eof_ && hint_ == 0) break;
      hint_ = ZSTD_decompressStream(dctx_, &output, &input_);
      if (ZSTD_isError(hint_)) {
        return MakeError(ErrorCode::kIoError, "", std::string("zstd: ") + ZSTD_getErrorName(hint_));
      }
      if (file_eof_ && input_.pos == input_.size && output.pos == 0 && hint_ != 0) {
        return MakeError(ErrorCode::kIoError, "", "zstd: truncated input");
      }
    }
    *got = output.pos;
    return Status::Ok();
  }

 private:
  FilePtr file_;
  ZSTD_DCtx* dctx_;
  std::vector<char> in_;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  size_t hint_ = 0;
  bool file_eof_ = false;
};

// Splits a source into CSV records: physical lines (without "\n" or "\r\n"), joined while a
// quoted field is still open.
class RecordReader {
 public:
  explicit RecordReader(ByteSource* source) : source_(source), buf_(kChunkBytes) {}

  // On success *eof tells whether a record was left; *first_line is the record's first line.
  Status Next(std::string* record, int64_t* first_line, bool* eof) {
    std::string_view line;
    if (Status status = NextLine(&line, eof); !status.ok() || *eof) return status;
    *first_line = line_;
    record->assign(line);
    size_t quotes = static_cast<size_t>(std::count(line.begin(), line.end(), '"'));
    while (quotes % 2 == 1) {
      if (Status status = NextLine(&line, eof); !status.ok()) return status;
      if (*eof) {
        *eof = false;
        return ErrorAtLine(ErrorCode::kInvalidArgument, *first_line, "unterminated quoted field");
      }
      if (static_cast<int64_t>(record->size() + line.size()) >= kOnlineRetailRecordBytesMax) {
        return ErrorAtLine(ErrorCode::kLimitExceeded, *first_line, "record too long");
      }
      record->push_back('\n');
      record->append(line);
      quotes += static_cast<size_t>(std::count(line.begin(), line.end(), '"'));
    }
    return Status::Ok();
  }

 private:
  Status NextLine(std::string_view* line, bool* eof) {
    *eof = false;
    while (true) {
      const char* start = buf_.data() + begin_;
      const void* newline = std::memchr(start, '\n', end_ - begin_);
      if (newline != nullptr || (source_done_ && begin_ < end_)) {
        const char* stop = newline ? static_cast<const char*>(newline) : buf_.data() + end_;
        begin_ = static_cast<size_t>(stop - buf_.data()) + (newline ? 1 : 0);
        size_t length = static_cast<size_t>(stop - start);
        if (length > 0 && start[length - 1] == '\r') --length;
        *line = std::string_view(start, length);
        ++line_;
        return Status::Ok();
      }
      if (source_done_) {
        *eof = true;
        return Status::Ok();
      }
      if (static_cast<int64_t>(end_ - begin_) > kOnlineRetailRecordBytesMax) {
        return ErrorAtLine(ErrorCode::kLimitExceeded, line_ + 1, "record too long");
      }
      if (Status status = Refill(); !status.ok()) return status;
    }
  }

  Status Refill() {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    size_t got = 0;
    if (Status status = source_->Read(buf_.data() + end_, buf_.size() - end_, &got); !status.ok()) {
      return status;
    }
    end_ += got;
    if (got == 0) source_done_ = true;
    return Status::Ok();
  }

  ByteSource* source_;
  std::vector<char> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool source_done_ = false;
  int64_t line_ = 0;
};

// Splits one record into fields (RFC 4180: a quoted field may hold commas, line breaks and
// doubled quotes). Fields are reused between records to spare allocations. Returns nullptr or
// what is wrong.
const char* SplitCsv(std::string_view record, std::vector<std::string>* fields, size_t* count) {
  size_t n = 0;
  size_t i = 0;
  while (true) {
    if (n == 4 * kFieldCount) return "too many fields";
    if (n == fields->size()) fields->emplace_back();
    std::string& field = (*fields)[n++];
    field.clear();
    if (i < record.size() && record[i] == '"') {
      for (++i;; ++i) {
        if (i >= record.size()) return "unterminated quoted field";
        if (record[i] != '"') {
          field.push_back(record[i]);
        } else if (i + 1 < record.size() && record[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          break;
        }
      }
      ++i;
      if (i < record.size() && record[i] != ',') return "text after a closing quote";
    } else {
      size_t end = std::min(record.find(',', i), record.size());
      std::string_view raw = record.substr(i, end - i);
      if (raw.find('"') != std::string_view::npos) return "quote inside an unquoted field";
      field.assign(raw);
      i = end;
    }
    if (i >= record.size()) break;
    ++i;  // the comma
  }
  *count = n;
  return nullptr;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits only, at most max_digits of them, into *value.
bool ParseDigits(std::string_view text, size_t max_digits, int64_t* value) {
  if (text.empty() || text.size() > max_digits) return false;
  int64_t result = 0;
  for (char c : text) {
    if (!IsDigit(c)) return false;
    result = result * 10 + (c - '0');
  }
  *value = result;
  return true;
}

std::optional<int64_t> ParseQuantity(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  int64_t value = 0;
  if (!ParseDigits(text, 10, &value) || value > kQuantityAbsMax) return std::nullopt;
  return negative ? -value : value;
}

// "2.55", "0.001", "-11062.06", "3" into micro-units.
std::optional<int64_t> ParsePriceMicro(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  size_t dot = text.find('.');
  int64_t units = 0;
  if (!ParseDigits(text.substr(0, dot), 10, &units) || units > kPriceUnitsMax) return std::nullopt;
  int64_t micro = units * kMicroPerUnit;
  if (dot != std::string_view::npos) {
    std::string_view decimals = text.substr(dot + 1);
    int64_t fraction = 0;
    if (!ParseDigits(decimals, kOnlineRetailPriceDecimalsMax, &fraction)) return std::nullopt;
    for (size_t places = decimals.size(); places < kOnlineRetailPriceDecimalsMax; ++places) {
      fraction *= 10;
    }
    micro += fraction;
  }
  return negative ? -micro : micro;
}

// "YYYY-MM-DD HH:MM:SS"; the calendar itself is checked when the event is validated.
bool IsTimestampShape(std::string_view text) {
  if (text.size() != 19) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    char expected = i == 4 || i == 7 ? '-' : i == 10 ? ' ' : i == 13 || i == 16 ? ':' : '0';
    if (expected == '0' ? !IsDigit(text[i]) : text[i] != expected) return false;
  }
  return true;
}

// "17850.0" → "17850"; empty (a guest) stays empty. nullopt when malformed.
std::optional<std::string_view> MemberOfCustomer(std::string_view text) {
  if (text.size() >= 2 && text.substr(text.size() - 2) == ".0") text.remove_suffix(2);
  int64_t ignored = 0;
  if (!text.empty() && !ParseDigits(text, 20, &ignored)) return std::nullopt;
  return text;
}

// Half away from zero, on the absolute value of a non-negative micro-unit sum.
Money RoundMicroToCents(int64_t micro_abs) {
  int64_t cents = micro_abs / kMicroPerCent;
  if (micro_abs % kMicroPerCent >= kMicroPerCent / 2) ++cents;
  return Money{cents};
}

// One invoice while the file is read: its first line's customer and time, and the exact sum.
struct Invoice {
  std::string number;
  std::string customer;
  std::string at;
  int64_t first_line = 0;
  int64_t sum_micro = 0;
  bool mixed = false;
};

class Importer {
 public:
  Importer(const ProgramTime& time, const std::function<Status(const Event&)>& sink,
           OnlineRetailStats* stats)
      : time_(time), sink_(sink), stats_(stats) {}

  Status Read(RecordReader* reader) {
    std::string record;
    int64_t line = 0;
    bool eof = false;
    if (Status status = reader->Next(&record, &line, &eof); !status.ok()) return status;
    if (eof) return ErrorAtLine(ErrorCode::kInvalidArgument, 1, "missing header");
    if (record.starts_with("\xEF\xBB\xBF")) record.erase(0, 3);
    if (record != kHeader) {
      return ErrorAtLine(ErrorCode::kInvalidArgument, line,
                         "header must be " + std::string(kHeader));
    }
    while (true) {
      if (Status status = reader->Next(&record, &line, &eof); !status.ok() || eof) return status;
      ++stats_->rows;
      if (Status status = AddRow(record, line); !status.ok()) return status;
    }
  }

  Status Emit() {
    std::unordered_set<std::string> members;
    for (const Invoice& invoice : invoices_) {
      if (invoice.mixed) ++stats_->mixed_invoices;
      if (invoice.number[0] == 'A') {
        ++stats_->adjustment_invoices;
        continue;
      }
      if (invoice.customer.empty()) {
        ++stats_->guest_invoices;
        continue;
      }
      bool refund = invoice.number[0] == 'C';
      if (refund ? invoice.sum_micro > 0 : invoice.sum_micro < 0) {
        ++stats_->anomalies;
        continue;
      }
      Result<Event> event = MakeEvent(invoice, refund);
      if (!event.ok()) {
        return ErrorAtLine(ErrorCode::kInvalidArgument, invoice.first_line,
                           "invoice " + invoice.number + ": " + event.error().ToString());
      }
      if (Status status = sink_(*event); !status.ok()) return status;
      ++(refund ? stats_->refunds : stats_->purchases);
      if (members.insert(event->member).second) ++stats_->customers;
    }
    return Status::Ok();
  }

 private:
  // Field positions in kHeader.
  enum Column : size_t {
    kInvoiceNo = 0,
    kQuantity = 3,
    kInvoiceDate = 4,
    kUnitPrice = 5,
    kCustomerId = 6
  };

  Status AddRow(std::string_view record, int64_t line) {
    size_t count = 0;
    if (const char* what = SplitCsv(record, &fields_, &count)) {
      return ErrorAtLine(ErrorCode::kInvalidArgument, line, what);
    }
    if (count != kFieldCount) {
      return ErrorAtLine(ErrorCode::kInvalidArgument, line,
                         "expected 8 fields, found " + std::to_string(count));
    }
    const std::string& number = fields_[kInvoiceNo];
    std::optional<int64_t> quantity = ParseQuantity(fields_[kQuantity]);
    std::optional<int64_t> price = ParsePriceMicro(fields_[kUnitPrice]);
    if (number.empty()) return ErrorAtLine(ErrorCode::kInvalidArgument, line, "empty InvoiceNo");
    if (!quantity) return ErrorAtLine(ErrorCode::kInvalidArgument, line, "bad Quantity");
    if (!price) return ErrorAtLine(ErrorCode::kInvalidArgument, line, "bad UnitPrice");
    if (!IsTimestampShape(fields_[kInvoiceDate])) {
      return ErrorAtLine(ErrorCode::kInvalidArgument, line,
                         "InvoiceDate must be YYYY-MM-DD HH:MM:SS");
    }
    if (!MemberOfCustomer(fields_[kCustomerId])) {
      return ErrorAtLine(ErrorCode::kInvalidArgument, line, "bad CustomerID");
    }
    Result<Invoice*> invoice = FindOrAdd(line);
    if (!invoice.ok()) return invoice.error();
    int64_t product = 0;
    if (__builtin_mul_overflow(*quantity, *price, &product) ||
        __builtin_add_overflow((*invoice)->sum_micro, product, &(*invoice)->sum_micro)) {
      return ErrorAtLine(ErrorCode::kLimitExceeded, line, "invoice sum out of range");
    }
    return Status::Ok();
  }

  // The invoice of the current row, created on its first line. Rows of one invoice usually come
  // together, so the last one found is tried before the map.
  Result<Invoice*> FindOrAdd(int64_t line) {
    const std::string& number = fields_[kInvoiceNo];
    if (last_ < invoices_.size() && invoices_[last_].number == number) {
      return Note(&invoices_[last_]);
    }
    auto found = index_.find(number);
    if (found != index_.end()) {
      last_ = found->second;
      return Note(&invoices_[last_]);
    }
    if (static_cast<int64_t>(invoices_.size()) >= kOnlineRetailInvoicesMax) {
      return ErrorAtLine(ErrorCode::kLimitExceeded, line, "too many invoices");
    }
    last_ = invoices_.size();
    index_.emplace(number, last_);
    invoices_.push_back(
        Invoice{number, fields_[kCustomerId], fields_[kInvoiceDate], line, 0, false});
    ++stats_->invoices;
    return &invoices_.back();
  }

  Invoice* Note(Invoice* invoice) {
    if (invoice->customer != fields_[kCustomerId] || invoice->at != fields_[kInvoiceDate]) {
      invoice->mixed = true;
    }
    return invoice;
  }

  Result<Event> MakeEvent(const Invoice& invoice, bool refund) const {
    int64_t sum_abs = invoice.sum_micro < 0 ? -invoice.sum_micro : invoice.sum_micro;
    RawEvent raw;
    raw.id = "retail-" + invoice.number;
    raw.type = refund ? "refund" : "purchase";
    raw.member = std::string(*MemberOfCustomer(invoice.customer));
    raw.at = invoice.at;
    raw.amount = FormatMoney(RoundMicroToCents(sum_abs));
    if (!refund) {
      raw.order = invoice.number;
      raw.site = "online-retail";
      raw.shop = "online-retail";
      raw.category = "retail";
      raw.goods = "physical";
    }
    return ValidateEvent(raw, time_);
  }

  const ProgramTime& time_;
  const std::function<Status(const Event&)>& sink_;
  OnlineRetailStats* stats_;
  std::vector<std::string> fields_;
  std::vector<Invoice> invoices_;
  std::unordered_map<std::string, size_t> index_;
  size_t last_ = 0;
};

}  // namespace

Status ReadOnlineRetail(const std::string& path, const ProgramTime& time,
                        const std::function<Status(const Event&)>& sink, OnlineRetailStats* stats) {
  OnlineRetailStats local_stats;
  if (stats == nullptr) stats = &local_stats;
  *stats = OnlineRetailStats{};
  FilePtr file(std::fopen(path.c_str(), "rb"));
  if (!file) {
    return MakeError(ErrorCode::kIoError, "", "cannot open " + path + ": " + std::strerror(errno));
  }
  std::unique_ptr<ByteSource> source;
  if (path.ends_with(".zst")) {
    source = std::make_unique<ZstdSource>(std::move(file));
  } else {
    source = std::make_unique<PlainSource>(std::move(file));
  }
  RecordReader reader(source.get());
  Importer importer(time, sink, stats);
  if (Status status = importer.Read(&reader); !status.ok()) return status;
  return importer.Emit();
}

}  // namespace onecard
