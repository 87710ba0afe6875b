// The access log: one JSON object per line per request, to stderr or appended to a file. Lines
// are buffered and written in blocks (at 32 KiB, and by Flush, which the server calls every
// second and at stop), so that logging costs no system call per request. Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onecard::server {

class AccessLog {
 public:
  // `destination`: "-" for stderr, else a file path (created or appended to).
  static Result<std::unique_ptr<AccessLog>> Open(const std::string& destination);
  ~AccessLog();  // flushes
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Adds one line (without its '\n').
  void Write(std::string_view line);
  void Flush();

 private:
  AccessLog(int fd, bool owned) : fd_(fd), owned_(owned) {}
  void FlushLocked();

  static constexpr size_t kBufferBytesMax = 32 * 1024;
  std::mutex mutex_;
  std::string buffer_;
  int fd_;
  bool owned_;
};

}  // namespace onecard::server
