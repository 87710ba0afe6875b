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
      options_(options) {}

Result<std::unique_ptr<Engine>> Engine::Open(std::unique_ptr<Store> store, ProgramConfig config,
                                             EngineOptions options) {
  std::unique_ptr<Engine> engine(new Engine(std::move(store), std::move(config), options));
  if (Status recovered = engine->Recover(); !recovered.ok()) return recovered.error();
  return engine;
}

Engine::~Engine() { (void)Checkpoint(); }

Status Engine::Recover() {
  states_.Clear();
  DropWorking();
  auto position = store_->LoadIngestPosition();
  if (!position.ok()) return position.error();
  last_batch_ = position->last_batch;
  checkpoint_batch_ = position->checkpoint_batch;
  // Only checkpoints after an ingest save states: a store that never took a batch has none.
  all_loaded_ = last_batch_ == 0;
  if (last_batch_ == checkpoint_batch_) return Status::Ok();
  Status status =
      store_->ForEachEventAfterBatch(checkpoint_batch_, [&](const Event& event) -> Status {
        auto state = WorkingState(event.member);
        if (!state.ok()) return state.error();
        if (Status applied = (*state)->Apply(event, time_); !applied.ok()) {
          return MakeError(ErrorCode::kCorruptState, "events",
                           "a stored event does not fold again: " + applied.error().ToString());
        }
        working_changed_[working_index_.find(event.member)->second] = 1;
        return Status::Ok();
      });
  if (!status.ok()) {
    DropWorking();
    return status;
  }
  KeepWorking();
  return Checkpoint();
}

Status Engine::Checkpoint() {
  if (states_.dirty_count() == 0 && checkpoint_batch_ == last_batch_) return Status::Ok();
  std::vector<std::pair<std::string, std::string>> states;
  for (std::string_view bytes : states_.DirtyStates()) {
    states.emplace_back(EncodedStateMember(bytes), bytes);
  }
  if (Status saved = store_->SaveCheckpoint(states, last_batch_); !saved.ok()) return saved;
  states_.ClearDirty();
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

Result<MemberState*> Engine::WorkingState(std::string_view member) {
  if (auto found = working_index_.find(member); found != working_index_.end()) {
    return &working_[found->second];
  }
  if (working_used_ == working_.size()) {
    working_.emplace_back();
    working_changed_.push_back(0);
  }
  MemberState* state = &working_[working_used_];
  working_changed_[working_used_] = 0;
  std::string_view bytes = states_.Find(member);
  std::optional<std::string> stored;
  if (bytes.empty() && !all_loaded_) {
    auto loaded = store_->LoadMemberState(member);
    if (!loaded.ok()) return loaded.error();
    stored = std::move(loaded).value();
    if (stored.has_value()) {
      bytes = *stored;
      if (EncodedStateMember(bytes) != member) {
        return MakeError(ErrorCode::kCorruptState, "member",
                         "the stored state of " + std::string(member) + " names another member");
      }
    }
  }
  if (bytes.empty()) {
    state->Reset(member);
  } else if (Status decoded = DecodeMemberStateInto(bytes, state); !decoded.ok()) {
    return decoded.error();
  }
  // A state read from the store is kept resident (clean) from now on.
  if (stored.has_value()) states_.Put(member, *stored, false);
  working_index_.emplace(std::string(member), working_used_);
  ++working_used_;
  return state;
}

void Engine::DropWorking() {
  working_index_.clear();
  working_used_ = 0;
}

void Engine::KeepWorking() {
  // Encoding is independent per member, so it is spread over the cores; the table is filled on
  // this thread.
  std::vector<std::string>& encoded = working_encoded_;
  if (encoded.size() < working_used_) encoded.resize(working_used_);
  ParallelFor(working_used_, 256, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      if (working_changed_[i] != 0) EncodeMemberStateTo(working_[i], &encoded[i]);
    }
  });
  for (size_t i = 0; i < working_used_; ++i) {
    if (working_changed_[i] != 0) states_.Put(working_[i].member(), encoded[i], true);
  }
  DropWorking();
}

