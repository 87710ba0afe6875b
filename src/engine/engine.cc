#include "engine/engine.h"

#include <algorithm>
#include <future>
#include <unordered_set>

#include "core/breakdown_codec.h"
#include "core/limits.h"
#include "engine/event_codec.h"
#include "engine/parallel.h"

namespace onecard {

std::string_view IngestOutcomeName(IngestOutcome outcome) {
  switch (outcome) {
    case IngestOutcome::kAccepted:
      return "accepted";
    case IngestOutcome::kDuplicate:
      return "duplicate";
    case IngestOutcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

void IngestCounts::Add(const std::vector<IngestLineResult>& results) {
  for (const IngestLineResult& result : results) {
    switch (result.outcome) {
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
}

Engine::Engine(std::unique_ptr<Store> store, ProgramConfig config, EngineOptions options)
    : store_(std::move(store)),
      config_(std::move(config)),
      time_(config_.utc_offset_seconds),
      utc_(0),
      options_(options) {}

Result<std::unique_ptr<Engine>> Engine::Open(std::unique_ptr<Store> store, ProgramConfig config,
                                             EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine(std::move(store), std::move(config), options));
  if (Status recovered = engine->Recover(); !recovered.ok()) return recovered.error();
  return engine;
}

Engine::~Engine() { (void)Checkpoint(); }

Status Engine::Recover() {
  states_.clear();
  dirty_.clear();
  auto position = store_->LoadIngestPosition();
  if (!position.ok()) return position.error();
  last_batch_ = position->last_batch;
  checkpoint_batch_ = position->checkpoint_batch;
  if (last_batch_ == checkpoint_batch_) return Status::Ok();
  Status status =
      store_->ForEachEventAfterBatch(checkpoint_batch_, [&](std::string_view canonical) -> Status {
        auto event = DecodeEventJson(canonical, utc_);
        if (!event.ok()) {
          return MakeError(ErrorCode::kCorruptState, "events",
                           "a stored event cannot be read: " + event.error().ToString());
        }
        auto state = StateFor(event->member);
        if (!state.ok()) return state.error();
        if (Status applied = (*state)->Apply(*event, time_); !applied.ok()) {
          return MakeError(ErrorCode::kCorruptState, "events",
                           "a stored event does not fold again: " + applied.error().ToString());
        }
        dirty_.insert(event->member);
        return Status::Ok();
      });
  if (!status.ok()) return status;
  return Checkpoint();
}

Status Engine::Checkpoint() {
  if (dirty_.empty() && checkpoint_batch_ == last_batch_) return Status::Ok();
  std::vector<std::pair<std::string, std::string>> states;
  states.reserve(dirty_.size());
  for (const std::string& member : dirty_) {
    states.emplace_back(member, EncodeMemberState(states_.at(member)));
  }
  if (Status saved = store_->SaveCheckpoint(states, last_batch_); !saved.ok()) return saved;
  dirty_.clear();
  checkpoint_batch_ = last_batch_;
  return Status::Ok();
}

// Below this many events a batch's decoding and canonical text run on the calling thread only.
constexpr size_t kParallelEventsMin = 2'048;

Result<std::vector<IngestLineResult>> Engine::IngestLines(
    const std::vector<std::string_view>& lines, const IngestRecords& records) {
  std::vector<Result<Event>> decoded(lines.size(), Result<Event>(Error{}));
  ParallelFor(lines.size(), kParallelEventsMin, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) decoded[i] = DecodeEventJson(lines[i], time_);
  });
  return IngestDecoded(std::move(decoded), records);
}

Result<std::vector<IngestLineResult>> Engine::IngestEvents(std::vector<Event> events) {
  std::vector<Result<Event>> decoded;
  decoded.reserve(events.size());
  for (Event& event : events) decoded.emplace_back(std::move(event));
  return IngestDecoded(std::move(decoded));
}

Result<MemberState*> Engine::StateFor(const std::string& member) {
  auto found = states_.find(member);
  if (found != states_.end()) return &found->second;
  auto stored = store_->LoadMemberState(member);
  if (!stored.ok()) return stored.error();
  MemberState state(member);
  if (stored->has_value()) {
    auto decoded = DecodeMemberState(**stored);
    if (!decoded.ok()) return decoded.error();
    state = std::move(decoded).value();
  }
  return &states_.emplace(member, std::move(state)).first->second;
}

Result<std::vector<IngestLineResult>> Engine::IngestDecoded(std::vector<Result<Event>> decoded,
                                                            const IngestRecords& records) {
  if (static_cast<int64_t>(decoded.size()) > limits::kIngestBatchEventsMax) {
    return MakeError(
        ErrorCode::kLimitExceeded, "events",
        "a batch holds at most " + std::to_string(limits::kIngestBatchEventsMax) + " events");
  }
  if (static_cast<int64_t>(states_.size()) > options_.member_cache_members_max) {
    if (Status saved = Checkpoint(); !saved.ok()) return saved.error();
    states_.clear();
  }

  const size_t count = decoded.size();
  std::vector<IngestLineResult> results(count);
  auto reject = [&](size_t i, Error error) {
    results[i].outcome = IngestOutcome::kRejected;
    results[i].error = std::move(error);
  };

  // 1. Decoding errors; the stored content of every id the batch names (one look-up per id).
  std::vector<std::string_view> ids;
  std::unordered_map<std::string_view, size_t> id_slot;
  id_slot.reserve(count);
  ids.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (!decoded[i].ok()) {
      reject(i, decoded[i].error());
    } else if (id_slot.emplace(decoded[i]->id, ids.size()).second) {
      ids.push_back(decoded[i]->id);
    }
  }
  auto stored = store_->FindEvents(ids);
  if (!stored.ok()) return stored.error();
  // known[slot]: the content an id already stands for — stored, or accepted earlier in this batch.
  std::vector<std::optional<std::string>>& known = *stored;

  // The canonical content of every decoded event: independent per event, so spread over the cores.
  std::vector<std::string> canonical_texts(count);
  ParallelFor(count, kParallelEventsMin, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (decoded[i].ok()) canonical_texts[i] = EncodeEventJson(*decoded[i], utc_);
    }
  });

  // 2. Line by line, in order: a known id is a duplicate or a conflict; anything else is folded
  // into its member's state, and on success its id becomes known. A line that repeats a rejected
  // one is judged on its own.
  IngestWrite write;
  std::vector<std::string> touched;
  std::unordered_set<std::string_view> touched_set;
  for (size_t i = 0; i < count; ++i) {
    if (!decoded[i].ok()) continue;
    const Event& event = *decoded[i];
    std::string& canonical = canonical_texts[i];
    std::optional<std::string>& content = known[id_slot.at(event.id)];
    if (content.has_value()) {
      if (*content == canonical) {
        results[i].outcome = IngestOutcome::kDuplicate;
      } else {
        reject(i, MakeError(ErrorCode::kIdConflict, "id",
                            "event id \"" + event.id + "\" was sent before with other content"));
      }
      continue;
    }
    auto state = StateFor(event.member);
    if (!state.ok()) return state.error();
    if (Status applied = (*state)->Apply(event, time_); !applied.ok()) {
      reject(i, applied.error());
      continue;
    }
    results[i].outcome = IngestOutcome::kAccepted;
    content = canonical;
    if (touched_set.insert((*state)->member()).second) touched.push_back(event.member);
    write.events.push_back(
        StoredEvent{event.id, event.member, event.type, event.at, std::move(canonical)});
  }

  // 3. One durable commit for the batch, with the answers' idempotency records. If it fails, the
  // folded states are rebuilt from the checkpoint and the log, so that they hold exactly what the
  // store acknowledged.
  if (records) write.idempotency = records(results);
  if (write.events.empty()) {
    if (write.idempotency.empty()) return results;
    if (Status saved = store_->SaveIdempotencyRecords(write.idempotency); !saved.ok()) {
      return saved.error();
    }
    return results;
  }
  write.batch = last_batch_ + 1;
  if (Status committed = store_->CommitIngest(write); !committed.ok()) {
    if (Status recovered = Recover(); !recovered.ok()) return recovered.error();
    return committed.error();
  }
  last_batch_ = write.batch;
  for (const std::string& member : touched) dirty_.insert(member);
  if (last_batch_ - checkpoint_batch_ >= options_.checkpoint_batches_max ||
      static_cast<int64_t>(dirty_.size()) >= options_.checkpoint_members_max) {
    if (Status saved = Checkpoint(); !saved.ok()) return saved.error();
  }
  return results;
}

