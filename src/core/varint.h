// Little-endian base-128 varints with zigzag for signed values: the byte format of the states and
// breakdowns the store keeps. The reader never trusts its input: every read reports failure
// instead of running past the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace onecard {

class ByteWriter {
 public:
  void U64(uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }
  void I64(int64_t value) {
    U64((static_cast<uint64_t>(value) << 1) ^ static_cast<uint64_t>(value >> 63));
  }
  void Bool(bool value) { out_.push_back(value ? 1 : 0); }
  void Bytes(std::string_view bytes) {
    U64(bytes.size());
    out_.append(bytes);
  }
  std::string Take() { return std::move(out_); }
  void Reserve(size_t bytes) { out_.reserve(bytes); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool U64(uint64_t* value) {
    uint64_t result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= bytes_.size()) return false;
      const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
      result |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        *value = result;
        return true;
      }
    }
    return false;
  }
  bool I64(int64_t* value) {
    uint64_t raw = 0;
    if (!U64(&raw)) return false;
    *value = static_cast<int64_t>(raw >> 1) ^ -static_cast<int64_t>(raw & 1);
    return true;
  }
  bool I32(int32_t* value) {
    int64_t wide = 0;
    if (!I64(&wide) || wide < INT32_MIN || wide > INT32_MAX) return false;
    *value = static_cast<int32_t>(wide);
    return true;
  }
  bool Bool(bool* value) {
    if (pos_ >= bytes_.size()) return false;
    const auto byte = static_cast<uint8_t>(bytes_[pos_++]);
    if (byte > 1) return false;
    *value = byte == 1;
    return true;
  }
  bool Bytes(std::string* value, uint64_t max_size) {
    uint64_t size = 0;
    if (!U64(&size) || size > max_size || size > bytes_.size() - pos_) return false;
    value->assign(bytes_.substr(pos_, size));
    pos_ += size;
    return true;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
};

}  // namespace onecard
