// Quote, commit and reverse; opening the service and restoring it after failed writes.
// Subscriptions are in checkout_subscriptions.cc, the listing and the use log in
// checkout_listing.cc.
#include "engine/checkout_service.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/checkout_limits.h"
#include "core/checkout_record.h"
#include "engine/checkout_budget.h"
#include "engine/checkout_committer.h"
#include "engine/checkout_member_cache.h"

namespace onecard {

struct CheckoutService::Prepared {
  const CheckoutRequest* request = nullptr;
  MemberStanding standing;
  int32_t tier_rank = -1;
  Instant at;
  UseWindow window;
};

CheckoutService::CheckoutService(const ProgramConfig& config, std::unique_ptr<BenefitStore> store,
                                 MemberStandingSource* standing, PartnerGateway* gateway,
                                 CheckoutOptions options)
    : config_(config),
      time_(config.utc_offset_seconds),
      store_(std::move(store)),
      standing_(standing),
      gateway_(gateway),
      options_(options),
      budgets_(std::make_unique<BudgetLedger>(&config_.benefits, options.budget_shards)),
      members_(std::make_unique<CheckoutMemberCache>(options.member_cache_max)) {}

CheckoutService::~CheckoutService() { committer_.reset(); }

Result<std::unique_ptr<CheckoutService>> CheckoutService::Open(const ProgramConfig& config,
                                                               std::unique_ptr<BenefitStore> store,
                                                               MemberStandingSource* standing,
                                                               PartnerGateway* gateway,
                                                               CheckoutOptions options) {
  ONECARD_ASSERT(standing != nullptr && options.budget_shards >= 1 && options.batch_jobs_max >= 1 &&
                 options.queue_jobs_max >= 1);
  std::unique_ptr<CheckoutService> service(
      new CheckoutService(config, std::move(store), standing, gateway, options));
  auto used = service->store_->LoadBudgets();
  if (!used.ok()) return used.error();
  service->budgets_->Load(*used);
  CheckoutService* raw = service.get();
  service->committer_ = std::make_unique<GroupCommitter>(
      raw->store_.get(), options.batch_jobs_max, options.queue_jobs_max,
      [raw](const std::vector<CommitJob>& jobs, const std::vector<Status>& outcomes) {
        raw->AfterBatch(jobs, outcomes);
      });
  return service;
}

int64_t CheckoutService::batches_written() const { return committer_->batches(); }

void CheckoutService::AfterBatch(const std::vector<CommitJob>& jobs,
                                 const std::vector<Status>& outcomes) {
  bool failed = false;
  {
    std::lock_guard budget_lock(budgets_->mutex());
    for (size_t i = 0; i < jobs.size(); ++i) {
      failed = failed || !outcomes[i].ok();
      for (const BudgetShardDelta& delta : jobs[i].write.budgets) {
        budgets_->Settle(delta, outcomes[i].ok());
      }
    }
  }
  if (!failed) return;
  bool restored = false;
  for (size_t i = 0; i < jobs.size(); ++i) {
    // A job of an older epoch is void: its member was restored when the epoch moved on, and the
    // restored state never included it.
    if (outcomes[i].ok() || jobs[i].epoch != jobs[i].member->epoch) continue;
    RestoreMember(*jobs[i].member);
    restored = true;
  }
  if (!restored) return;
  // The failure may have been a budget shard another process spent: take the store's amounts.
  // If even the read fails, the ledger keeps its own, which only the other process can exceed.
  auto used = store_->LoadBudgets();
  if (!used.ok()) return;
  std::lock_guard budget_lock(budgets_->mutex());
  budgets_->Resync(*used);
}

void CheckoutService::RestoreMember(CommitMember& writer) {
  std::unique_lock<std::mutex> lock;
  std::shared_ptr<CheckoutMemberEntry> entry = members_->Lock(writer.id, &lock);
  // Every job of the member decided until now, failed or queued, is void from here on; the state
  // to decide on is the store's, which has every write of the member that was written.
  ++writer.epoch;
  if (entry->writer.get() != &writer) return;  // a fresh entry: loads from the store anyway
  entry->usage = MemberUsage();
  entry->by_key.clear();
  entry->key_by_order.clear();
  entry->loaded = false;
  // Loaded now, on the committer thread, so that the member's version is read while no job of it
  // is being written; should the read fail, the next request loads it.
  if (Status loaded = LoadMember(*entry); !loaded.ok()) {
    entry->usage = MemberUsage();
    entry->by_key.clear();
    entry->key_by_order.clear();
  }
}

int32_t CheckoutService::HomeShard(std::string_view member) const {
  return static_cast<int32_t>(TransparentHash{}(member) %
                              static_cast<size_t>(options_.budget_shards));
}

Result<CheckoutService::Prepared> CheckoutService::Prepare(const CheckoutRequest& request,
                                                           Instant now) {
  if (Status valid = ValidateCheckoutRequest(request, config_.benefits); !valid.ok()) {
    return valid.error();
  }
  auto standing = standing_->Standing(request.member, now);
  if (!standing.ok()) return standing.error();
  Prepared prepared;
  prepared.request = &request;
  prepared.standing = std::move(standing).value();
  prepared.tier_rank = TierRank(config_.tiers, prepared.standing.tier);
  prepared.at = now;
  prepared.window.day = time_.DayOf(now);
  prepared.window.month = time_.MonthOf(now);
  if (prepared.standing.paid && prepared.standing.term_start.has_value()) {
    prepared.window.term_start_us = prepared.standing.term_start->us;
  }
  return prepared;
}

Status CheckoutService::LoadMember(CheckoutMemberEntry& entry) {
  auto data = store_->LoadMember(entry.writer->id);
  if (!data.ok()) return data.error();
  entry.writer->stored_version = data->version;
  // Counters are replayed from the commits and reversals in time order (a commit before a
  // reversal at the same instant), which rebuilds exactly the state the live service had.
  struct Step {
    Instant at;
    bool reversal;
    int32_t applied_index;  // into decoded
  };
  std::vector<std::pair<UseWindow, ::onecard::Quote>> decoded(data->commits.size());
  std::vector<Step> steps;
  for (size_t i = 0; i < data->commits.size(); ++i) {
    CheckoutCommitRecord& c = data->commits[i];
    Status read =
        DecodeCheckoutRecord(c.record, config_.benefits, &decoded[i].first, &decoded[i].second);
    if (!read.ok()) return read;
    steps.push_back({c.at, false, static_cast<int32_t>(i)});
    if (c.reversed_at.has_value()) steps.push_back({*c.reversed_at, true, static_cast<int32_t>(i)});
    entry.key_by_order.emplace(c.order, c.key);
    entry.by_key.emplace(std::move(c.key),
                         CheckoutCommitEntry{c.fingerprint, std::move(c.order), c.at,
                                             std::move(c.record), c.reversed_at, nullptr});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) {
    return std::pair(a.at, a.reversal) < std::pair(b.at, b.reversal);
  });
  for (const Step& step : steps) {
    const auto& [window, quote] = decoded[static_cast<size_t>(step.applied_index)];
    for (const AppliedBenefit& a : quote.applied) {
      if (!step.reversal) {
        entry.usage.Add(a.benefit, window, a.units, a.discount);
        continue;
      }
      const bool voucher = config_.benefits.benefits[static_cast<size_t>(a.benefit)].kind ==
                           BenefitKind::kMonthlyVoucher;
      entry.usage.Remove(a.benefit, window, a.units, a.discount,
                         !voucher || time_.MonthOf(step.at) == window.month);
    }
  }
  entry.loaded = true;
  return Status::Ok();
}

