#include "http/cookie_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace qpow::http {
namespace {

util::Status errno_status(std::string_view what, const std::string& path) {
  return util::Status::io_error(
      fmt::format("cookie file {}: {}: {}", path, what, std::strerror(errno)));
}

// Writes all of data to fd, retrying short writes and interrupted calls.
bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

util::Status write_cookie_file(const std::string& path, std::string_view contents) {
  const std::string temp = path + ".tmp";
  // A leftover temporary file from a crash is replaced; O_EXCL after the unlink makes sure the
  // file we write is one we created with mode 0600, not one someone else prepared.
  ::unlink(temp.c_str());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return errno_status("open", temp);
  // The umask cannot widen the mode, but an existing ACL default could; set it explicitly.
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0 || !write_all(fd, contents) || ::fsync(fd) != 0) {
    util::Status error = errno_status("write", temp);
    ::close(fd);
    ::unlink(temp.c_str());
    return error;
  }
  if (::close(fd) != 0) {
    util::Status error = errno_status("close", temp);
    ::unlink(temp.c_str());
    return error;
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    util::Status error = errno_status("rename", path);
    ::unlink(temp.c_str());
    return error;
  }
  return util::Status::ok();
}

util::Status remove_cookie_file(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) return errno_status("unlink", path);
  return util::Status::ok();
}

}  // namespace qpow::http
