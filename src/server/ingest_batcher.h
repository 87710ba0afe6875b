// Group commit for POST /v1/events: requests from every connection queue here, and one committer
// thread takes all that are waiting (up to group_commit_events_max events), looks up their
// Idempotency-Keys, and hands their lines to the engine as one batch: one transaction and one fsync
// for all of them. While that commit runs, the next group gathers, so the number of fsyncs per
// second stays flat as the request rate grows. Each request gets its own answer (its lines'
// results, numbered as in its body), and its idempotency record is stored in the same transaction.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "server/idempotency.h"
#include "server/metrics.h"
#include "server/server_limits.h"

namespace onecard::server {

struct ApiResponse;

// One POST /v1/events, split into lines.
struct IngestJob {
  std::string body;                // JSONL: the body, which `lines` point into
  std::vector<std::string> owned;  // a JSON array: its elements as text, which `lines` point into
  std::vector<std::string_view> lines;           // the events, in order
  std::vector<int64_t> line_numbers;             // each line's number in the body (1-based)
  std::optional<IdempotencyRecord> idempotency;  // the request side, when it has a key
  std::function<void(ApiResponse)> respond;      // called once, on the committer thread
};

class IngestBatcher {
 public:
  // Everything passed must outlive the batcher; `engine_mutex` guards every use of `engine`.
  IngestBatcher(Engine& engine, std::mutex& engine_mutex, IdempotencyKeeper& keeper,
                Metrics& metrics, const ServerLimits& limits, std::function<Instant()> clock);
  // Answers every job still queued, then stops the committer.
  ~IngestBatcher();
  IngestBatcher(const IngestBatcher&) = delete;
  IngestBatcher& operator=(const IngestBatcher&) = delete;

  void Submit(std::unique_ptr<IngestJob> job);

 private:
  void Run();
  // The next group, in arrival order. A job whose (scope, key) is already in the group waits for
  // the next one, where it finds the first one's record.
  std::vector<std::unique_ptr<IngestJob>> TakeGroup();
  void Commit(std::vector<std::unique_ptr<IngestJob>> group);

  Engine& engine_;
  std::mutex& engine_mutex_;
  IdempotencyKeeper& keeper_;
  Metrics& metrics_;
  const ServerLimits& limits_;
  std::function<Instant()> clock_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<IngestJob>> queue_;
  bool stopping_ = false;
  std::thread committer_;
};

// The 200 body of one request: counts and one result per line, for results[begin, begin + count).
std::string IngestResponseBody(const std::vector<IngestLineResult>& results, size_t begin,
                               const std::vector<int64_t>& line_numbers);

}  // namespace onecard::server
