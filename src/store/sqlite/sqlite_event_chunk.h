// The event log's row format: accepted events are stored in chunks (one row holds up to
// kEventChunkEventsMax events of one batch) in a compact binary form, so that a batch costs a few
// row inserts instead of one per event. Each chunk also carries the 64-bit hash of every event
// id, from which the store rebuilds its in-memory id index at open.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace onecard::sqlite {

inline constexpr size_t kEventChunkEventsMax = 4'096;

// The hash kept for an event id (FNV-1a over the bytes, then a 64-bit finaliser). It is stored,
// so it may never change. Never 0.
uint64_t EventIdHash(std::string_view id);

// Appends the chunk form of `events` to *out (cleared first). Only the fields of each event's
// type are written, so the stored event is its canonical content.
void EncodeEventChunk(const Event* events, size_t count, std::string* out);
// Decodes a chunk into *out (cleared first). Fails with kCorruptState.
Status DecodeEventChunk(std::string_view bytes, std::vector<Event>* out);

// The ids column of a chunk: EventIdHash of each event, 8 bytes little-endian each.
void EncodeIdHashes(const Event* events, size_t count, std::string* out);
// Fails with kCorruptState unless `bytes` holds exactly `count` hashes.
Status DecodeIdHashes(std::string_view bytes, int64_t count, std::vector<uint64_t>* out);

}  // namespace onecard::sqlite
