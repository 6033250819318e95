// Facts about the build the tests run in.
#pragma once

namespace qpow::test {

// True in AddressSanitizer builds (`make sanitize`). There every stack access of the Keccak and
// polynomial kernels is checked, which makes them 10 to 30 times slower, so the slowest
// exhaustive tests run a thinner selection; the Release build runs them in full.
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kSanitizerBuild = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kSanitizerBuild = true;
#else
inline constexpr bool kSanitizerBuild = false;
#endif
#else
inline constexpr bool kSanitizerBuild = false;
#endif

}  // namespace qpow::test
