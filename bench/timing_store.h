// A Store that forwards every call to another and adds up the wall time spent in each method, so
// that a benchmark can split an engine call into "inside the store" (SQLite, fsync) and "in the
// engine" (decode, canonical text, fold, state encoding) without touching src/.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "store/forwarding_store.h"

namespace onecard::bench {

struct MethodTime {
  double seconds = 0;
  int64_t calls = 0;
};

// Process CPU time (user + system) in seconds.
inline double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Methods not overridden here are forwarded untimed by ForwardingStore.
class TimingStore final : public ForwardingStore {
 public:
  TimingStore(std::unique_ptr<Store> inner, std::map<std::string, MethodTime>* times)
      : ForwardingStore(std::move(inner)), times_(times) {}

  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    return Time("GetSetting", [&] { return inner().GetSetting(key); });
  }
  Status PutSetting(std::string_view key, std::string_view value) override {
    return Time("PutSetting", [&] { return inner().PutSetting(key, value); });
  }
  Result<std::vector<std::optional<Event>>> FindEvents(
      const std::vector<std::string_view>& ids) override {
    return Time("FindEvents", [&] { return inner().FindEvents(ids); });
  }
  Result<int64_t> CountEvents() override {
    return Time("CountEvents", [&] { return inner().CountEvents(); });
  }
  Result<std::optional<std::string>> LoadMemberState(std::string_view member) override {
    return Time("LoadMemberState", [&] { return inner().LoadMemberState(member); });
  }
  Status ForEachMemberState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override {
    return Time("ForEachMemberState (incl. the engine's visit)",
                [&] { return inner().ForEachMemberState(visit); });
  }
  Status CommitIngest(const IngestWrite& write) override {
    return Time("CommitIngest", [&] { return inner().CommitIngest(write); });
  }
  Result<IngestPosition> LoadIngestPosition() override {
    return Time("LoadIngestPosition", [&] { return inner().LoadIngestPosition(); });
  }
  Status SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                        int64_t checkpoint_batch) override {
    return Time("SaveCheckpoint", [&] { return inner().SaveCheckpoint(states, checkpoint_batch); });
  }
  Status ForEachEventAfterBatch(int64_t batch,
                                const std::function<Status(const Event&)>& visit) override {
    return Time("ForEachEventAfterBatch",
                [&] { return inner().ForEachEventAfterBatch(batch, visit); });
  }
  Result<std::vector<PublicationInfo>> ListPublications() override {
    return Time("ListPublications", [&] { return inner().ListPublications(); });
  }
  Result<std::unique_ptr<PublicationWriter>> BeginPublication(
      const PublicationInfo& info) override {
    auto writer = Time("BeginPublication", [&] { return inner().BeginPublication(info); });
    if (!writer.ok()) return writer;
    return std::unique_ptr<PublicationWriter>(
        std::make_unique<TimingWriter>(std::move(writer).value(), this));
  }
  Result<std::vector<std::string>> AcceptedInvitationMembers() override {
    return Time("AcceptedInvitationMembers", [&] { return inner().AcceptedInvitationMembers(); });
  }

 private:
  class TimingWriter final : public PublicationWriter {
   public:
    TimingWriter(std::unique_ptr<PublicationWriter> inner, TimingStore* store)
        : inner_(std::move(inner)), store_(store) {}
    Status Add(const PublishedRow& row) override {
      return store_->Time("PublicationWriter::Add", [&] { return inner_->Add(row); });
    }
    Status Commit(int64_t members) override {
      return store_->Time("PublicationWriter::Commit", [&] { return inner_->Commit(members); });
    }
    Status AddIdempotencyRecord(const IdempotencyRecord& record) override {
      return inner_->AddIdempotencyRecord(record);
    }

   private:
    std::unique_ptr<PublicationWriter> inner_;
    TimingStore* store_;
  };

  template <typename F>
  auto Time(const char* name, F&& call) -> decltype(call()) {
    auto start = std::chrono::steady_clock::now();
    auto result = call();
    MethodTime& entry = (*times_)[name];
    entry.seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ++entry.calls;
    return result;
  }

  std::map<std::string, MethodTime>* times_;
};

inline void PrintMethodTimes(const std::map<std::string, MethodTime>& times, double total) {
  for (const auto& [name, time] : times) {
    if (time.seconds < 0.0005) continue;
    std::printf("      store %-44s %8.3f s  %5.1f%%  %9lld calls\n", name.c_str(), time.seconds,
                100.0 * time.seconds / total, static_cast<long long>(time.calls));
  }
}

}  // namespace onecard::bench
