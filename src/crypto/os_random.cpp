#include "crypto/os_random.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <sys/random.h>

namespace qpow::crypto {

util::Status os_random(util::MutableByteSpan out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t got = getrandom(out.data() + done, out.size() - done, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      return util::Status::io_error(std::string("getrandom failed: ") + std::strerror(errno));
    }
    done += static_cast<std::size_t>(got);
  }
  return util::Status::ok();
}

}  // namespace qpow::crypto