Result<PublicationInfo> Engine::FindPublication(MonthKey month) {
  auto publications = store_->ListPublications();
  if (!publications.ok()) return publications.error();
  for (const PublicationInfo& info : *publications) {
    if (info.month == month) return info;
  }
  return MakeError(ErrorCode::kNotPublished, "month",
                   FormatMonthKey(month) + " has not been published");
}

PublishedRow Engine::ScoreRow(const MemberState& state, MonthKey month,
                              const std::vector<std::string>& accepted_invitations) const {
  const ScoreBreakdown breakdown = ComputeScore(state, config_, month);
  const bool accepted =
      std::binary_search(accepted_invitations.begin(), accepted_invitations.end(), state.member());
  PublishedRow row;
  row.member = state.member();
  row.score = breakdown.score;
  row.tier = PublishedTier(config_.tiers, breakdown, accepted);
  row.shopping = breakdown.shopping;
  row.reward = breakdown.reward;
  row.active = breakdown.active;
  row.breadth = breakdown.breadth;
  row.credit_level = breakdown.credit_level;
  row.caps = breakdown.caps;
  row.breakdown = EncodeBreakdown(breakdown);
  return row;
}

Result<std::vector<PublishedRow>> Engine::ScoreChunk(
    const std::vector<std::string>& states, MonthKey month, Instant instant,
    const std::vector<std::string>& accepted_invitations) const {
  std::vector<PublishedRow> rows;
  rows.reserve(states.size());
  for (const std::string& bytes : states) {
    auto state = DecodeMemberState(bytes);
    if (!state.ok()) return state.error();
    if (IsCovered(*state, instant)) rows.push_back(ScoreRow(*state, month, accepted_invitations));
  }
  return rows;
}

