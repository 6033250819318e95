// Block templates and block mining: the bridge between the ledger (chain::Chainstate,
// chain::Mempool) and a NonceSearch.
//
// A template is the block that would extend the current tip: the mempool's transactions by fee
// rate (Mempool::select respects nonce order and the block limits), the miner's address in the
// header, every header field and root filled in, the nonce left to the search. When a search
// exhausts its nonce range the template rolls its extra field (a 64-bit counter in the header's
// first extra bytes), which changes the fixed part of the header and so gives a fresh range.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "chain/chainstate.h"
#include "chain/mempool.h"
#include "consensus/chain_params.h"
#include "mining/nonce_search.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "util/result.h"
#include "util/serialize.h"

namespace qpow::mining {

struct BlockTemplate {
  primitives::Block block;  // nonce 0, no proof of work yet
  util::Uint256 target{};   // from the header's compact bits
  std::uint64_t extra_roll = 0;
  // The network the template was made for (make_template sets it; it outlives the template).
  // When set, mine_block also checks the solved header with consensus::check_pow.
  const consensus::ChainParams* params = nullptr;

  // The search input: the header's first 272 encoded bytes and the target (full nonce range).
  Work work() const;
  // Advances the extra-field counter (little-endian u64 in extra[0..8)); the header changes, the
  // transactions and roots do not.
  void roll_extra();
};

struct TemplateOptions {
  primitives::Address miner{};
  std::uint64_t time = 0;  // the node's adjusted time; raised to median time past + 1 if lower
};

// The transaction bytes a template may select: the block limit less the header, the largest
// transaction count's CompactSize and an empty finality section (primitives/block.h layout).
inline constexpr std::size_t kTemplateTxBytesMax =
    primitives::kBlockBytesMax - primitives::kHeaderBytes -
    util::compact_size_bytes(primitives::kBlockTxCountMax) - util::compact_size_bytes(0);

// The template on top of chainstate's tip with the mempool's best transactions. Transactions that
// the chainstate refuses (a stale pool) are left out rather than failing the template: when the
// full selection is rejected, the longest prefix of it that assembles is kept (a binary search
// over prefix lengths, at most log2(kBlockTxCountMax) + 1 further assemblies; a prefix of a
// valid sequence is valid because each transaction is checked against the state after the ones
// before it). An empty block at worst; an error only when the store fails or even the empty
// block is refused.
util::Result<BlockTemplate> make_template(const chain::Chainstate& chainstate,
                                          const chain::Mempool& mempool,
                                          const TemplateOptions& options);

struct MineOutcome {
  SearchEnd end = SearchEnd::kStopped;
  std::optional<primitives::Block> block;  // the solved block (nonce set) when end == kSolved
};

// Searches tmpl's header with `search` over nonces [0, nonce_range), rolling the extra field each
// time that range is exhausted, until a block is found or `stop` is raised. `tmpl` keeps its last
// roll. The solved header is checked (qhash <= target, and check_pow when tmpl.params is set)
// before it is returned; a failure there is a bug in the search and aborts. nonce_range 0 gives
// kExhausted at once (there is nothing to search, and rolling would never end).
MineOutcome mine_block(BlockTemplate& tmpl, NonceSearch& search, std::size_t workers,
                       util::Executor& executor, const StopSignal& stop, SearchCounters& counters,
                       std::uint64_t nonce_range = UINT64_MAX);

}  // namespace qpow::mining
