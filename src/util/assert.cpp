#include "util/assert.h"

#include <cstdio>
#include <cstdlib>

namespace qpow::util::detail {

void assert_fail(const char* expression, const char* file, int line, const char* function,
                 const char* message) noexcept {
  if (message != nullptr) {
    std::fprintf(stderr, "qpow: assertion failed: %s (%s) at %s:%d in %s\n", expression, message,
                 file, line, function);
  } else {
    std::fprintf(stderr, "qpow: assertion failed: %s at %s:%d in %s\n", expression, file, line,
                 function);
  }
  std::fflush(stderr);
  std::abort();
}

}  // namespace qpow::util::detail
