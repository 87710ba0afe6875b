// Thousands of random operations on program "other" (1 point per unit, no pending days, lots for
// 100 days, holds for 15 minutes), checked against a simple model written independently of the
// ledger: lots kept in a plain vector and searched by brute force, holds keeping the lots they
// took, refunds taking back from the order's own lot, shortfall as debt, expired points written
// off. After every operation the result code and every member's available points and debt equal
// the model's; at the end every invariant holds, before and after rebuilding from the log.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "support/ledger_harness.h"

namespace onecard {
namespace {

using namespace test_support;

struct ModelLot {
  int64_t amount;
  int64_t expires;
  int64_t seq;        // creation order: first in first out among equal expiry
  std::string order;  // the order that earned it, empty for points moved in
};

struct ModelOrder {
  std::string member;
  int64_t units = 0;     // amount in whole currency units (= points earned)
  int64_t refunded = 0;  // units refunded
  int64_t taken = 0;     // points taken back (reversed, debt, written off)
  int64_t expired = 0;   // points of its lot that expired
  int64_t written_off = 0;
};

struct ModelHold {
  std::string member;
  std::vector<ModelLot> lots;
  bool open = true;
  bool posted = false;
};

class Model {
 public:
  int64_t Available(const std::string& m) const {
    int64_t sum = 0;
    auto it = lots_.find(m);
    if (it != lots_.end()) {
      for (const ModelLot& lot : it->second) sum += lot.amount;
    }
    return sum;
  }
  int64_t Debt(const std::string& m) const {
    auto it = debt_.find(m);
    return it == debt_.end() ? 0 : it->second;
  }

  // Takes `points` earliest-expiring first (then earliest made); REQUIRES enough.
  std::vector<ModelLot> Take(const std::string& m, int64_t points) {
    std::vector<ModelLot>& lots = lots_[m];
    std::vector<ModelLot> taken;
    while (points > 0) {
      size_t best = 0;
      for (size_t i = 1; i < lots.size(); ++i) {
        if (std::tie(lots[i].expires, lots[i].seq) < std::tie(lots[best].expires, lots[best].seq)) {
          best = i;
        }
      }
      const int64_t take = std::min(points, lots[best].amount);
      ModelLot part = lots[best];
      part.amount = take;
      taken.push_back(part);
      lots[best].amount -= take;
      points -= take;
      if (lots[best].amount == 0) lots.erase(lots.begin() + static_cast<long>(best));
    }
    return taken;
  }
  void Give(const std::string& m, ModelLot lot) {
    for (ModelLot& mine : lots_[m]) {
      if (mine.seq == lot.seq && mine.expires == lot.expires) {
        mine.amount += lot.amount;
        return;
      }
    }
    lots_[m].push_back(lot);
  }

  void Earn(const std::string& m, const std::string& order, int64_t units, int64_t now) {
    orders_[order] = ModelOrder{m, units, 0, 0, 0, 0};
    if (units == 0) return;
    Give(m, ModelLot{units, now + 100 * kDayUs, ++seq_, order});
    const int64_t pay = std::min(Debt(m), units);
    if (pay > 0) {
      // The settlement takes from the new lot itself.
      for (ModelLot& lot : lots_[m]) {
        if (lot.seq == seq_) lot.amount -= pay;
      }
      std::erase_if(lots_[m], [](const ModelLot& lot) { return lot.amount == 0; });
      debt_[m] -= pay;
    }
  }
  void Move(const std::string& from, const std::string& to, int64_t points) {
    const int64_t seq = ++seq_;
    for (ModelLot lot : Take(from, points)) {
      Give(to, ModelLot{lot.amount, lot.expires, seq, ""});
    }
  }
  void Hold(const std::string& id, const std::string& m, int64_t points, int64_t now) {
    holds_[id] = ModelHold{m, Take(m, points), true};
    hold_timeouts_.emplace(now + 15 * 60'000'000, id);
  }
  void Settle(const std::string& id, bool post) {
    ModelHold& hold = holds_[id];
    hold.open = false;
    hold.posted = post;
    if (!post) {
      for (const ModelLot& lot : hold.lots) Give(hold.member, lot);
    }
  }
  void Refund(const std::string& order_id, int64_t units) {
    ModelOrder& order = orders_[order_id];
    order.refunded += units;
    const int64_t take = (order.units - order.taken) - (order.units - order.refunded);
    if (take <= 0) return;
    int64_t from_lot = 0;
    for (ModelLot& lot : lots_[order.member]) {
      if (lot.order == order_id && lot.seq > 0) {
        from_lot = std::min(take, lot.amount);
        lot.amount -= from_lot;
      }
    }
    std::erase_if(lots_[order.member], [](const ModelLot& lot) { return lot.amount == 0; });
    const int64_t rest = take - from_lot;
    const int64_t off = std::min(rest, order.expired - order.written_off);
    order.written_off += off;
    debt_[order.member] += rest - off;
    order.taken += take;
  }
  // The job: holds past their timeout return their lots, then lots at or past expiry go.
  void Job(int64_t now) {
    for (auto it = hold_timeouts_.begin(); it != hold_timeouts_.end() && it->first <= now;) {
      if (holds_[it->second].open) Settle(it->second, false);
      it = hold_timeouts_.erase(it);
    }
    for (auto& [member, lots] : lots_) {
      for (const ModelLot& lot : lots) {
        if (lot.expires <= now && !lot.order.empty()) orders_[lot.order].expired += lot.amount;
      }
      std::erase_if(lots, [now](const ModelLot& lot) { return lot.expires <= now; });
    }
  }
  const std::map<std::string, ModelOrder>& orders() const { return orders_; }
  const std::map<std::string, ModelHold>& holds() const { return holds_; }

