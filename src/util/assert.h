// Assertions about qpow's own state. A failed assertion is a bug, never bad input: it prints
// where it failed and aborts the process in every build type, so a broken invariant stops the
// node before it writes bad data. Input is checked with Status/Result instead.
#pragma once

namespace qpow::util::detail {

[[noreturn]] void assert_fail(const char* expression, const char* file, int line,
                              const char* function, const char* message) noexcept;

}  // namespace qpow::util::detail

#define QPOW_ASSERT(cond)        \
  ((cond) ? static_cast<void>(0) \
          : ::qpow::util::detail::assert_fail(#cond, __FILE__, __LINE__, __func__, nullptr))

#define QPOW_ASSERT_MSG(cond, msg) \
  ((cond) ? static_cast<void>(0)   \
          : ::qpow::util::detail::assert_fail(#cond, __FILE__, __LINE__, __func__, (msg)))

#define QPOW_UNREACHABLE() \
  ::qpow::util::detail::assert_fail("unreachable", __FILE__, __LINE__, __func__, nullptr)