Result<std::shared_ptr<CheckoutMemberEntry>> CheckoutService::LockedMember(
    std::string_view member, std::unique_lock<std::mutex>* lock) {
  std::shared_ptr<CheckoutMemberEntry> entry = members_->Lock(member, lock);
  if (!entry->loaded) {
    if (Status loaded = LoadMember(*entry); !loaded.ok()) {
      // Leave no half-loaded entry behind.
      entry->usage = MemberUsage();
      entry->by_key.clear();
      entry->key_by_order.clear();
      return loaded.error();
    }
  }
  return entry;
}

void CheckoutService::PriceAndTake(const Prepared& prepared, const CheckoutMemberEntry& entry,
                                   ::onecard::Quote* quote, std::vector<BudgetTake>* takes) {
  const CheckoutRequest& request = *prepared.request;
  std::array<Money, checkout_limits::kChoicesMax> left;
  QuoteContext context;
  context.catalog = &config_.benefits;
  context.standing = &prepared.standing;
  context.tier_rank = prepared.tier_rank;
  context.at = prepared.at;
  context.window = prepared.window;
  context.usage = &entry.usage;
  context.budget_left = left.data();
  bool budgeted = false;
  for (size_t i = 0; i < request.choices.size(); ++i) {
    const BenefitBudget& budget =
        config_.benefits.benefits[static_cast<size_t>(request.choices[i].benefit)].budget;
    budgeted = budgeted || budget.total.has_value() || budget.per_month.has_value();
    left[i] = Money{std::numeric_limits<int64_t>::max()};
  }
  if (!budgeted) {
    ComputeQuote(context, request, quote);
    return;
  }
  // Decided and taken under the ledger's lock, so that what the quote saw is what is taken.
  std::lock_guard budget_lock(budgets_->mutex());
  for (size_t i = 0; i < request.choices.size(); ++i) {
    left[i] = budgets_->Left(request.choices[i].benefit, prepared.window.month);
  }
  ComputeQuote(context, request, quote);
  if (takes == nullptr) return;
  const int32_t home = HomeShard(request.member);
  for (const AppliedBenefit& a : quote->applied) {
    const bool taken =
        budgets_->TryTake(a.benefit, prepared.window.month, home, a.cost.minor, takes);
    ONECARD_ASSERT(taken);  // the quote checked the same budget under the same lock
  }
}

