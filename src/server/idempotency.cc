#include "server/idempotency.h"

#include <openssl/evp.h>

#include "server/api.h"
#include "server/error_status.h"

namespace onecard::server {
namespace {

ApiResponse StoreFailure(const Error& error) {
  ApiResponse response;
  response.status = HttpStatusFor(error.code);
  response.body = ErrorBody(error);
  return response;
}

constexpr int64_t kPurgeIntervalUs = 60'000'000;

// SHA-256 of method, target and body with separators, streamed so a large body is not copied.
std::string Fingerprint(std::string_view method, std::string_view target, std::string_view body) {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
  ONECARD_ASSERT(context != nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_bytes = 0;
  const bool ok = EVP_DigestInit_ex(context, EVP_sha256(), nullptr) == 1 &&
                  EVP_DigestUpdate(context, method.data(), method.size()) == 1 &&
                  EVP_DigestUpdate(context, " ", 1) == 1 &&
                  EVP_DigestUpdate(context, target.data(), target.size()) == 1 &&
                  EVP_DigestUpdate(context, "\n", 1) == 1 &&
                  EVP_DigestUpdate(context, body.data(), body.size()) == 1 &&
                  EVP_DigestFinal_ex(context, digest, &digest_bytes) == 1;
  EVP_MD_CTX_free(context);
  ONECARD_ASSERT(ok);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < digest_bytes; ++i) {
    out.push_back(kHex[digest[i] >> 4]);
    out.push_back(kHex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace

Result<IdempotencyRecord> IdempotentRequest(std::string_view scope, std::string_view key,
                                            std::string_view method, std::string_view target,
                                            std::string_view body, const ServerLimits& limits) {
  if (key.empty() || static_cast<int64_t>(key.size()) > limits.idempotency_key_bytes_max) {
    return MakeError(ErrorCode::kInvalidKey, "Idempotency-Key",
                     "an Idempotency-Key is 1 to " +
                         std::to_string(limits.idempotency_key_bytes_max) + " bytes");
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7E) {
      return MakeError(ErrorCode::kInvalidKey, "Idempotency-Key",
                       "an Idempotency-Key is printable ASCII without spaces: " + QuoteInput(key));
    }
  }
  IdempotencyRecord record;
  record.scope = std::string(scope);
  record.key = std::string(key);
  record.fingerprint = Fingerprint(method, target, body);
  return record;
}

Status IdempotencyKeeper::Purge(Engine& engine, Instant now) {
  last_purge_ = now;
  const Instant cutoff{now.us - limits_.idempotency_retention_seconds * 1'000'000};
  auto purged = engine.PurgeIdempotencyRecords(cutoff);
  if (!purged.ok()) return purged.error();
  return Status::Ok();
}

std::optional<ApiResponse> IdempotencyKeeper::Check(Engine& engine,
                                                    const IdempotencyRecord& request, Instant now) {
  if (!last_purge_ || now.us - last_purge_->us >= kPurgeIntervalUs || now < *last_purge_) {
    if (Status purged = Purge(engine, now); !purged.ok()) {
      return StoreFailure(purged.error());
    }
  }
  auto found = engine.FindIdempotencyRecord(request.scope, request.key);
  if (!found.ok()) return StoreFailure(found.error());
  if (!found->has_value()) return std::nullopt;
  const IdempotencyRecord& record = **found;
  if (record.created_at.us < now.us - limits_.idempotency_retention_seconds * 1'000'000) {
    // Expired: the key is free again. Delete it (and every other as old) before the new write.
    if (Status purged = Purge(engine, now); !purged.ok()) {
      return StoreFailure(purged.error());
    }
    return std::nullopt;
  }
  if (record.fingerprint != request.fingerprint) return KeyReusedResponse();
  metrics_.AddIdempotentReplay();
  return ReplayResponse(record);
}

IdempotencyRecord IdempotencyKeeper::Complete(const IdempotencyRecord& request, int status,
                                              std::string body, Instant now) {
  IdempotencyRecord record = request;
  record.status = status;
  record.body = std::move(body);
  record.created_at = now;
  return record;
}

ApiResponse ReplayResponse(const IdempotencyRecord& record) {
  ApiResponse response;
  response.status = record.status;
  response.body = record.body;
  response.headers.emplace_back("Idempotent-Replayed", "true");
  return response;
}

ApiResponse KeyReusedResponse() {
  ApiResponse response;
  response.status = HttpStatusFor(ErrorCode::kIdempotencyConflict);
  response.body = ErrorBody(ErrorCodeName(ErrorCode::kIdempotencyConflict),
                            "this Idempotency-Key was used with another request (method, path or "
                            "body); use a new key for a new request",
                            "Idempotency-Key");
  return response;
}

}  // namespace onecard::server