 private:
  std::map<std::string, std::vector<ModelLot>> lots_;
  std::map<std::string, int64_t> debt_;
  std::map<std::string, ModelOrder> orders_;
  std::map<std::string, ModelHold> holds_;
  std::multimap<int64_t, std::string> hold_timeouts_;
  int64_t seq_ = 0;
};

TEST(LedgerRandom, ThousandsOfOperationsMatchASimpleModel) {
  constexpr int kOperations = 4000;
  constexpr int kMembers = 8;
  std::mt19937_64 random(20250808);
  auto pick = [&](int64_t n) { return static_cast<int64_t>(random() % static_cast<uint64_t>(n)); };
  LedgerHarness h;
  Model model;
  int64_t now = Day(0).us;
  int64_t next_id = 0;
  std::vector<std::string> open_holds;
  for (int op = 0; op < kOperations; ++op) {
    if (pick(10) == 0) now += pick(6) * kDayUs + pick(3600) * 1'000'000;
    auto job = h.service().RunJob(Instant{now});
    ASSERT_TRUE(job.ok());
    model.Job(now);
    const std::string id = "i" + std::to_string(++next_id);
    const std::string a = "m" + std::to_string(pick(kMembers));
    std::string b = "m" + std::to_string(pick(kMembers));
    if (b == a) b = "m" + std::to_string((std::stoi(a.substr(1)) + 1) % kMembers);
    const int64_t points = 1 + pick(300);
    std::string expected = "ok";
    std::string code;
    switch (pick(6)) {
      case 0: {  // earn
        const int64_t units = pick(400);
        code = h.Code(
            Earn(a, id, std::to_string(units) + ".00", Instant{now}, "online", "misc", "other"),
            Instant{now});
        if (units == 0) expected = "invalid_amount";
        if (expected == "ok") model.Earn(a, id, units, now);
        break;
      }
      case 1:  // redeem
        code = h.Code(Redeem(id, a, points, false, "other"), Instant{now});
        if (model.Available(a) < points) expected = "insufficient_points";
        if (expected == "ok") model.Take(a, points);
        break;
      case 2:  // transfer
        code = h.Code(Move(id, a, b, points, "other"), Instant{now});
        if (model.Available(a) < points) expected = "insufficient_points";
        if (expected == "ok") model.Move(a, b, points);
        break;
      case 3:  // hold
        code = h.Code(Redeem(id, a, points, true, "other"), Instant{now});
        if (model.Available(a) < points) expected = "insufficient_points";
        if (expected == "ok") {
          model.Hold(id, a, points, now);
          open_holds.push_back(id);
        }
        break;
      case 4: {  // settle a hold made earlier (it may have timed out)
        if (open_holds.empty()) continue;
        const std::string hold =
            open_holds[static_cast<size_t>(pick(static_cast<int64_t>(open_holds.size())))];
        const bool post = pick(2) == 0;
        code = h.Code(SettleRequest{id, hold, post, ""}, Instant{now});
        const ModelHold& held = model.holds().at(hold);
        if (!held.open) expected = held.posted ? "already_posted" : "already_voided";
        if (expected == "ok") model.Settle(hold, post);
        break;
      }
      default: {  // refund part of an order
        std::vector<std::string> refundable;
        for (const auto& [order, o] : model.orders()) {
          if (o.refunded < o.units) refundable.push_back(order);
        }
        if (refundable.empty()) continue;
        const std::string order =
            refundable[static_cast<size_t>(pick(static_cast<int64_t>(refundable.size())))];
        const ModelOrder& o = model.orders().at(order);
        const int64_t units = 1 + pick(o.units - o.refunded);
        code = h.Code(Refund(id, order, std::to_string(units) + ".00", Instant{now}, "other"),
                      Instant{now});
        model.Refund(order, units);
        break;
      }
    }
    ASSERT_EQ(code, expected) << "operation " << op;
    for (int m = 0; m < kMembers; ++m) {
      const std::string member = "m" + std::to_string(m);
      ASSERT_EQ(h.Available(member, 1), model.Available(member)) << member << " after op " << op;
      ASSERT_EQ(h.Debt(member, 1), model.Debt(member)) << member << " after op " << op;
    }
  }
  EXPECT_GT(h.ledger().transfers().size(), 2000u);
  h.ExpectSound();
  h.Reopen();
  h.ExpectSound();
  for (int m = 0; m < kMembers; ++m) {
    const std::string member = "m" + std::to_string(m);
    EXPECT_EQ(h.Available(member, 1), model.Available(member));
  }
}

}  // namespace
}  // namespace onecard
