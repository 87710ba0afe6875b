// Shared helpers of the benchmarks (bench/*.cc are each their own executable, so this is a header):
// command-line sizes, wall-clock timing, resident memory, temporary databases, and the plain
// SQLite baseline that a team would write instead of onecard (one row per event, prepared INSERT
// per row, one transaction per batch, WAL + synchronous=FULL like the onecard store).
#pragma once

#include <sqlite3.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"

namespace onecard::bench {

// "--name=value" or "--name value"; every size has a default small enough to finish quickly.
class Args {
 public:
  Args(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg.rfind("--", 0) != 0) Fail("unexpected argument " + arg);
      arg = arg.substr(2);
      auto eq = arg.find('=');
      if (eq != std::string::npos) {
        values_[arg.substr(0, eq)] = arg.substr(eq + 1);
      } else if (i + 1 < argc) {
        values_[arg] = argv[++i];
      } else {
        Fail("missing value for --" + arg);
      }
    }
  }
  int64_t Int(const std::string& name, int64_t fallback) {
    used_.push_back(name);
    auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    return std::stoll(it->second);
  }
  std::string Text(const std::string& name, const std::string& fallback) {
    used_.push_back(name);
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  // Refuses options nobody asked for (a typo would otherwise run the default size silently).
  void CheckAllUsed() const {
    for (const auto& [name, value] : values_) {
      bool known = false;
      for (const std::string& used : used_) known = known || used == name;
      if (!known) Fail("unknown option --" + name);
    }
  }

 private:
  [[noreturn]] static void Fail(const std::string& message) {
    std::fprintf(stderr, "%s\n", message.c_str());
    std::exit(2);
  }
  std::map<std::string, std::string> values_;
  std::vector<std::string> used_;
};

using Clock = std::chrono::steady_clock;

inline double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Resident set size of this process, from /proc/self/statm (pages × page size).
inline int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size_pages = 0;
  int64_t resident_pages = 0;
  statm >> size_pages >> resident_pages;
  return resident_pages * static_cast<int64_t>(sysconf(_SC_PAGESIZE));
}

// Peak resident set size (VmHWM) from /proc/self/status, in bytes.
inline int64_t PeakResidentBytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return 0;
}

inline std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

// A fresh directory for databases under `root` (default /tmp), removed with everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& root) {
    std::string pattern = root + "/onecard-bench-XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (mkdtemp(buffer.data()) == nullptr) throw std::runtime_error("mkdtemp failed in " + root);
    path_ = buffer.data();
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Bytes of a database file with its WAL.
inline int64_t DatabaseBytes(const std::string& path) {
  int64_t total = 0;
  for (const std::string& file : {path, path + "-wal"}) {
    std::error_code error;
    auto size = std::filesystem::file_size(file, error);
    if (!error) total += static_cast<int64_t>(size);
  }
  return total;
}

// ---- The plain SQLite baseline -------------------------------------------------------------

inline void Check(int rc, sqlite3* db, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    std::fprintf(stderr, "sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
    std::exit(1);
  }
}

inline void Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::fprintf(stderr, "sqlite: %s\n  in: %s\n", message ? message : "?", sql.c_str());
    std::exit(1);
  }
}

// The table a team would write: one row per event, an index on the event id. The index is
// UNIQUE and rows go in with INSERT OR IGNORE, so that a redelivered event is dropped like
// onecard drops a duplicate (it does not compare the content, which onecard does).
class BaselineEvents {
 public:
  explicit BaselineEvents(const std::string& path) {
    Check(sqlite3_open(path.c_str(), &db_), db_, "open");
    Exec(db_, "PRAGMA journal_mode=WAL");
    Exec(db_, "PRAGMA synchronous=FULL");
    // The same page cache as the onecard store (256 MiB), so that neither wins by cache size.
    Exec(db_, "PRAGMA cache_size=-262144");
    Exec(db_, "PRAGMA temp_store=MEMORY");
    Exec(db_,
         "CREATE TABLE IF NOT EXISTS events (id TEXT, member TEXT, type INT, at_us INT, "
         "order_id TEXT, amount INT, shop TEXT, category TEXT, goods INT, photos INT, level INT, "
         "site TEXT)");
    Exec(db_, "CREATE UNIQUE INDEX IF NOT EXISTS events_id ON events (id)");
    Check(sqlite3_prepare_v2(db_,
                             "INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?)",
                             -1, &insert_, nullptr),
          db_, "prepare insert");
  }
  ~BaselineEvents() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  BaselineEvents(const BaselineEvents&) = delete;
  BaselineEvents& operator=(const BaselineEvents&) = delete;

  sqlite3* db() { return db_; }

  // One transaction (one fsync at COMMIT) for the batch; returns the rows inserted.
  int64_t InsertBatch(const Event* events, size_t count) {
    Exec(db_, "BEGIN IMMEDIATE");
    int64_t inserted = 0;
    for (size_t i = 0; i < count; ++i) {
      Bind(events[i]);
      Check(sqlite3_step(insert_), db_, "insert");
      inserted += sqlite3_changes(db_);
      sqlite3_reset(insert_);
    }
    Exec(db_, "COMMIT");
    return inserted;
  }

 private:
  void BindText(int index, const std::string& text) {
    if (text.empty()) {
      sqlite3_bind_null(insert_, index);
    } else {
      sqlite3_bind_text(insert_, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }
  }
  void Bind(const Event& e) {
    BindText(1, e.id);
    BindText(2, e.member);
    sqlite3_bind_int64(insert_, 3, static_cast<int64_t>(e.type));
    sqlite3_bind_int64(insert_, 4, e.at.us);
    BindText(5, e.order);
    sqlite3_bind_int64(insert_, 6, e.amount.minor);
    BindText(7, e.shop);
    BindText(8, e.category);
    sqlite3_bind_int64(insert_, 9, static_cast<int64_t>(e.goods));
    sqlite3_bind_int64(insert_, 10, e.photos ? 1 : 0);
    sqlite3_bind_int64(insert_, 11, e.level);
    BindText(12, e.site);
  }

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

}  // namespace onecard::bench
