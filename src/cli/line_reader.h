// Reads lines from a file or stdin with a bound on what one line may hold: a longer line is
// delivered cut to the bound plus one byte, so the decoder reports it as too long without the
// reader ever holding more than the bound in memory.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "core/result.h"

namespace onecard::cli {

class LineReader {
 public:
  ~LineReader();
  // "-" reads standard input.
  Status Open(const std::string& path, int64_t line_bytes_max);
  // False at the end of input. A final line without a newline is still a line.
  bool Next(std::string* line);
  int64_t bytes_read() const { return bytes_read_; }
  int64_t total_bytes() const { return total_bytes_; }  // 0 when unknown (a pipe)
  // Whether the input ended because of a read error (a directory, an I/O fault) rather than at
  // its end. Check it after Next returns false.
  Status status() const;

 private:
  std::FILE* file_ = nullptr;
  std::string path_;
  bool failed_ = false;
  bool owned_ = false;
  int64_t line_bytes_max_ = 0;
  int64_t bytes_read_ = 0;
  int64_t total_bytes_ = 0;
};

}  // namespace onecard::cli