Result<PublicationInfo> Engine::Publish(MonthKey month, Instant now,
                                        const RecordFor<PublicationInfo>& record) {
  auto publications = store_->ListPublications();
  if (!publications.ok()) return publications.error();
  for (const PublicationInfo& info : *publications) {
    if (info.month == month) {
      return MakeError(ErrorCode::kAlreadyPublished, "month",
                       FormatMonthKey(month) + " is already published; publications are final");
    }
  }
  if (!publications->empty() && publications->back().month > month) {
    return MakeError(ErrorCode::kMonthNotAfterLatest, "month",
                     "the latest publication is " + FormatMonthKey(publications->back().month) +
                         "; publish a later month");
  }
  PublicationInfo info;
  info.month = month;
  info.instant = PublicationInstant(config_, month);
  info.published_at = now;
  info.rule_version = config_.rule_version;
  if (info.instant > now) {
    return MakeError(ErrorCode::kInstantInFuture, "month",
                     "the instant of " + FormatMonthKey(month) + " (" +
                         time_.FormatLocal(info.instant) + ") has not come yet");
  }
  // The publication reads the saved states, so every acknowledged event must be in them.
  if (Status saved = Checkpoint(); !saved.ok()) return saved.error();
  auto accepted = store_->AcceptedInvitationMembers();
  if (!accepted.ok()) return accepted.error();

  auto writer = store_->BeginPublication(info);
  if (!writer.ok()) return writer.error();
  // A pipeline of chunks: while a worker decodes and scores chunk k, this thread reads chunk k+1
  // from the store and then writes the rows of chunk k (the store's connection stays on this
  // thread). Rows keep the store's member order.
  constexpr size_t kChunkStates = 4096;
  int64_t members = 0;
  std::vector<std::string> chunk;
  std::future<Result<std::vector<PublishedRow>>> scoring;
  auto write_scored = [&]() -> Status {
    if (!scoring.valid()) return Status::Ok();
    auto rows = scoring.get();
    if (!rows.ok()) return rows.error();
    for (const PublishedRow& row : *rows) {
      if (Status added = (*writer)->Add(row); !added.ok()) return added;
    }
    members += static_cast<int64_t>(rows->size());
    return Status::Ok();
  };
  auto start_scoring = [&]() {
    scoring = std::async(std::launch::async, [this, states = std::move(chunk), month,
                                              instant = info.instant, &accepted = *accepted]() {
      return ScoreChunk(states, month, instant, accepted);
    });
    chunk = {};
  };
  Status status =
      store_->ForEachMemberState([&](std::string_view, std::string_view bytes) -> Status {
        chunk.emplace_back(bytes);
        if (chunk.size() < kChunkStates) return Status::Ok();
        if (Status written = write_scored(); !written.ok()) return written;
        start_scoring();
        return Status::Ok();
      });
  if (status.ok()) status = write_scored();
  if (status.ok() && !chunk.empty()) {
    start_scoring();
    status = write_scored();
  }
  if (scoring.valid()) scoring.wait();  // never leave a worker running past this frame
  if (!status.ok()) return status.error();
  info.members = members;
  if (record) {
    if (Status added = (*writer)->AddIdempotencyRecord(record(info)); !added.ok()) {
      return added.error();
    }
  }
  status = (*writer)->Commit(members);
  if (!status.ok()) return status.error();
  return info;
}

