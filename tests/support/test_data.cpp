#include "support/test_data.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace qpow::test {

std::filesystem::path test_data_dir() {
  return QPOW_TEST_DATA_DIR;
}

std::optional<std::filesystem::path> shared_vectors_dir() {
  const char* env = std::getenv("QPOW_VECTORS_DIR");
  const std::filesystem::path dir = env != nullptr ? env : QPOW_DEFAULT_VECTORS_DIR;
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

std::string read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "test data file missing: %s\n", path.c_str());
    std::abort();
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace qpow::test
