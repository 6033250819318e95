// Where test vectors live. The repo's own subset (tests/data) is always there; the full official
// sets in ../shared/vectors may not be, and tests that need them skip with a message.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace qpow::test {

// tests/data of the source tree.
std::filesystem::path test_data_dir();

// The shared official vectors: $QPOW_VECTORS_DIR if set, else ../shared/vectors beside the
// source tree; nullopt when that folder does not exist.
std::optional<std::filesystem::path> shared_vectors_dir();

// The whole file as text; aborts the test binary with a message if it cannot be read (a missing
// repo data file is a broken checkout, not a skip).
std::string read_text_file(const std::filesystem::path& path);

}  // namespace qpow::test

// In a test body: binds `dir` to the shared vectors folder, or skips the test with a message.
#define QPOW_REQUIRE_SHARED_VECTORS(dir)                                                    \
  const auto qpow_shared_dir_ = ::qpow::test::shared_vectors_dir();                         \
  if (!qpow_shared_dir_) {                                                                  \
    GTEST_SKIP() << "official vectors not found (../shared/vectors or $QPOW_VECTORS_DIR); " \
                    "the repo's subset in tests/data is tested instead";                    \
  }                                                                                         \
  const std::filesystem::path dir = *qpow_shared_dir_