Result<std::vector<IngestLineResult>> Engine::IngestDecoded(std::vector<Result<Event>> decoded,
                                                            const IngestRecords& records) {
  if (static_cast<int64_t>(decoded.size()) > limits::kIngestBatchEventsMax) {
    return MakeError(
        ErrorCode::kLimitExceeded, "events",
        "a batch holds at most " + std::to_string(limits::kIngestBatchEventsMax) + " events");
  }
  if (static_cast<int64_t>(states_.size()) > options_.resident_members_max) {
    if (Status saved = Checkpoint(); !saved.ok()) return saved.error();
    states_.Clear();
    all_loaded_ = false;
  }

  const size_t count = decoded.size();
  std::vector<IngestLineResult> results(count);
  auto reject = [&](size_t i, Error error) {
    results[i].outcome = IngestOutcome::kRejected;
    results[i].error = std::move(error);
  };

  // 1. Decoding errors; the stored event of every id the batch names (one look-up per id).
  std::vector<std::string_view> ids;
  std::vector<size_t> slot_of(count);  // the id's index in `ids`, for each decoded line
  {
    std::unordered_map<std::string_view, size_t> id_slot;
    id_slot.reserve(count);
    ids.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      if (!decoded[i].ok()) {
        reject(i, decoded[i].error());
        continue;
      }
      auto [it, fresh] = id_slot.emplace(decoded[i]->id, ids.size());
      if (fresh) ids.push_back(decoded[i]->id);
      slot_of[i] = it->second;
    }
  }
  auto stored = store_->FindEvents(ids);
  if (!stored.ok()) return stored.error();
  // known[slot]: the event an id already stands for — stored, or accepted earlier in this batch.
  std::vector<const Event*> known(ids.size(), nullptr);
  for (size_t slot = 0; slot < ids.size(); ++slot) {
    if ((*stored)[slot].has_value()) known[slot] = &*(*stored)[slot];
  }

  // 2. Line by line, in order: a known id is a duplicate (same content: the fields of its type)
  // or a conflict; anything else is folded into its member's state, and on success its id
  // becomes known. A line that repeats a rejected one is judged on its own.
  IngestWrite write;
  write.events.reserve(count);  // known[] points into it: it must not reallocate
  DropWorking();
  for (size_t i = 0; i < count; ++i) {
    if (!decoded[i].ok()) continue;
    Event& event = *decoded[i];
    const Event*& content = known[slot_of[i]];
    if (content != nullptr) {
      if (SameEventContent(*content, event)) {
        results[i].outcome = IngestOutcome::kDuplicate;
      } else {
        reject(i, MakeError(ErrorCode::kIdConflict, "id",
                            "event id \"" + event.id + "\" was sent before with other content"));
      }
      continue;
    }
    auto state = WorkingState(event.member);
    if (!state.ok()) {
      DropWorking();
      return state.error();
    }
    if (Status applied = (*state)->Apply(event, time_); !applied.ok()) {
      reject(i, applied.error());
      continue;
    }
    results[i].outcome = IngestOutcome::kAccepted;
    working_changed_[working_index_.find(event.member)->second] = 1;
    write.events.push_back(std::move(event));  // `ids` and the map are no longer read
    content = &write.events.back();
  }

  // 3. One durable commit for the batch, with the answers' idempotency records. The folded states
  // reach the resident table only after it, so a failed commit leaves them exactly as the store
  // acknowledged them.
  if (records) write.idempotency = records(results);
  if (write.events.empty()) {
    DropWorking();
    if (write.idempotency.empty()) return results;
    if (Status saved = store_->SaveIdempotencyRecords(write.idempotency); !saved.ok()) {
      return saved.error();
    }
    return results;
  }
  write.batch = last_batch_ + 1;
  if (Status committed = store_->CommitIngest(write); !committed.ok()) {
    DropWorking();
    return committed.error();
  }
  last_batch_ = write.batch;
  KeepWorking();
  if (last_batch_ - checkpoint_batch_ >= options_.checkpoint_batches_max ||
      static_cast<int64_t>(states_.dirty_count()) >= options_.checkpoint_members_max) {
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
  row.member = std::string(state.member());
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
  thread_local MemberState state;
  for (const std::string& bytes : states) {
    if (Status decoded = DecodeMemberStateInto(bytes, &state); !decoded.ok()) {
      return decoded.error();
    }
    if (IsCovered(state, instant)) rows.push_back(ScoreRow(state, month, accepted_invitations));
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
  // Saved first, so that a publication never holds what the store does not.
  if (Status saved = Checkpoint(); !saved.ok()) return saved.error();
  auto accepted = store_->AcceptedInvitationMembers();
  if (!accepted.ok()) return accepted.error();
  auto resident = LoadAllStates();
  if (!resident.ok()) return resident.error();

  auto writer = store_->BeginPublication(info);
  if (!writer.ok()) return writer.error();
  int64_t members = 0;
  Status status = *resident
                      ? WriteRowsFromMemory(**writer, month, info.instant, *accepted, &members)
                      : WriteRowsFromStore(**writer, month, info.instant, *accepted, &members);
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

Result<bool> Engine::LoadAllStates() {
  if (all_loaded_) return true;
  bool too_many = false;
  Status status =
      store_->ForEachMemberState([&](std::string_view member, std::string_view bytes) -> Status {
        if (static_cast<int64_t>(states_.size()) >= options_.resident_members_max) {
          too_many = true;
          return MakeError(ErrorCode::kLimitExceeded, "", "stop");
        }
        if (EncodedStateMember(bytes) != member) {
          return MakeError(ErrorCode::kCorruptState, "member",
                           "the stored state of " + std::string(member) + " names another member");
        }
        // A resident state is the newer one: it may hold batches not yet checkpointed. A stored
        // one is checked whole once here, so that scoring may read it without its names.
        if (!states_.Find(member).empty()) return Status::Ok();
        thread_local MemberState check;
        if (Status decoded = DecodeMemberStateInto(bytes, &check); !decoded.ok()) return decoded;
        states_.Put(member, bytes, false);
        return Status::Ok();
      });
  if (too_many) {
    // Every dirty state was saved before this is called, so nothing is lost.
    ONECARD_ASSERT(states_.dirty_count() == 0);
    states_.Clear();
    return false;
  }
  if (!status.ok()) return status.error();
  all_loaded_ = true;
  return true;
}

namespace {

// The first eight bytes of `text`, big-endian and zero-padded: comparing these compares the
// texts' beginnings bytewise.
uint64_t SortPrefix(std::string_view text) {
  uint64_t prefix = 0;
  for (size_t i = 0; i < 8; ++i) {
    prefix = (prefix << 8) | (i < text.size() ? static_cast<uint8_t>(text[i]) : 0u);
  }
  return prefix;
}

}  // namespace

// Rows go to the store in bytewise member order (its key order, so the write appends to each
// B-tree page in turn). A worker thread decodes and scores chunk k while this thread writes the
// rows of chunk k-1 (the store's connection stays on this thread).
Status Engine::WriteRowsFromMemory(PublicationWriter& writer, MonthKey month, Instant instant,
                                   const std::vector<std::string>& accepted, int64_t* members) {
  struct Key {
    uint64_t prefix;
    std::string_view member;
    std::string_view bytes;
  };
  std::vector<Key> keys;
  keys.reserve(states_.size());
  for (size_t slot = 0; slot < states_.slot_count(); ++slot) {
    const std::string_view bytes = states_.StateAt(slot);
    if (bytes.empty()) continue;
    const std::string_view member = EncodedStateMember(bytes);
    keys.push_back(Key{SortPrefix(member), member, bytes});
  }
  std::sort(keys.begin(), keys.end(), [](const Key& a, const Key& b) {
    return a.prefix != b.prefix ? a.prefix < b.prefix : a.member < b.member;
  });

  constexpr size_t kChunkMembers = 4096;
  auto score_chunk = [this, &keys, &accepted, month,
                      instant](size_t begin) -> Result<std::vector<PublishedRow>> {
    const size_t end = std::min(keys.size(), begin + kChunkMembers);
    std::vector<PublishedRow> rows;
    rows.reserve(end - begin);
    thread_local MemberState state;
    for (size_t i = begin; i < end; ++i) {
      // The states are scattered in memory: fetch a few members ahead.
      if (i + 4 < end) __builtin_prefetch(keys[i + 4].bytes.data());
      if (Status decoded = DecodeMemberStateForScore(keys[i].bytes, &state); !decoded.ok()) {
        return decoded.error();
      }
      if (IsCovered(state, instant)) rows.push_back(ScoreRow(state, month, accepted));
    }
    return rows;
  };
  std::future<Result<std::vector<PublishedRow>>> scoring;
  Status status;
  for (size_t begin = 0; begin < keys.size() && status.ok(); begin += kChunkMembers) {
    auto next = std::async(std::launch::async, score_chunk, begin);
    if (scoring.valid()) {
      auto rows = scoring.get();
      if (!rows.ok()) status = rows.error();
      for (size_t i = 0; status.ok() && i < rows->size(); ++i) status = writer.Add((*rows)[i]);
      if (status.ok()) *members += static_cast<int64_t>(rows->size());
    }
    scoring = std::move(next);
  }
  if (scoring.valid()) {
    auto rows = scoring.get();  // never leave a worker running past this frame
    if (status.ok() && !rows.ok()) status = rows.error();
    for (size_t i = 0; status.ok() && i < rows->size(); ++i) status = writer.Add((*rows)[i]);
    if (status.ok()) *members += static_cast<int64_t>(rows->size());
  }
  return status;
}

// When the states do not all fit in memory: a pipeline over the store's saved states, read in
// member order on this thread while a worker decodes and scores the previous chunk.
Status Engine::WriteRowsFromStore(PublicationWriter& writer, MonthKey month, Instant instant,
                                  const std::vector<std::string>& accepted, int64_t* members) {
  constexpr size_t kChunkStates = 4096;
  std::vector<std::string> chunk;
  std::future<Result<std::vector<PublishedRow>>> scoring;
  auto write_scored = [&]() -> Status {
    if (!scoring.valid()) return Status::Ok();
    auto rows = scoring.get();
    if (!rows.ok()) return rows.error();
    for (const PublishedRow& row : *rows) {
      if (Status added = writer.Add(row); !added.ok()) return added;
    }
    *members += static_cast<int64_t>(rows->size());
    return Status::Ok();
  };
  auto start_scoring = [&]() {
    scoring = std::async(std::launch::async,
                         [this, states = std::move(chunk), month, instant, &accepted]() {
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
  return status;
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
  // The resident state is the newest (it may hold batches not yet checkpointed); else the store's.
  std::string_view bytes = states_.Find(member);
  std::optional<std::string> stored;
  if (bytes.empty() && !all_loaded_) {
    auto loaded = store_->LoadMemberState(member);
    if (!loaded.ok()) return loaded.error();
    stored = std::move(loaded).value();
    if (stored.has_value()) bytes = *stored;
  }
  if (!bytes.empty()) {
    auto decoded = DecodeMemberState(bytes);
    if (!decoded.ok()) return decoded.error();
    report.has_state = decoded->has_events();
    report.events = decoded->event_count();
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
