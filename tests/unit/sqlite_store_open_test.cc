// Opening the SQLite store: one process at a time, and no database conjured up by a read.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/sqlite/sqlite_store.h"

namespace onecard {
namespace {

namespace fs = std::filesystem;

fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / (name + "-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(SqliteStoreOpen, ASecondOpenOfTheSameDatabaseIsRefusedUntilTheFirstCloses) {
  const fs::path dir = TempDir("onecard-lock");
  const std::string db = (dir / "one.db").string();
  auto first = OpenSqliteStore(db);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  auto second = OpenSqliteStore(db);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kStoreError);
  EXPECT_NE(second.error().message.find("in use by another onecard process"), std::string::npos);
  first->reset();
  auto third = OpenSqliteStore(db);
  EXPECT_TRUE(third.ok());
  third->reset();
  fs::remove_all(dir);
}

TEST(SqliteStoreOpen, WithoutCreateAMissingFileIsAnErrorAndNothingIsMade) {
  const fs::path dir = TempDir("onecard-nocreate");
  const fs::path db = dir / "typo.db";
  auto store = OpenSqliteStore(db.string(), /*create=*/false);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(db));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace onecard
