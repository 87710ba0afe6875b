// Thin RAII wrappers over the SQLite C API: a connection, prepared statements with typed binds, and
// errors turned into kStoreError values that name the SQL that failed.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace onecard::sqlite {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  bool valid() const { return stmt_ != nullptr; }
  const std::string& error() const { return error_; }

  // Binds are 1-based, like SQLite's. Text and blobs are copied (SQLITE_TRANSIENT) unless
  // `static_until_reset` says the caller keeps them alive until Reset().
  void BindText(int index, std::string_view text, bool static_until_reset = false);
  void BindBlob(int index, std::string_view bytes, bool static_until_reset = false);
  void BindInt(int index, int64_t value);
  void BindNull(int index);

  // Runs one step: true when a row is ready, false when done; `*failed` set on error.
  bool Step(bool* failed);
  void Reset();

  int64_t ColumnInt(int index) const;
  std::string_view ColumnText(int index) const;
  std::string_view ColumnBlob(int index) const;
  bool ColumnIsNull(int index) const;

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string error_;
};

class Database {
 public:
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  Status Open(const std::string& path);
  Status Exec(std::string_view sql);
  // Prepares `sql` or fails with kStoreError naming it.
  Result<Statement> Prepare(std::string_view sql);
  Error LastError(std::string_view what) const;
  sqlite3* handle() { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace onecard::sqlite
