// `onecard checkout quote|commit|reverse`: JSON in (a file or - for stdin), JSON out.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/checkout_cli.h"
#include "cli/commands.h"
#include "engine/checkout_codec.h"

namespace onecard::cli {
namespace {

struct CheckoutOptions {
  std::string input = "-";
  std::string key;
  std::string member;
  std::string order;
};

Result<std::string> ReadInput(const std::string& path) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kIoError, "input", "cannot read " + path);
    text << in.rdbuf();
  }
  return text.str();
}

int RunPricing(const GlobalOptions& global, const CheckoutOptions& options, bool commit) {
  auto session = OpenCheckoutFor(global);
  if (!session.ok()) return Fail(session.error());
  auto text = ReadInput(options.input);
  if (!text.ok()) return Fail(text.error());
  CheckoutService& service = *session->service;
  auto input = DecodeCheckoutJson(*text, service.catalog());
  if (!input.ok()) return Fail(input.error());
  std::string key = options.key.empty() ? input->key : options.key;
  Result<CheckoutOutcome> outcome = commit ? service.Commit(key, input->request, session->now)
                                           : service.Quote(input->request, session->now);
  if (!outcome.ok()) return Fail(outcome.error());
  std::printf("%s\n", EncodeCheckoutOutcomeJson(*outcome, input->request, service.catalog(),
                                                session->engine->time())
                          .c_str());
  return 0;
}

int RunReverse(const GlobalOptions& global, const CheckoutOptions& options) {
  auto session = OpenCheckoutFor(global);
  if (!session.ok()) return Fail(session.error());
  auto outcome = session->service->Reverse(options.member, options.order, session->now);
  if (!outcome.ok()) return Fail(outcome.error());
  std::printf(
      "%s\n",
      EncodeReverseJson(*outcome, session->service->catalog(), session->engine->time()).c_str());
  return 0;
}

}  // namespace

void AddCheckoutCommands(CLI::App& app, const GlobalOptions& global, std::function<int()>* run) {
  auto options = std::make_shared<CheckoutOptions>();
  CLI::App* checkout = app.add_subcommand(
      "checkout", "Price, commit and reverse orders that use benefits (JSON in and out)");
  checkout->require_subcommand(1);
  CLI::App* quote = checkout->add_subcommand(
      "quote", "Price a cart with the member's chosen benefits; uses nothing up");
  quote->add_option("input", options->input, "the request JSON file, or - for stdin");
  quote->callback([&global, run, options] {
    *run = [&global, options] { return RunPricing(global, *options, false); };
  });
  CLI::App* commit = checkout->add_subcommand(
      "commit", "Price and commit an order under an idempotency key (\"key\" or --key)");
  commit->add_option("input", options->input, "the request JSON file, or - for stdin");
  commit->add_option("--key", options->key, "the idempotency key (else the request's \"key\")");
  commit->callback([&global, run, options] {
    *run = [&global, options] { return RunPricing(global, *options, true); };
  });
  CLI::App* reverse = checkout->add_subcommand(
      "reverse", "Reverse (refund) a committed order: give back what it used");
  reverse->add_option("--member", options->member, "the member")->required();
  reverse->add_option("--order", options->order, "the order id")->required();
  reverse->callback([&global, run, options] {
    *run = [&global, options] { return RunReverse(global, *options); };
  });
}

}  // namespace onecard::cli
