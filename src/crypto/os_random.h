// Randomness from the operating system (getrandom(2)): for secret keys, signing nonces and seeds.
// Blocks only until the kernel's pool is first initialized. Deterministic code (consensus, the
// simulator) never calls this; it takes randomness from its environment.
#pragma once

#include "util/bytes.h"
#include "util/status.h"

namespace qpow::crypto {

// Fills out with random bytes, or fails with an I/O error naming the system call's error.
util::Status os_random(util::MutableByteSpan out);

}  // namespace qpow::crypto
