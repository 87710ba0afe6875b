// DecodeEventJson reads the common line by hand and everything else through the JSON parser. The
// two paths must agree on every line: writing one character of the first key as a \u escape
// (which means the same in JSON) forces the parser's path, and both readings are compared —
// the event, or the error's code, field and message.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "engine/event_codec.h"
#include "engine/synthetic_stream.h"

namespace onecard {
namespace {

const ProgramTime kTime(8 * 3600);

// The same line with the last character of its first key written as \u00XX.
std::string EscapeFirstKey(const std::string& line) {
  const size_t colon = line.find("\":");
  if (colon == std::string::npos || colon == 0) return "";
  char escaped[8];
  std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(line[colon - 1]));
  return line.substr(0, colon - 1) + escaped + line.substr(colon);
}

std::string Describe(const Result<Event>& result) {
  if (!result.ok()) {
    return "error " + std::string(ErrorCodeName(result.error().code)) + " [" +
           result.error().field + "] " + result.error().message;
  }
  return "event " + EncodeEventJson(*result, kTime);
}

void ExpectBothPathsAgree(const std::string& line) {
  const std::string slow = EscapeFirstKey(line);
  ASSERT_FALSE(slow.empty()) << line;
  EXPECT_EQ(Describe(DecodeEventJson(line, kTime)), Describe(DecodeEventJson(slow, kTime))) << line;
}

TEST(EventCodecFastPath, AgreesWithTheParserOnEveryKindOfEvent) {
  SyntheticOptions options;
  options.members = 40;
  options.months = 3;
  options.time = kTime;
  SyntheticStream stream(options);
  int lines = 0;
  for (Event event; stream.Next(&event); ++lines) {
    ExpectBothPathsAgree(EncodeEventJson(event, kTime));
  }
  EXPECT_GT(lines, 1000);
}

TEST(EventCodecFastPath, AgreesWithTheParserOnOddAndBadLines) {
  const std::string head = R"({"id":"e1","type":"credit","member":"m1","at":"2024-03-01T10:00:00")";
  const std::string review =
      R"({"id":"e2","type":"review","member":"m1","at":"2024-03-01T10:00:00","order":"o1")";
  const std::vector<std::string> lines = {
      head + R"(,"level":3})",
      head + R"(,"level":0})",
      head + R"(,"level":6})",
      head + R"(,"level":07})",
      head + R"(,"level":3.0})",
      head + R"(,"level":3e0})",
      head + R"(,"level":-3})",
      head + R"(,"level":-0})",
      head + R"(,"level":123456789012345678})",
      head + R"(,"level":9223372036854775807})",
      head + R"(,"level":9223372036854775808})",
      head + R"(,"level":99999999999999999999999})",
      head + R"(,"level":"3"})",
      head + R"(,"level":null})",
      head + R"(,"level":true})",
      head + R"(,"level":[3]})",
      head + R"(,"level":{"a":3}})",
      head + R"(,"level":3,"photos":true})",
      head + R"(,"level":3,"extra":1})",
      head + R"(,"level":3} )",
      head + R"(,"level":3}x)",
      head + R"(,"level":3,})",
      head + R"(,"level":3)",
      head + "\t,\r\n\"level\" : 3 }",
      "  " + head + R"(,"level":3})",
      review + "}",
      review + R"(,"photos":true})",
      review + R"(,"photos":false})",
      review + R"(,"photos":null})",
      review + R"(,"photos":"true"})",
      review + R"(,"photos":tru})",
      review + R"(,"photos":1})",
      R"({"id":null,"type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"s"})",
      R"({"id":"","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"s"})",
      R"({"id":"e 1","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"s"})",
      R"({"id":"e1","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"caf)"
      "\xc3\xa9\"}",
      R"({"id":"e1","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"a\"b"})",
      R"({"id":"e1","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"a\u0041"})",
      R"({"id":"e1","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"a)"
      "\x7f\"}",
      R"({"id":"e1","type":"visit","member":"m1","at":"2024-03-01","site":"s"})",
      R"({"id":"e1","type":"visit","member":"m1","at":2024,"site":"s"})",
      R"({"id":"e1","type":"nope","member":"m1","at":"2024-03-01T10:00:00"})",
      R"({"id":"e1","type":"purchase","member":"m1","at":"2024-03-01T10:00:00","order":"o1",)"
      R"("amount":"12.345","site":"t","shop":"s","category":"c","goods":"physical"})",
      R"({"id":"e1","type":"purchase","member":"m1","at":"2024-03-01T10:00:00Z","order":"o1",)"
      R"("amount":"12.34","site":"t","shop":"s","category":"c","goods":"virtual"})",
      R"({"id":"e1","type":"refund","member":"m1","at":"2024-03-01T10:00:00+05:30",)"
      R"("amount":"1"})",
      R"({"id":"e1","type":"refund","member":"m1","at":"2024-03-01T10:00:00","amount":1})",
      R"({"id":"e1"})",
  };
  for (const std::string& line : lines) ExpectBothPathsAgree(line);
}

// A repeated key cannot be compared by escaping (the repeat check reads keys as written), so the
// result is pinned instead: the line is rejected, whichever path reads it.
TEST(EventCodecFastPath, RepeatedKeysAreRejected) {
  const Result<Event> result = DecodeEventJson(
      R"({"id":"e1","type":"visit","member":"m1","at":"2024-03-01T10:00:00","site":"s",)"
      R"("site":"t"})",
      kTime);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidJson);
  EXPECT_EQ(result.error().field, "site");
}

}  // namespace
}  // namespace onecard
