#include "mining/hash_lanes.h"

#include <array>
#include <span>

#include "util/bytes.h"

namespace qpow::mining {
namespace {

// Word i of a hash read as a little-endian number (word 3 holds bytes 24..31, the top).
inline std::uint64_t hash_word(const crypto::Hash256& hash, std::size_t i) {
  return util::load_le64(hash.data() + 8 * i);
}

// hash <= target, with target given most significant word first.
inline bool meets_words(const crypto::Hash256& hash, const std::uint64_t* target_words) {
  for (std::size_t i = 0; i < 4; ++i) {
    const std::uint64_t word = hash_word(hash, 3 - i);
    if (word != target_words[i]) return word < target_words[i];
  }
  return true;
}

// a < b as numbers.
inline bool less_than(const crypto::Hash256& a, const crypto::Hash256& b) {
  for (std::size_t i = 4; i-- > 0;) {
    const std::uint64_t wa = hash_word(a, i);
    const std::uint64_t wb = hash_word(b, i);
    if (wa != wb) return wa < wb;
  }
  return false;
}

template <std::size_t G>
inline void hash_group(const crypto::QhashPrefix& prefix, const crypto::KeccakBackend& backend,
                       const std::uint64_t* nonces, crypto::Hash256* out) {
  if constexpr (G == 8) {
    prefix.hash_x8(std::span<const std::uint64_t, 8>(nonces, 8),
                   std::span<crypto::Hash256, 8>(out, 8), backend);
  } else if constexpr (G == 4) {
    prefix.hash_x4(std::span<const std::uint64_t, 4>(nonces, 4),
                   std::span<crypto::Hash256, 4>(out, 4), backend);
  } else {
    static_assert(G == 1);
    out[0] = prefix.hash(nonces[0]);
  }
}

// The running state of one scan.
struct ScanState {
  std::uint64_t next = 0;
  std::uint64_t best_top = ~std::uint64_t{0};  // top word of scan.best
  LaneScan scan;
};

// Hashes groups of G nonces from state.next while at least G are left before `end`. True when a
// solution was found (state.scan then holds it).
template <std::size_t G, bool kTrackBest>
bool run_groups(const crypto::QhashPrefix& prefix, const crypto::KeccakBackend& backend,
                const std::uint64_t* target_words, std::uint64_t end, ScanState& state) {
  std::array<std::uint64_t, G> nonces;
  std::array<crypto::Hash256, G> out;
  const std::uint64_t target_top = target_words[0];
  while (end - state.next >= G) {
    for (std::size_t j = 0; j < G; ++j) nonces[j] = state.next + j;
    hash_group<G>(prefix, backend, nonces.data(), out.data());
    // Fast reject on the top words, without a branch per lane.
    std::array<std::uint64_t, G> tops;
    bool maybe = false;
    for (std::size_t j = 0; j < G; ++j) {
      tops[j] = hash_word(out[j], 3);
      maybe |= tops[j] <= target_top;
    }
    std::size_t counted = G;  // lanes that belong to the search order
    std::size_t solver = G;
    if (__builtin_expect(maybe, 0)) {
      for (std::size_t j = 0; j < G; ++j) {
        if (meets_words(out[j], target_words)) {
          solver = j;
          counted = j + 1;
          break;
        }
      }
    }
    if constexpr (kTrackBest) {
      for (std::size_t j = 0; j < counted; ++j) {
        if (tops[j] <= state.best_top && less_than(out[j], state.scan.best)) {
          state.scan.best = out[j];
          state.scan.best_nonce = nonces[j];
          state.best_top = tops[j];
        }
      }
    }
    if (solver != G) {
      state.scan.solved = true;
      state.scan.nonce = nonces[solver];
      state.scan.hash = out[solver];
      return true;
    }
    state.next += G;
  }
  return false;
}

}  // namespace

LaneWidth lane_width_for(const crypto::KeccakBackend& backend) {
  return backend.path == crypto::CpuPath::kAvx512 ? LaneWidth::kX8 : LaneWidth::kX4;
}

bool hash_meets_target(const crypto::Hash256& hash, const util::Uint256& target) {
  const std::uint64_t words[4] = {target.limb(3), target.limb(2), target.limb(1), target.limb(0)};
  return meets_words(hash, words);
}

LaneHasher::LaneHasher(const crypto::QhashPrefix& prefix, const util::Uint256& target,
                       const crypto::KeccakBackend& backend)
    : LaneHasher(prefix, target, backend, lane_width_for(backend)) {}

LaneHasher::LaneHasher(const crypto::QhashPrefix& prefix, const util::Uint256& target,
                       const crypto::KeccakBackend& backend, LaneWidth width)
    : prefix_(prefix),
      backend_(backend),
      width_(width),
      target_words_{target.limb(3), target.limb(2), target.limb(1), target.limb(0)} {}

template <std::size_t W, bool kTrackBest>
LaneScan LaneHasher::scan_groups(std::uint64_t begin, std::uint64_t end) const {
  ScanState state;
  state.next = begin;
  state.scan.best.fill(0xff);
  bool solved = run_groups<W, kTrackBest>(prefix_, backend_, target_words_, end, state);
  if constexpr (W == 8) {
    solved = solved || run_groups<4, kTrackBest>(prefix_, backend_, target_words_, end, state);
  }
  solved = solved || run_groups<1, kTrackBest>(prefix_, backend_, target_words_, end, state);
  state.scan.hashed = solved ? state.scan.nonce - begin + 1 : end - begin;
  return state.scan;
}

LaneScan LaneHasher::scan(std::uint64_t begin, std::uint64_t end, TrackBest track) const {
  if (begin >= end) {
    LaneScan empty;
    empty.best.fill(0xff);
    return empty;
  }
  const bool best = track == TrackBest::kYes;
  if (width_ == LaneWidth::kX8) {
    return best ? scan_groups<8, true>(begin, end) : scan_groups<8, false>(begin, end);
  }
  return best ? scan_groups<4, true>(begin, end) : scan_groups<4, false>(begin, end);
}

}  // namespace qpow::mining
