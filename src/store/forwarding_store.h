// A Store that hands every call to another store. Decorators (fault injection in tests, timing in
// benchmarks, metrics later) derive from it and override only what they change.
#pragma once

#include <memory>
#include <utility>

#include "store/store.h"

namespace onecard {

class ForwardingStore : public Store {
 public:
  explicit ForwardingStore(std::unique_ptr<Store> inner) : inner_(std::move(inner)) {}

  Result<std::optional<std::string>> GetSetting(std::string_view key) override {
    return inner_->GetSetting(key);
  }
  Status PutSetting(std::string_view key, std::string_view value) override {
    return inner_->PutSetting(key, value);
  }
  Result<std::vector<std::optional<Event>>> FindEvents(
      const std::vector<std::string_view>& ids) override {
    return inner_->FindEvents(ids);
  }
  Result<int64_t> CountEvents() override { return inner_->CountEvents(); }
  Result<std::optional<std::string>> LoadMemberState(std::string_view member) override {
    return inner_->LoadMemberState(member);
  }
  Status ForEachMemberState(
      const std::function<Status(std::string_view, std::string_view)>& visit) override {
    return inner_->ForEachMemberState(visit);
  }
  Status CommitIngest(const IngestWrite& write) override { return inner_->CommitIngest(write); }
  Result<IngestPosition> LoadIngestPosition() override { return inner_->LoadIngestPosition(); }
  Status SaveCheckpoint(const std::vector<std::pair<std::string, std::string>>& states,
                        int64_t checkpoint_batch) override {
    return inner_->SaveCheckpoint(states, checkpoint_batch);
  }
  Status ForEachEventAfterBatch(int64_t batch,
                                const std::function<Status(const Event&)>& visit) override {
    return inner_->ForEachEventAfterBatch(batch, visit);
  }
  Result<std::vector<PublicationInfo>> ListPublications() override {
    return inner_->ListPublications();
  }
  Result<std::unique_ptr<PublicationWriter>> BeginPublication(
      const PublicationInfo& info) override {
    return inner_->BeginPublication(info);
  }
  Status ForEachPublishedRow(MonthKey month,
                             const std::function<Status(const PublishedRow&)>& visit) override {
    return inner_->ForEachPublishedRow(month, visit);
  }
  Result<std::optional<PublishedRow>> LoadPublishedRow(MonthKey month,
                                                       std::string_view member) override {
    return inner_->LoadPublishedRow(month, member);
  }
  Result<std::vector<PublishedRow>> MemberPublishedRows(std::string_view member,
                                                        std::vector<MonthKey>* months) override {
    return inner_->MemberPublishedRows(member, months);
  }
  Result<std::vector<TierCount>> CountTiers(MonthKey month) override {
    return inner_->CountTiers(month);
  }
  Result<std::optional<Invitation>> LoadInvitation(std::string_view member) override {
    return inner_->LoadInvitation(member);
  }
  Status SaveInvitation(const Invitation& invitation,
                        const std::vector<IdempotencyRecord>& records) override {
    return inner_->SaveInvitation(invitation, records);
  }
  Result<std::vector<std::string>> AcceptedInvitationMembers() override {
    return inner_->AcceptedInvitationMembers();
  }
  Result<std::unique_ptr<DropStore>> OpenDropStore() override { return inner_->OpenDropStore(); }
  // The paid plan.
  Result<std::unique_ptr<PlanStore>> OpenPlanStore() override { return inner_->OpenPlanStore(); }
  // Benefits and checkout (issue 3).
  Result<std::unique_ptr<BenefitStore>> OpenBenefitStore() override {
    return inner_->OpenBenefitStore();
  }
  // Idempotency keys of the HTTP API (issue 4).
  Result<std::optional<IdempotencyRecord>> FindIdempotencyRecord(std::string_view scope,
                                                                 std::string_view key) override {
    return inner_->FindIdempotencyRecord(scope, key);
  }
  Status SaveIdempotencyRecords(const std::vector<IdempotencyRecord>& records) override {
    return inner_->SaveIdempotencyRecords(records);
  }
  Result<int64_t> PurgeIdempotencyRecords(Instant created_before) override {
    return inner_->PurgeIdempotencyRecords(created_before);
  }
  // Points ledger (issue 5).
  Result<std::unique_ptr<LedgerStore>> OpenLedgerStore() override {
    return inner_->OpenLedgerStore();
  }

 protected:
  Store& inner() { return *inner_; }

 private:
  std::unique_ptr<Store> inner_;
};

}  // namespace onecard