Status Engine::ForEachScore(MonthKey month,
                            const std::function<Status(const PublishedRow&)>& visit) {
  auto publication = FindPublication(month);
  if (!publication.ok()) return publication.error();
  return store_->ForEachPublishedRow(month, visit);
}

Result<std::vector<TierCount>> Engine::Tiers(MonthKey month) {
  auto publication = FindPublication(month);
  if (!publication.ok()) return publication.error();
  auto counts = store_->CountTiers(month);
  if (!counts.ok()) return counts.error();
  // Every configured tier is listed, in the config's order, even when nobody is in it.
  std::vector<TierCount> ordered;
  auto take = [&](const std::string& name) {
    TierCount entry{name, 0};
    for (const TierCount& count : *counts) {
      if (count.tier == name) entry.members = count.members;
    }
    ordered.push_back(entry);
  };
  for (const Tier& tier : config_.tiers.tiers) take(tier.name);
  if (config_.tiers.invitation.has_value()) take(config_.tiers.invitation->name);
  return ordered;
}

Result<MemberReport> Engine::Member(std::string_view member) {
  MemberReport report;
  report.member = std::string(member);
  // The cached state is the newest (it may hold batches not yet checkpointed); else the store's.
  // A cached state without events is one whose only events were rejected: not a member yet.
  if (auto cached = states_.find(std::string(member)); cached != states_.end()) {
    report.has_state = cached->second.has_events();
    report.events = cached->second.event_count();
  } else {
    auto state = store_->LoadMemberState(member);
    if (!state.ok()) return state.error();
    if (state->has_value()) {
      auto decoded = DecodeMemberState(**state);
      if (!decoded.ok()) return decoded.error();
      report.has_state = true;
      report.events = decoded->event_count();
    }
  }
  std::vector<MonthKey> months;
  auto rows = store_->MemberPublishedRows(member, &months);
  if (!rows.ok()) return rows.error();
  auto publications = store_->ListPublications();
  if (!publications.ok()) return publications.error();
  for (size_t i = 0; i < rows->size(); ++i) {
    MemberPublication entry;
    for (const PublicationInfo& info : *publications) {
      if (info.month == months[i]) entry.info = info;
    }
    entry.row = std::move((*rows)[i]);
    auto breakdown = DecodeBreakdown(entry.row.breakdown);
    if (!breakdown.ok()) return breakdown.error();
    entry.breakdown = std::move(breakdown).value();
    report.publications.push_back(std::move(entry));
  }
  if (!report.has_state && report.publications.empty()) {
    return MakeError(ErrorCode::kUnknownMember, "member",
                     "no member \"" + std::string(member) + "\" is known");
  }
  auto invitation = store_->LoadInvitation(member);
  if (!invitation.ok()) return invitation.error();
  report.invitation = std::move(invitation).value();
  return report;
}

