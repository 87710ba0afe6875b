// The online-retail importer: the CSV dialect, the invoice → event mapping with exact sums and
// rounding, the skipped invoices, errors with line numbers, and the pinned figures of the real
// file.
#include "engine/online_retail.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

namespace onecard {
namespace {

const std::string kSourceDir = ONECARD_SOURCE_DIR;
const std::string kSamplePath = kSourceDir + "/tests/data/online_retail_sample.csv";
const std::string kRealPath =
    kSourceDir + "/data/online-retail/online_retail_2010-12_2011-12.csv.zst";
constexpr std::string_view kHeader =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";

struct Import {
  Status status;
  std::vector<Event> events;
  OnlineRetailStats stats;
};

Import ReadAll(const std::string& path, const ProgramTime& time = ProgramTime(0)) {
  Import import;
  import.status = ReadOnlineRetail(
      path, time,
      [&](const Event& event) {
        import.events.push_back(event);
  return Status::Ok();
},
      &import.stats);
return import;
}  // namespace

std::string WriteTemp(const std::string& name, std::string_view content) {
  // The process id keeps concurrent test runs (ctest -j, other build trees) apart.
  std::string path = ::testing::TempDir() + "/" + std::to_string(::getpid()) + "-" + name;
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

Instant At(std::string_view local, const ProgramTime& time) {
  Result<Instant> instant = time.ParseTimestamp(local);
  EXPECT_TRUE(instant.ok()) << local;
  return instant.ok() ? *instant : Instant{};
}

Event Purchase(std::string invoice, std::string member, std::string_view at, int64_t cents,
               const ProgramTime& time) {
  Event event;
  event.id = "retail-" + invoice;
  event.type = EventType::kPurchase;
  event.member = std::move(member);
  event.at = At(at, time);
  event.order = std::move(invoice);
  event.amount = Money{cents};
  event.site = "online-retail";
  event.shop = "online-retail";
  event.category = "retail";
  event.goods = Goods::kPhysical;
  return event;
}

Event Refund(const std::string& invoice, std::string member, std::string_view at, int64_t cents,
             const ProgramTime& time) {
  Event event;
  event.id = "retail-" + invoice;
  event.type = EventType::kRefund;
  event.member = std::move(member);
  event.at = At(at, time);
  event.amount = Money{cents};
  return event;
}

TEST(OnlineRetailTest, MapsTheSampleInvoicesExactly) {
  const ProgramTime time(3600);  // the file's clock is program-local: UTC+1 here
  Import import = ReadAll(kSamplePath, time);
  ASSERT_TRUE(import.status.ok()) << import.status.error().ToString();
  std::vector<Event> expected = {
      // 6 × 2.55 + 6 × 3.39 + 8 × 2.75 (a later, non-adjacent line with another minute).
      Purchase("536365", "17850", "2010-12-01 08:26:00", 5764, time),
      Purchase("536366", "17851", "2010-12-01 08:28:00", 555, time),
      Refund("C536379", "14527", "2010-12-01 09:41:00", 2750, time),
      // 5 × 0.001 = 0.005 rounds up to a cent.
      Purchase("536381", "17852", "2010-12-01 10:00:00", 1, time),
      // 3 × 0.335 + 18 = 19.005, exactly, rounds half up.
      Purchase("536382", "17852", "2010-12-01 10:01:00", 1901, time),
      // −3 × 0.335 = −1.005 rounds away from zero.
      Refund("C536383", "17853", "2010-12-01 10:02:00", 101, time),
  };
  EXPECT_EQ(import.events, expected);
  EXPECT_EQ(import.events[0].at.us, 1291188360LL * 1'000'000);  // 07:26 UTC

  OnlineRetailStats stats;
  stats.rows = 13;
  stats.invoices = 10;
  stats.purchases = 4;
  stats.refunds = 2;
  stats.guest_invoices = 1;
  stats.adjustment_invoices = 1;
  stats.anomalies = 2;  // 536384 sums below zero, C536386 above
  stats.mixed_invoices = 1;
  stats.customers = 5;
  EXPECT_EQ(import.stats, stats);
}

TEST(OnlineRetailTest, AcceptsCrLfQuotedLineBreaksAndNoFinalNewline) {
  std::string csv = std::string(kHeader);
  csv.back() = '\r';
  csv += "\n1,A,\"TWO\r\nLINES, \"\"QUOTED\"\"\",2,2011-01-02 03:04:05,1.5,12.0,UK\r\n";
  csv += "2,A,,1,2011-01-02 03:04:06,0.10,12.0,UK";
  Import import = ReadAll(WriteTemp("crlf.csv", csv));
  ASSERT_TRUE(import.status.ok()) << import.status.error().ToString();
  ASSERT_EQ(import.events.size(), 2u);
  EXPECT_EQ(import.events[0].amount.minor, 300);
  EXPECT_EQ(import.events[1].amount.minor, 10);
  EXPECT_EQ(import.events[1].member, "12");
  EXPECT_EQ(import.stats.rows, 2);
  EXPECT_EQ(import.stats.customers, 1);
}

struct BadCase {
  std::string body;  // after the header
  std::string message;
};

TEST(OnlineRetailTest, MalformedRowsNameTheirLine) {
  const std::string ok = "1,A,x,1,2011-01-02 03:04:05,1.5,12.0,UK\n";
  const std::vector<BadCase> cases = {
      {ok + "2,A,x,1,2011-01-02 03:04:05,1.5,12.0\n", "line 3: expected 8 fields, found 7"},
      {ok + "2,A,x,1.5,2011-01-02 03:04:05,1.5,12.0,UK\n", "line 3: bad Quantity"},
      {ok + "2,A,x,1,2011-01-02 03:04:05,1.1234567,12.0,UK\n", "line 3: bad UnitPrice"},
      {ok + "2,A,x,1,2011-01-02 03:04:05,1e3,12.0,UK\n", "line 3: bad UnitPrice"},
      {ok + "2,A,x,1,2011-01-02T03:04:05,1,12.0,UK\n",
       "line 3: InvoiceDate must be YYYY-MM-DD HH:MM:SS"},
      {ok + "2,A,x,1,2011-01-02 03:04:05,1,abc,UK\n", "line 3: bad CustomerID"},
      {ok + ",A,x,1,2011-01-02 03:04:05,1,12.0,UK\n", "line 3: empty InvoiceNo"},
      {ok + "2,A,\"x\"y,1,2011-01-02 03:04:05,1,12.0,UK\n", "line 3: text after a closing quote"},
      {ok + "2,A,x\"y\"z,1,2011-01-02 03:04:05,1,12.0,UK\n",
       "line 3: quote inside an unquoted field"},
      {ok + "2,A,\"x,1,2011-01-02 03:04:05,1,12.0,UK\n", "line 3: unterminated quoted field"},
      {ok + "\n", "line 3: expected 8 fields, found 1"},
      // The calendar is checked when the invoice becomes an event: named by its first line.
      {ok + "2,A,x,1,2011-02-30 03:04:05,1,12.0,UK\n", "line 3: invoice 2: invalid_at (at)"},
  };
  for (const BadCase& bad : cases) {
    Import import = ReadAll(WriteTemp("bad.csv", std::string(kHeader) + bad.body));
    ASSERT_FALSE(import.status.ok()) << bad.body;
    const Error& error = import.status.error();
    EXPECT_EQ(error.code, ErrorCode::kInvalidArgument) << bad.body;
    EXPECT_EQ(error.message.substr(0, bad.message.size()), bad.message) << error.message;
  }
}

TEST(OnlineRetailTest, RejectsAWrongHeaderAndAnEmptyFile) {
  Import wrong = ReadAll(WriteTemp("header.csv", "InvoiceNo,StockCode\n1,A\n"));
  ASSERT_FALSE(wrong.status.ok());
  EXPECT_EQ(wrong.status.error().message.substr(0, 21), "line 1: header must b");
  Import empty = ReadAll(WriteTemp("empty.csv", ""));
  ASSERT_FALSE(empty.status.ok());
  EXPECT_EQ(empty.status.error().message, "line 1: missing header");
}

TEST(OnlineRetailTest, ReportsMissingAndTruncatedFiles) {
  Import missing = ReadAll(::testing::TempDir() + "/no-such-file.csv");
  ASSERT_FALSE(missing.status.ok());
  EXPECT_EQ(missing.status.error().code, ErrorCode::kIoError);

  std::ifstream in(kRealPath, std::ios::binary);
  std::string half(1 << 20, '\0');
  in.read(half.data(), static_cast<std::streamsize>(half.size()));
  Import truncated = ReadAll(WriteTemp("truncated.csv.zst", half));
  ASSERT_FALSE(truncated.status.ok());
  EXPECT_EQ(truncated.status.error().code, ErrorCode::kIoError);
  EXPECT_TRUE(truncated.events.empty());
}

TEST(OnlineRetailTest, StopsAtTheFirstSinkError) {
  int calls = 0;
  Status status = ReadOnlineRetail(
      kSamplePath, ProgramTime(0),
      [&](const Event&) {
        return ++calls == 2 ? Status(MakeError(ErrorCode::kStoreError, "", "full")) : Status::Ok();
      },
      nullptr);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kStoreError);
  EXPECT_EQ(calls, 2);
}

// The figures of data/online-retail, measured once and pinned (see its README).
TEST(OnlineRetailTest, ReadsTheRealFile) {
  Import import = ReadAll(kRealPath);
  ASSERT_TRUE(import.status.ok()) << import.status.error().ToString();
  EXPECT_EQ(import.stats.rows, 541909);
  EXPECT_EQ(import.stats.invoices, 25900);
  EXPECT_EQ(import.stats.purchases, 18536);
  EXPECT_EQ(import.stats.refunds, 3654);
  EXPECT_EQ(import.stats.guest_invoices, 3707);
  EXPECT_EQ(import.stats.adjustment_invoices, 3);
  EXPECT_EQ(import.stats.anomalies, 0);
  EXPECT_EQ(import.stats.mixed_invoices, 43);
  EXPECT_EQ(import.stats.customers, 4372);
  ASSERT_EQ(import.events.size(), 18536u + 3654u);
  int64_t net_cents = 0;
  for (const Event& event : import.events) {
    net_cents += event.type == EventType::kPurchase ? event.amount.minor : -event.amount.minor;
  }
  EXPECT_EQ(net_cents, 830006581);
  EXPECT_EQ(import.events.front().id, "retail-536365");
  EXPECT_EQ(import.events.front().amount.minor, 13912);
  EXPECT_EQ(import.events.back().at, ProgramTime(0).ParseTimestamp("2011-12-09T12:50:00").value());
}

}  // namespace onecard
}  // namespace onecard