namespace {

Status CheckKey(std::string_view key) {
  const bool printable = std::all_of(key.begin(), key.end(), [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
  });
  if (key.empty() || static_cast<int64_t>(key.size()) > checkout_limits::kIdempotencyKeyBytesMax ||
      !printable) {
    return MakeError(ErrorCode::kInvalidArgument, "key",
                     "the idempotency key must be 1 to " +
                         std::to_string(checkout_limits::kIdempotencyKeyBytesMax) +
                         " printable bytes");
  }
  return Status::Ok();
}

// Waits for a write, then forgets the ticket (under the member's lock) if it is still the
// entry's latest; returns the write's outcome.
Status AwaitDurable(CheckoutMemberEntry& entry, const std::string& key,
                    const std::shared_ptr<CommitTicket>& ticket, bool owner) {
  Status durable = ticket->Wait();
  std::lock_guard lock(entry.mu);
  if (owner) --entry.writer->in_flight;
  auto found = entry.by_key.find(key);
  if (durable.ok() && found != entry.by_key.end() && found->second.pending == ticket) {
    found->second.pending.reset();
  }
  return durable;
}

}  // namespace

Result<CheckoutOutcome> CheckoutService::Quote(const CheckoutRequest& request, Instant now) {
  auto prepared = Prepare(request, now);
  if (!prepared.ok()) return prepared.error();
  CheckoutOutcome out;
  std::unique_lock<std::mutex> lock;
  auto entry = LockedMember(request.member, &lock);
  if (!entry.ok()) return entry.error();
  PriceAndTake(*prepared, **entry, &out.quote, nullptr);
  out.member = request.member;
  out.order = request.order;
  out.at = now;
  return out;
}

Result<CheckoutOutcome> CheckoutService::Replay(const CheckoutMemberEntry& entry,
                                                std::string_view key, uint64_t fingerprint,
                                                const CheckoutRequest& request) {
  const CheckoutCommitEntry& commit = entry.by_key.find(key)->second;
  if (commit.fingerprint != fingerprint) {
    return MakeError(ErrorCode::kIdempotencyConflict, "key",
                     "key " + QuoteInput(key) + " was used for another request (order " +
                         QuoteInput(commit.order) + ")");
  }
  CheckoutOutcome out;
  UseWindow window;
  if (Status read = DecodeCheckoutRecord(commit.record, config_.benefits, &window, &out.quote);
      !read.ok()) {
    return read.error();
  }
  out.member = request.member;
  out.order = commit.order;
  out.at = commit.at;
  out.replayed = true;
  return out;
}

Result<CheckoutOutcome> CheckoutService::Commit(std::string_view key,
                                                const CheckoutRequest& request, Instant now) {
  auto pending = Begin(key, request, now);
  if (!pending.ok()) return pending.error();
  return pending->Wait();
}

