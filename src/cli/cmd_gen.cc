// `onecard gen`: a synthetic ecosystem event stream as canonical JSONL on standard output,
// deterministic by seed; used by tests, benchmarks and demos.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/cli_common.h"
#include "cli/commands.h"
#include "engine/event_codec.h"
#include "engine/synthetic_stream.h"

namespace onecard::cli {
namespace {

struct GenOptions {
  int64_t members = 1'000;
  int32_t months = 12;
  uint64_t seed = 1;
  std::string first_month = "2025-01";
  std::string utc_offset = "+08:00";
  int32_t duplicate_permille = 5;
  int32_t out_of_order_permille = 20;
  int32_t events_per_member_mean = 40;
};

int RunGen(const GenOptions& options) {
  SyntheticOptions synthetic;
  synthetic.members = options.members;
  synthetic.months = options.months;
  synthetic.seed = options.seed;
  auto first = ParseMonthKey(options.first_month);
  if (!first.ok()) return Fail(first.error());
  synthetic.first_month = *first;
  auto offset = ParseUtcOffset(options.utc_offset);
  if (!offset.ok()) {
    return Fail(MakeError(ErrorCode::kInvalidArgument, "utc-offset", offset.error().message));
  }
  synthetic.time = ProgramTime(*offset);
  synthetic.duplicate_permille = options.duplicate_permille;
  synthetic.out_of_order_permille = options.out_of_order_permille;
  synthetic.events_per_member_mean = options.events_per_member_mean;
  if (Status valid = ValidateSyntheticOptions(synthetic); !valid.ok()) return Fail(valid.error());

  SyntheticStream stream(synthetic);
  Progress progress("gen", options.members * options.months);
  Event event;
  std::string buffer;
  while (stream.Next(&event)) {
    buffer += EncodeEventJson(event, synthetic.time);
    buffer += '\n';
    if (buffer.size() >= (1 << 20)) {
      if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size()) {
        return Fail(MakeError(ErrorCode::kIoError, "output", "cannot write to standard output"));
      }
      buffer.clear();
      progress.Update(stream.counters().active_member_months,
                      Thousands(stream.counters().events) + " events");
    }
  }
  if (std::fwrite(buffer.data(), 1, buffer.size(), stdout) != buffer.size() ||
      std::fflush(stdout) != 0) {
    return Fail(MakeError(ErrorCode::kIoError, "output", "cannot write to standard output"));
  }
  progress.Finish();
  const SyntheticCounters& counters = stream.counters();
  std::fprintf(stderr, "generated %s events (%s duplicates, %s out of order)\n",
               Thousands(counters.events).c_str(), Thousands(counters.duplicates).c_str(),
               Thousands(counters.out_of_order).c_str());
  return 0;
}

}  // namespace

void AddGenCommand(CLI::App& app, std::function<int()>* run) {
  auto options = std::make_shared<GenOptions>();
  CLI::App* gen = app.add_subcommand(
      "gen", "Write a synthetic ecosystem event stream (JSONL) to standard output");
  gen->add_option("--members", options->members, "members")->capture_default_str();
  gen->add_option("--months", options->months, "months")->capture_default_str();
  gen->add_option("--seed", options->seed, "the seed; same seed, same stream")
      ->capture_default_str();
  gen->add_option("--first-month", options->first_month, "YYYY-MM")->capture_default_str();
  gen->add_option("--utc-offset", options->utc_offset, "program time zone, e.g. +08:00")
      ->capture_default_str();
  gen->add_option("--duplicate-permille", options->duplicate_permille,
                  "deliveries repeated, per thousand")
      ->capture_default_str();
  gen->add_option("--out-of-order-permille", options->out_of_order_permille,
                  "deliveries reordered, per thousand")
      ->capture_default_str();
  gen->add_option("--events-per-member", options->events_per_member_mean,
                  "mean events per member and month")
      ->capture_default_str();
  gen->callback([run, options]() { *run = [options]() { return RunGen(*options); }; });
}

}  // namespace onecard::cli
