// write_file_atomically / read_file: create-new refuses an existing target, replace swaps the
// whole file, the size limit of read_file at the bound and one past it, and no temporary files.
#include "wallet/atomic_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "unit/wallet/temp_dir.h"

namespace qpow::wallet {
namespace {

const util::Bytes kOld = {1, 2, 3};
const util::Bytes kNew = {4, 5, 6, 7};

std::size_t entries_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFile, CreateNewThenReplace) {
  test::TempDir dir;
  const std::string path = dir.file("f");
  ASSERT_TRUE(write_file_atomically(path, kOld, WriteMode::kCreateNew).is_ok());
  EXPECT_EQ(*read_file(path, 100), kOld);
  const util::Status again = write_file_atomically(path, kNew, WriteMode::kCreateNew);
  EXPECT_EQ(again.code(), util::StatusCode::kAlreadyExists);
  EXPECT_EQ(*read_file(path, 100), kOld);
  ASSERT_TRUE(write_file_atomically(path, kNew, WriteMode::kReplace).is_ok());
  EXPECT_EQ(*read_file(path, 100), kNew);
  EXPECT_EQ(entries_in(dir.path()), 1u) << "no temporary file is left behind";
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST(AtomicFile, ReplaceCreatesAMissingFileAndEmptyFilesWork) {
  test::TempDir dir;
  const std::string path = dir.file("f");
  ASSERT_TRUE(write_file_atomically(path, {}, WriteMode::kReplace).is_ok());
  EXPECT_TRUE(read_file(path, 0)->empty());
}

TEST(AtomicFile, MissingDirectoryFailsCleanly) {
  test::TempDir dir;
  const util::Status s =
      write_file_atomically(dir.file("no/such/dir/f"), kOld, WriteMode::kReplace);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find("cannot create a temporary file"), std::string::npos) << s.message();
}

TEST(AtomicFile, ReadLimitAtTheBoundAndOnePast) {
  test::TempDir dir;
  const std::string path = dir.file("f");
  ASSERT_TRUE(write_file_atomically(path, kNew, WriteMode::kReplace).is_ok());
  EXPECT_TRUE(read_file(path, kNew.size()).is_ok());
  const util::Result<util::Bytes> over = read_file(path, kNew.size() - 1);
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.status().code(), util::StatusCode::kOutOfRange);
}

TEST(AtomicFile, ReadMissingAndNonRegularFiles) {
  test::TempDir dir;
  EXPECT_EQ(read_file(dir.file("absent"), 10).status().code(), util::StatusCode::kNotFound);
  EXPECT_FALSE(read_file(dir.path().string(), 10).is_ok());
  EXPECT_FALSE(path_exists(dir.file("absent")));
  EXPECT_TRUE(path_exists(dir.path().string()));
}

TEST(AtomicFile, RelativePathsUseTheCurrentDirectory) {
  test::TempDir dir;
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const util::Status s = write_file_atomically("rel", kOld, WriteMode::kCreateNew);
  std::filesystem::current_path(cwd);
  ASSERT_TRUE(s.is_ok()) << s.to_string();
  EXPECT_EQ(*read_file(dir.file("rel"), 10), kOld);
}

}  // namespace
}  // namespace qpow::wallet
