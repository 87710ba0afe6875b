#include "cli/line_reader.h"

#include <sys/stat.h>

namespace onecard::cli {

LineReader::~LineReader() {
  if (owned_ && file_ != nullptr) std::fclose(file_);
}

Status LineReader::Open(const std::string& path, int64_t line_bytes_max) {
  line_bytes_max_ = line_bytes_max;
  path_ = path == "-" ? "standard input" : path;
  if (path == "-") {
    file_ = stdin;
    return Status::Ok();
  }
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) return MakeError(ErrorCode::kIoError, "input", "cannot open " + path);
  owned_ = true;
  struct stat info {};
  if (fstat(fileno(file_), &info) == 0 && S_ISREG(info.st_mode)) total_bytes_ = info.st_size;
  return Status::Ok();
}

bool LineReader::Next(std::string* line) {
  line->clear();
  int c = 0;
  bool any = false;
  while ((c = std::getc(file_)) != EOF) {
    any = true;
    ++bytes_read_;
    if (c == '\n') break;
    if (static_cast<int64_t>(line->size()) <= line_bytes_max_)
      line->push_back(static_cast<char>(c));
  }
  if (c == EOF && std::ferror(file_)) failed_ = true;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return any;
}

Status LineReader::status() const {
  if (!failed_) return Status::Ok();
  return MakeError(ErrorCode::kIoError, "input",
                   "reading " + path_ + " failed after " + std::to_string(bytes_read_) +
                       " bytes; what was read before is stored");
}

}  // namespace onecard::cli
