#include "server/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace onecard::server {

Result<std::unique_ptr<AccessLog>> AccessLog::Open(const std::string& destination) {
  if (destination == "-") return std::unique_ptr<AccessLog>(new AccessLog(STDERR_FILENO, false));
  const int fd = open(destination.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    return MakeError(ErrorCode::kIoError, "access-log",
                     "cannot open the access log " + destination + ": " + std::strerror(errno));
  }
  return std::unique_ptr<AccessLog>(new AccessLog(fd, true));
}

AccessLog::~AccessLog() {
  Flush();
  if (owned_) close(fd_);
}

void AccessLog::Write(std::string_view line) {
  std::lock_guard lock(mutex_);
  buffer_.append(line);
  buffer_.push_back('\n');
  if (buffer_.size() >= kBufferBytesMax) FlushLocked();
}

void AccessLog::Flush() {
  std::lock_guard lock(mutex_);
  FlushLocked();
}

void AccessLog::FlushLocked() {
  size_t written = 0;
  while (written < buffer_.size()) {
    const ssize_t n = write(fd_, buffer_.data() + written, buffer_.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a full disk or a closed stderr: the log is lost, never the request
    written += static_cast<size_t>(n);
  }
  buffer_.clear();
}

}  // namespace onecard::server