Result<CheckoutOutcome> PendingCommit::Wait() {
  if (ticket_ == nullptr) return outcome_;
  Status durable = AwaitDurable(*entry_, key_, ticket_, owner_);
  ticket_.reset();
  if (!durable.ok()) return durable.error();
  return outcome_;
}

Result<PendingCommit> CheckoutService::Begin(std::string_view key, const CheckoutRequest& request,
                                             Instant now) {
  if (Status valid = CheckKey(key); !valid.ok()) return valid.error();
  auto prepared = Prepare(request, now);
  if (!prepared.ok()) return prepared.error();
  const uint64_t fingerprint = RequestFingerprint(request, config_.benefits);
  std::shared_ptr<CheckoutMemberEntry> entry;
  std::shared_ptr<CommitTicket> ticket;
  CheckoutOutcome out;
  bool owner = false;
  committer_->WaitForRoom();  // before any lock (GroupCommitter::Submit)
  {
    std::unique_lock<std::mutex> lock;
    auto locked = LockedMember(request.member, &lock);
    if (!locked.ok()) return locked.error();
    entry = std::move(locked).value();
    if (auto found = entry->by_key.find(key); found != entry->by_key.end()) {
      auto replay = Replay(*entry, key, fingerprint, request);
      if (!replay.ok()) return replay.error();
      if (found->second.pending == nullptr) {
        PendingCommit done;
        done.outcome_ = std::move(replay).value();
        return done;
      }
      out = std::move(replay).value();
      ticket = found->second.pending;  // the first attempt is still being written: wait for it
    } else {
      if (entry->key_by_order.contains(request.order)) {
        return MakeError(ErrorCode::kDuplicateOrder, "order",
                         "order " + QuoteInput(request.order) + " was committed under another key");
      }
      if (static_cast<int64_t>(entry->by_key.size()) >= checkout_limits::kCommitsPerMemberMax) {
        return MakeError(ErrorCode::kLimitExceeded, "order",
                         "the member has " + std::to_string(checkout_limits::kCommitsPerMemberMax) +
                             " committed orders, the most kept");
      }
      std::vector<BudgetTake> takes;
      PriceAndTake(*prepared, *entry, &out.quote, &takes);
      out.member = request.member;
      out.order = request.order;
      out.at = now;
      CommitJob job;
      job.member = entry->writer;
      job.epoch = entry->writer->epoch;
      job.ticket = ticket = std::make_shared<CommitTicket>();
      for (const BudgetTake& take : takes) job.write.budgets.push_back(budgets_->Delta(take));
      CheckoutCommitRecord& record = job.write.commit.emplace();
      record.member = request.member;
      record.key = std::string(key);
      record.order = request.order;
      record.fingerprint = fingerprint;
      record.at = now;
      record.month = prepared->window.month;
      for (const AppliedBenefit& a : out.quote.applied) {
        record.uses += a.units;
        record.cost += a.cost;
      }
      record.record = EncodeCheckoutRecord(prepared->window, out.quote, config_.benefits);
      CheckoutCommitEntry commit{fingerprint,   request.order, now,
                                 record.record, std::nullopt,  ticket};
      committer_->Submit(std::move(job));
      for (const AppliedBenefit& a : out.quote.applied) {
        entry->usage.Add(a.benefit, prepared->window, a.units, a.discount);
      }
      ++entry->writer->in_flight;
      owner = true;
      entry->key_by_order.emplace(request.order, std::string(key));
      entry->by_key.emplace(std::string(key), std::move(commit));
    }
  }
  PendingCommit pending;
  pending.entry_ = std::move(entry);
  pending.ticket_ = std::move(ticket);
  pending.key_ = std::string(key);
  pending.owner_ = owner;
  pending.outcome_ = std::move(out);
  return pending;
}

namespace {

// What reversing `quote` (committed in `window`) at `at` gives back.
std::vector<ReturnedUse> Returns(const BenefitCatalog& catalog, const ProgramTime& time,
                                 const UseWindow& window, const Quote& quote, Instant at) {
  std::vector<ReturnedUse> returned;
  const bool same_month = time.MonthOf(at) == window.month;
  for (const AppliedBenefit& a : quote.applied) {
    const bool voucher =
        catalog.benefits[static_cast<size_t>(a.benefit)].kind == BenefitKind::kMonthlyVoucher;
    returned.push_back(
        {a.benefit, a.units, same_month ? a.discount : Money{}, a.cost, !voucher || same_month});
  }
  return returned;
}

}  // namespace

