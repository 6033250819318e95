#include "wallet/atomic_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace qpow::wallet {
namespace {

constexpr mode_t kSecretFileMode = 0600;

util::Status errno_status(std::string_view what, const std::string& path) {
  const int error = errno;
  const std::string message = fmt::format("{} '{}': {}", what, path, std::strerror(error));
  if (error == ENOENT) return util::Status::not_found(message);
  if (error == EEXIST) return util::Status::error(util::StatusCode::kAlreadyExists, message);
  return util::Status::io_error(message);
}

// Closes a descriptor when it goes out of scope, unless released.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  // Closes now, reporting the error close(2) may carry for buffered writes.
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string directory_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

util::Status write_all(int fd, util::ByteSpan data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot write", path);
    }
    done += static_cast<std::size_t>(n);
  }
  return util::Status::ok();
}

util::Status fsync_directory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0) return errno_status("cannot open directory", dir);
  if (::fsync(fd.get()) != 0) return errno_status("cannot sync directory", dir);
  return util::Status::ok();
}

// Fills and syncs the temporary file; on error the caller removes it.
util::Status fill_temporary(int raw_fd, util::ByteSpan data, const std::string& temp) {
  Fd fd(raw_fd);
  if (::fchmod(fd.get(), kSecretFileMode) != 0) return errno_status("cannot chmod", temp);
  QPOW_RETURN_IF_ERROR(write_all(fd.get(), data, temp));
  if (::fsync(fd.get()) != 0) return errno_status("cannot sync", temp);
  if (fd.close() != 0) return errno_status("cannot close", temp);
  return util::Status::ok();
}

// Gives the temporary file the target's name: rename(2) replaces atomically; link(2) refuses an
// existing target, which makes kCreateNew safe against a concurrent creator.
util::Status publish(const std::string& temp, const std::string& path, WriteMode mode) {
  if (mode == WriteMode::kReplace) {
    if (::rename(temp.c_str(), path.c_str()) != 0) return errno_status("cannot rename to", path);
    return util::Status::ok();
  }
  if (::link(temp.c_str(), path.c_str()) != 0) return errno_status("cannot create", path);
  ::unlink(temp.c_str());
  return util::Status::ok();
}

}  // namespace

util::Status write_file_atomically(const std::string& path, util::ByteSpan data, WriteMode mode) {
  const std::string dir = directory_of(path);
  const std::string name = path.substr(path.rfind('/') + 1);  // npos + 1 == 0
  std::string temp = fmt::format("{}/.{}.tmp-XXXXXX", dir, name);
  const int raw_fd = ::mkostemp(temp.data(), O_CLOEXEC);
  if (raw_fd < 0) return errno_status("cannot create a temporary file in", dir);
  util::Status status = fill_temporary(raw_fd, data, temp);
  if (status.is_ok()) status = publish(temp, path, mode);
  if (!status.is_ok()) {
    ::unlink(temp.c_str());
    return status;
  }
  return fsync_directory(dir);
}

bool path_exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

util::Result<util::Bytes> read_file(const std::string& path, std::size_t max_bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return errno_status("cannot open", path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return errno_status("cannot stat", path);
  if (!S_ISREG(st.st_mode)) return util::Status::io_error(fmt::format("'{}' is not a file", path));
  const auto size = static_cast<std::size_t>(st.st_size);
  if (size > max_bytes) {
    return util::Status::out_of_range(fmt::format(
        "'{}' is {} bytes, more than the {} this file may have", path, size, max_bytes));
  }
  // One byte more than the size, to notice a file that grew since fstat.
  util::Bytes data(size + 1);
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::read(fd.get(), data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno_status("cannot read", path);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  if (done != size) {
    return util::Status::io_error(fmt::format("'{}' changed size while being read", path));
  }
  data.resize(size);
  return data;
}

}  // namespace qpow::wallet