Result<Invitation> Engine::Invite(std::string_view member, Instant now,
                                  const RecordFor<Invitation>& record) {
  if (!config_.tiers.invitation.has_value()) {
    return MakeError(ErrorCode::kNotEligible, "member", "this program has no invitation tier");
  }
  auto publications = store_->ListPublications();
  if (!publications.ok()) return publications.error();
  if (publications->empty()) {
    return MakeError(ErrorCode::kNotPublished, "month", "nothing has been published yet");
  }
  const MonthKey latest = publications->back().month;
  auto row = store_->LoadPublishedRow(latest, member);
  if (!row.ok()) return row.error();
  if (!row->has_value()) {
    return MakeError(
        ErrorCode::kUnknownMember, "member",
        "\"" + std::string(member) + "\" is not in the " + FormatMonthKey(latest) + " publication");
  }
  auto breakdown = DecodeBreakdown((*row)->breakdown);
  if (!breakdown.ok()) return breakdown.error();
  const InvitationTier& tier = *config_.tiers.invitation;
  if (!EligibleForInvitation(config_.tiers, *breakdown)) {
    return MakeError(
        ErrorCode::kNotEligible, "member",
        "in " + FormatMonthKey(latest) + " the score was " + std::to_string(breakdown->score) +
            " and net spend " + FormatMoney(breakdown->net_spend) + "; " + tier.name + " needs " +
            std::to_string(tier.min_score) + " and " + FormatMoney(tier.min_net_spend));
  }
  auto existing = store_->LoadInvitation(member);
  if (!existing.ok()) return existing.error();
  if (existing->has_value()) {
    return MakeError(ErrorCode::kAlreadyInvited, "member",
                     "\"" + std::string(member) + "\" was already invited after " +
                         FormatMonthKey((*existing)->month));
  }
  Invitation invitation{std::string(member), latest, now, std::nullopt};
  std::vector<IdempotencyRecord> records;
  if (record) records.push_back(record(invitation));
  if (Status saved = store_->SaveInvitation(invitation, records); !saved.ok()) {
    return saved.error();
  }
  return invitation;
}

Result<Invitation> Engine::Accept(std::string_view member, Instant now,
                                  const RecordFor<Invitation>& record) {
  auto existing = store_->LoadInvitation(member);
  if (!existing.ok()) return existing.error();
  if (!existing->has_value()) {
    return MakeError(ErrorCode::kNotInvited, "member",
                     "\"" + std::string(member) + "\" has no invitation to accept");
  }
  Invitation invitation = std::move(**existing);
  if (invitation.accepted_at.has_value()) {  // accepting twice changes nothing but the record
    if (!record) return invitation;
    if (Status saved = store_->SaveIdempotencyRecords({record(invitation)}); !saved.ok()) {
      return saved.error();
    }
    return invitation;
  }
  invitation.accepted_at = now;
  std::vector<IdempotencyRecord> records;
  if (record) records.push_back(record(invitation));
  if (Status saved = store_->SaveInvitation(invitation, records); !saved.ok()) {
    return saved.error();
  }
  return invitation;
}

}  // namespace onecard
