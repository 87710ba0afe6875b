#include "store/sqlite/sqlite_db.h"

#include <utility>

namespace onecard::sqlite {

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
  if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt_, nullptr) != SQLITE_OK) {
    error_ = std::string(sqlite3_errmsg(db)) + " in: " + std::string(sql);
    stmt_ = nullptr;
  }
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), error_(std::move(other.error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    db_ = other.db_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    error_ = std::move(other.error_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::BindText(int index, std::string_view text, bool static_until_reset) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(),
                      static_until_reset ? SQLITE_STATIC : SQLITE_TRANSIENT, SQLITE_UTF8);
}
void Statement::BindBlob(int index, std::string_view bytes, bool static_until_reset) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(),
                      static_until_reset ? SQLITE_STATIC : SQLITE_TRANSIENT);
}
void Statement::BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
void Statement::BindNull(int index) { sqlite3_bind_null(stmt_, index); }

bool Statement::Step(bool* failed) {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE) {
    error_ = sqlite3_errmsg(db_);
    *failed = true;
  }
  return false;
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string_view Statement::ColumnText(int index) const {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
  const int size = sqlite3_column_bytes(stmt_, index);
  return text == nullptr ? std::string_view() : std::string_view(text, static_cast<size_t>(size));
}

std::string_view Statement::ColumnBlob(int index) const {
  const auto* data = static_cast<const char*>(sqlite3_column_blob(stmt_, index));
  const int size = sqlite3_column_bytes(stmt_, index);
  return data == nullptr ? std::string_view() : std::string_view(data, static_cast<size_t>(size));
}

bool Statement::ColumnIsNull(int index) const {
  return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

Database::~Database() { sqlite3_close_v2(db_); }

Status Database::Open(const std::string& path) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error error = LastError("cannot open database " + path);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return error;
  }
  sqlite3_busy_timeout(db_, 10'000);
  return Status::Ok();
}

Status Database::Exec(std::string_view sql) {
  char* message = nullptr;
  const std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string detail = message != nullptr ? message : "unknown error";
    sqlite3_free(message);
    return MakeError(ErrorCode::kStoreError, "", detail + " in: " + text.substr(0, 120));
  }
  return Status::Ok();
}

Result<Statement> Database::Prepare(std::string_view sql) {
  Statement statement(db_, sql);
  if (!statement.valid()) return MakeError(ErrorCode::kStoreError, "", statement.error());
  return statement;
}

Error Database::LastError(std::string_view what) const {
  const char* detail = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
  return MakeError(ErrorCode::kStoreError, "", std::string(what) + ": " + detail);
}

}  // namespace onecard::sqlite