std::vector<BudgetShardDelta> CheckoutService::GiveBack(int32_t benefit, MonthKey month,
                                                        std::string_view member, Money cost) {
  std::vector<BudgetShardDelta> deltas;
  const BenefitBudget& budget = config_.benefits.benefits[static_cast<size_t>(benefit)].budget;
  if (cost.minor <= 0) return deltas;
  const int32_t home = HomeShard(member);
  std::lock_guard budget_lock(budgets_->mutex());
  for (int32_t period : {0, month.value}) {
    if (!(period == 0 ? budget.total : budget.per_month).has_value()) continue;
    const BudgetTake take{benefit, period, home, cost.minor};
    budgets_->Give(take);
    BudgetShardDelta delta = budgets_->Delta(take);
    delta.delta_minor = -cost.minor;
    deltas.push_back(std::move(delta));
  }
  return deltas;
}

Result<ReverseOutcome> CheckoutService::Reverse(std::string_view member, std::string_view order,
                                                Instant now) {
  if (member.empty() || static_cast<int64_t>(member.size()) > limits::kMemberIdBytesMax) {
    return MakeError(ErrorCode::kInvalidMember, "member", "member must be 1 to 64 bytes");
  }
  std::shared_ptr<CheckoutMemberEntry> entry;
  std::shared_ptr<CommitTicket> ticket;
  ReverseOutcome out;
  std::string key;
  bool owner = false;
  committer_->WaitForRoom();  // before any lock (GroupCommitter::Submit)
  {
    std::unique_lock<std::mutex> lock;
    auto locked = LockedMember(member, &lock);
    if (!locked.ok()) return locked.error();
    entry = std::move(locked).value();
    auto by_order = entry->key_by_order.find(order);
    if (by_order == entry->key_by_order.end()) {
      return MakeError(
          ErrorCode::kUnknownOrder, "order",
          "member " + QuoteInput(member) + " has no committed order " + QuoteInput(order));
    }
    key = by_order->second;
    CheckoutCommitEntry& commit = entry->by_key.find(key)->second;
    UseWindow window;
    ::onecard::Quote quote;
    if (Status read = DecodeCheckoutRecord(commit.record, config_.benefits, &window, &quote);
        !read.ok()) {
      return read.error();
    }
    out.member = std::string(member);
    out.order = std::string(order);
    if (commit.reversed_at.has_value()) {
      out.reversed_at = *commit.reversed_at;
      out.returned = Returns(config_.benefits, time_, window, quote, *commit.reversed_at);
      out.replayed = true;
      if (commit.pending == nullptr) return out;
      ticket = commit.pending;
    } else {
      if (commit.pending != nullptr) {
        // The commit itself is still being written; a reverse waits for it to be durable first.
        const std::shared_ptr<CommitTicket> first = commit.pending;
        lock.unlock();
        if (Status durable = first->Wait(); !durable.ok()) return durable.error();
        return Reverse(member, order, now);
      }
      out.reversed_at = now;
      out.returned = Returns(config_.benefits, time_, window, quote, now);
      CommitJob job;
      job.member = entry->writer;
      job.epoch = entry->writer->epoch;
      job.ticket = ticket = std::make_shared<CommitTicket>();
      job.write.reversal = ReversalWrite{std::string(member), key, now};
      for (const ReturnedUse& r : out.returned) {
        for (BudgetShardDelta& d : GiveBack(r.benefit, window.month, member, r.cost)) {
          job.write.budgets.push_back(std::move(d));
        }
      }
      committer_->Submit(std::move(job));
      for (const ReturnedUse& r : out.returned) {
        entry->usage.Remove(r.benefit, window, r.units, r.discount, r.units_returned);
      }
      ++entry->writer->in_flight;
      owner = true;
      commit.reversed_at = now;
      commit.pending = ticket;
    }
  }
  if (Status durable = AwaitDurable(*entry, key, ticket, owner); !durable.ok()) {
    return durable.error();
  }
  return out;
}

}  // namespace onecard
