// The lane hasher: the inner loop both nonce-search strategies share. It hashes a contiguous
// nonce range [begin, end) in order on the widest multi-way qhash path (8 nonces per AVX-512
// call, 4 per AVX2 call; crypto/qhash.h) and stops at the first nonce whose hash meets the
// target.
//
// The target test reads the hash as consensus/pow.h does, a little-endian 256-bit number, and
// compares 64-bit words from the most significant (bytes 24..31) down. A group of lanes is first
// tested only on its top words, with no branch per lane; the exact per-lane comparison runs only
// in the rare group where some top word is at most the target's. The loop allocates nothing and
// touches no atomic: callers account hashes once per range.
//
// A range whose length is not a multiple of the width ends with a tail: on the 8-wide path a
// group of 4 if at least 4 nonces are left, then single-nonce hashes (QhashPrefix::hash, on the
// active backend). No nonce outside [begin, end) is ever hashed.
//
// Thread-safety: a LaneHasher is immutable after construction and only reads its QhashPrefix,
// so one instance may scan different ranges from several threads at once.
#pragma once

#include <cstddef>
#include <cstdint>

#include "crypto/keccak.h"
#include "crypto/qhash.h"
#include "crypto/sha3.h"
#include "util/uint256.h"

namespace qpow::mining {

// Nonces per multi-way call.
enum class LaneWidth : std::uint8_t {
  kX4 = 4,
  kX8 = 8,
};

// The widest call `backend` runs natively: 8 on AVX-512, else 4.
LaneWidth lane_width_for(const crypto::KeccakBackend& backend);

// Whether to keep the lowest hash of the range (omega-prm's reward), or only look for a solution.
enum class TrackBest : std::uint8_t {
  kNo,
  kYes,
};

struct LaneScan {
  // Nonces hashed, in order, up to and including the solution if there is one (lanes of the
  // solving group after the solution are computed but not counted: they are not part of the
  // search order). end - begin when the range holds no solution.
  std::uint64_t hashed = 0;
  bool solved = false;
  std::uint64_t nonce = 0;  // the first solving nonce, when solved
  crypto::Hash256 hash{};   // its qhash
  // With TrackBest::kYes: the lowest hash among the counted nonces and its nonce (ties keep the
  // earlier nonce). Left at the maximum (all 0xff) otherwise or for an empty range.
  crypto::Hash256 best{};
  std::uint64_t best_nonce = 0;
};

// Whether a qhash meets `target` (the same answer as consensus::hash_meets_target).
bool hash_meets_target(const crypto::Hash256& hash, const util::Uint256& target);

class LaneHasher {
 public:
  // `prefix` must outlive the hasher. The width defaults to the backend's native one; tests pass
  // another to exercise both loops on any CPU (an 8-wide call on AVX2 runs as two 4-wide ones).
  LaneHasher(const crypto::QhashPrefix& prefix, const util::Uint256& target,
             const crypto::KeccakBackend& backend = crypto::keccak_active_backend());
  LaneHasher(const crypto::QhashPrefix& prefix, const util::Uint256& target,
             const crypto::KeccakBackend& backend, LaneWidth width);

  // Hashes [begin, end) in nonce order until the first hash <= target. begin >= end is empty.
  LaneScan scan(std::uint64_t begin, std::uint64_t end, TrackBest track = TrackBest::kNo) const;

  LaneWidth width() const { return width_; }

 private:
  template <std::size_t W, bool kTrackBest>
  LaneScan scan_groups(std::uint64_t begin, std::uint64_t end) const;

  const crypto::QhashPrefix& prefix_;
  const crypto::KeccakBackend& backend_;
  LaneWidth width_;
  // The target's four 64-bit words, most significant first.
  std::uint64_t target_words_[4];
};

}  // namespace qpow::mining
