// Whole-file reads and crash-safe writes for small files that hold secrets.
//
// A write never leaves a half-written file under the target name: the bytes go to a temporary
// file in the same directory (same file system, so the final step is an atomic rename(2)), which
// is fsync'ed before it takes the target's name; then the directory is fsync'ed so the new name
// itself survives a crash. If any step fails the target keeps its old contents and the temporary
// file is removed. Files are created with mode 0600 (owner read/write only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "util/bytes.h"
#include "util/result.h"

namespace qpow::wallet {

enum class WriteMode : std::uint8_t {
  kReplace,    // the target may exist and is replaced
  kCreateNew,  // fails with already_exists if the target exists
};

// Writes data to path as described above.
util::Status write_file_atomically(const std::string& path, util::ByteSpan data, WriteMode mode);

// True if something (a file, a directory, a dangling link) exists at path.
bool path_exists(const std::string& path);

// The whole file, or an error: not_found when it does not exist, out_of_range when it is larger
// than max_bytes (checked before reading).
util::Result<util::Bytes> read_file(const std::string& path, std::size_t max_bytes);

}  // namespace qpow::wallet
