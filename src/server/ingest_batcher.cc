#include "server/ingest_batcher.h"

#include <boost/json.hpp>
#include <set>
#include <utility>

#include "server/api.h"
#include "server/error_status.h"

namespace onecard::server {

IngestBatcher::IngestBatcher(Engine& engine, std::mutex& engine_mutex, IdempotencyKeeper& keeper,
                             Metrics& metrics, const ServerLimits& limits,
                             std::function<Instant()> clock)
    : engine_(engine),
      engine_mutex_(engine_mutex),
      keeper_(keeper),
      metrics_(metrics),
      limits_(limits),
      clock_(std::move(clock)),
      committer_([this] { Run(); }) {}

IngestBatcher::~IngestBatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  committer_.join();
}

void IngestBatcher::Submit(std::unique_ptr<IngestJob> job) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void IngestBatcher::Run() {
  while (true) {
    std::vector<std::unique_ptr<IngestJob>> group;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and every job answered
      group = TakeGroup();
    }
    Commit(std::move(group));
  }
}

std::vector<std::unique_ptr<IngestJob>> IngestBatcher::TakeGroup() {
  std::vector<std::unique_ptr<IngestJob>> group;
  std::deque<std::unique_ptr<IngestJob>> waiting;
  std::set<std::pair<std::string, std::string>> keys;
  int64_t events = 0;
  while (!queue_.empty()) {
    std::unique_ptr<IngestJob>& job = queue_.front();
    const int64_t job_events = static_cast<int64_t>(job->lines.size());
    if (!group.empty() && events + job_events > limits_.group_commit_events_max) break;
    if (job->idempotency && !keys.emplace(job->idempotency->scope, job->idempotency->key).second) {
      waiting.push_back(std::move(job));
    } else {
      events += job_events;
      group.push_back(std::move(job));
    }
    queue_.pop_front();
  }
  while (!waiting.empty()) {
    queue_.push_front(std::move(waiting.back()));
    waiting.pop_back();
  }
  return group;
}

void IngestBatcher::Commit(std::vector<std::unique_ptr<IngestJob>> group) {
  std::vector<std::pair<IngestJob*, ApiResponse>> answers;
  {
    std::lock_guard engine_lock(engine_mutex_);
    const Instant now = clock_();
    std::vector<IngestJob*> run;
    for (const std::unique_ptr<IngestJob>& job : group) {
      std::optional<ApiResponse> answer;
      if (job->idempotency) answer = keeper_.Check(engine_, *job->idempotency, now);
      if (answer) {
        answers.emplace_back(job.get(), std::move(*answer));
      } else {
        run.push_back(job.get());
      }
    }
    if (!run.empty()) {
      std::vector<std::string_view> lines;
      std::vector<size_t> begins;
      for (IngestJob* job : run) {
        begins.push_back(lines.size());
        lines.insert(lines.end(), job->lines.begin(), job->lines.end());
      }
      std::vector<std::string> bodies(run.size());
      auto records = [&](const std::vector<IngestLineResult>& results) {
        std::vector<IdempotencyRecord> out;
        for (size_t j = 0; j < run.size(); ++j) {
          bodies[j] = IngestResponseBody(results, begins[j], run[j]->line_numbers);
          if (run[j]->idempotency) {
            out.push_back(IdempotencyKeeper::Complete(*run[j]->idempotency, 200, bodies[j], now));
          }
        }
        return out;
      };
      auto results = engine_.IngestLines(lines, records);  // durable (fsynced) before it returns
      if (results.ok()) {
        IngestCounts counts;
        counts.Add(*results);
        metrics_.AddEvents(counts.accepted, counts.duplicate, counts.rejected);
      }
      for (size_t j = 0; j < run.size(); ++j) {
        ApiResponse response;
        if (results.ok()) {
          response.body = std::move(bodies[j]);
        } else {
          response.status = HttpStatusFor(results.error().code);
          response.body = ErrorBody(results.error());
        }
        answers.emplace_back(run[j], std::move(response));
      }
    }
  }
  // Answered outside the engine's mutex: the next group can start committing meanwhile.
  for (auto& [job, response] : answers) job->respond(std::move(response));
}

namespace {

void AppendEscaped(std::string_view text, std::string* out) {
  *out += boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

}  // namespace

std::string IngestResponseBody(const std::vector<IngestLineResult>& results, size_t begin,
                               const std::vector<int64_t>& line_numbers) {
  const size_t count = line_numbers.size();
  int64_t accepted = 0, duplicate = 0, rejected = 0;
  for (size_t i = begin; i < begin + count; ++i) {
    switch (results[i].outcome) {
      case IngestOutcome::kAccepted:
        ++accepted;
        break;
      case IngestOutcome::kDuplicate:
        ++duplicate;
        break;
      case IngestOutcome::kRejected:
        ++rejected;
        break;
    }
  }
  // Written by hand rather than through a JSON DOM: this is the hot path of ingest, and only the
  // error texts need escaping.
  std::string out;
  out.reserve(64 + count * 34);
  out += "{\"accepted\":" + std::to_string(accepted) +
         ",\"duplicate\":" + std::to_string(duplicate) +
         ",\"rejected\":" + std::to_string(rejected) + ",\"results\":[";
  for (size_t k = 0; k < count; ++k) {
    const IngestLineResult& result = results[begin + k];
    if (k > 0) out += ',';
    out += "{\"line\":";
    out += std::to_string(line_numbers[k]);
    out += ",\"result\":\"";
    out += IngestOutcomeName(result.outcome);
    out += '"';
    if (result.error) {
      out += ",\"error\":{\"code\":\"";
      out += ErrorCodeName(result.error->code);
      out += "\",\"message\":";
      AppendEscaped(result.error->message, &out);
      out += ",\"field\":";
      AppendEscaped(result.error->field, &out);
      out += '}';
    }
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace onecard::server
