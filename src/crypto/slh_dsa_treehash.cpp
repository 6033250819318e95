#include "crypto/slh_dsa_treehash.h"

#include <algorithm>
#include <cstring>

#include "util/assert.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

constexpr std::size_t kChunkLeaves = std::size_t{1} << kChunkHeight;
constexpr std::size_t kMaxChunks = std::size_t{1} << (kMaxTreeHeight - kChunkHeight);
static_assert(kChunkLeaves % kLanes == 0);

// Reduces `count` nodes of height z (level indices first .. first+count-1, count a power of two)
// in place to their common ancestor, left in nodes[0 .. n). Safe in place: the output of pair p
// goes to slot p, and the x4 calls read every input before writing (or go lane by lane, and
// slot p is never an input of a later lane).
void reduce(const TweakableHash& hash, const TreeJob& job, std::uint8_t* nodes, std::size_t count,
            std::size_t z, std::uint32_t first) {
  const std::size_t n = hash.params().n;
  for (; count > 1; count /= 2, ++z, first /= 2) {
    if (job.auth_leaf.has_value()) {
      // Algorithm 10 line 2 / Algorithm 16 line 6: the sibling of the leaf's path at height z.
      const std::uint32_t sibling = (*job.auth_leaf >> z) ^ 1;
      if (sibling >= first && sibling - first < count) {
        std::memcpy(job.auth + z * n, nodes + (sibling - first) * n, n);
      }
    }
    const std::size_t pairs = count / 2;
    const std::uint32_t parent_base = (job.index_base >> (z + 1)) + first / 2;
    for (std::size_t p = 0; p < pairs; p += kLanes) {
      const std::size_t lanes = std::min(kLanes, pairs - p);
      AddressLanes adrs;
      InLanes in{};
      OutLanes out{};
      for (std::size_t j = 0; j < lanes; ++j) {
        adrs[j] = job.node_adrs;
        adrs[j].set_tree_height(static_cast<std::uint32_t>(z + 1));
        adrs[j].set_tree_index(static_cast<std::uint32_t>(parent_base + p + j));
        in[j] = nodes + 2 * (p + j) * n;
        out[j] = nodes + (p + j) * n;
      }
      hash.thash_x4(adrs, in, 2, out, lanes);  // Algorithm 9 line 10 / Algorithm 15 line 12: H
    }
  }
}

}  // namespace

void tree_root(const TweakableHash& hash, const TreeJob& job, LeafSource& leaves,
               std::uint8_t* root) {
  const std::size_t n = hash.params().n;
  QPOW_ASSERT(job.height >= 2 && job.height <= kMaxTreeHeight);
  const std::size_t chunk_height = std::min(job.height, kChunkHeight);
  const std::size_t chunk_leaves = std::size_t{1} << chunk_height;
  const std::size_t chunks = std::size_t{1} << (job.height - chunk_height);
  std::uint8_t level[kChunkLeaves * kMaxN];
  std::uint8_t tops[kMaxChunks * kMaxN];
  for (std::size_t c = 0; c < chunks; ++c) {
    const auto first = static_cast<std::uint32_t>(c * chunk_leaves);
    for (std::size_t i = 0; i < chunk_leaves; i += kLanes) {
      leaves.leaves_x4(static_cast<std::uint32_t>(first + i), level + i * n);
    }
    reduce(hash, job, level, chunk_leaves, 0, first);
    std::memcpy(tops + c * n, level, n);
  }
  reduce(hash, job, tops, chunks, chunk_height, 0);
  std::memcpy(root, tops, n);
}

}  // namespace qpow::crypto::slhdsa::internal
