// The mempool: transactions valid against the chain tip and waiting for a block.
//
// Admission (accept) checks a transaction against the consensus rules (consensus/tx_rules.h)
// and this pool's policy. Transactions are kept per sender as a nonce chain with no gaps: a
// sender's pending transactions have nonces state.nonce, state.nonce + 1, ... in order, and each
// is checked against the sender's *projected* state after the ones before it, so the balance
// covers every pending cost and a first transaction that reveals the key makes the later ones
// use the on-chain-key rule. A transaction whose nonce would leave a gap is rejected (there is
// no orphan pool). The signature is verified once, at admission, and again only if a later
// state makes another key the signing key.
//
// Policy on top of consensus:
//   - a relay floor (MempoolLimits::min_fee_per_byte, never below the consensus minimum);
//   - at most per_sender_max pending transactions per sender;
//   - a transaction at a (sender, nonce) already pending replaces the pending one only if it
//     raises the fee rate by replace_bump_percent; the sender's later transactions are checked
//     again against the new projection and evicted if they no longer fit;
//   - bytes_max and count_max bound the pool. When over, the lowest-ranked entry is evicted
//     together with its sender's later nonces (which would otherwise follow a gap); a newcomer
//     that would itself be evicted this way is rejected instead.
//
// Ranking is by fee rate (fee / encoded size), compared exactly in integers, ties broken by the
// lower txid (mempool_entry.h): every query and every choice is deterministic.
//
// The pool follows the chain: remove_for_block after a block is connected, readd_after_reorg
// after a reorganisation. The tip's account state is read through SenderStateSource, which the
// chainstate implements.
//
// Not thread-safe: the node serialises every call. No clocks and no threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/mempool_entry.h"
#include "consensus/chain_params.h"
#include "consensus/reject_reason.h"
#include "consensus/tx_rules.h"
#include "primitives/address.h"
#include "primitives/block.h"
#include "primitives/transaction.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::chain {

// The account state of the chain tip, as the mempool reads it. An account that does not exist
// reads as a default SenderState (balance 0, nonce 0, no key). An error means the state could not
// be read (storage), not that the account is missing.
class SenderStateSource {
 public:
  virtual ~SenderStateSource() = default;
  virtual util::Result<consensus::SenderState> sender_state(
      const primitives::Address& address) const = 0;
};

inline constexpr std::size_t kDefaultMempoolBytesMax = 64 * 1024 * 1024;
inline constexpr std::size_t kDefaultMempoolCountMax = 50'000;
inline constexpr std::size_t kDefaultPerSenderMax = 64;
inline constexpr std::uint64_t kDefaultMinRelayFeePerByte = 1;
inline constexpr std::uint32_t kDefaultReplaceBumpPercent = 10;

struct MempoolLimits {
  std::size_t bytes_max = kDefaultMempoolBytesMax;  // sum of tx_size over the pool
  std::size_t count_max = kDefaultMempoolCountMax;
  std::size_t per_sender_max = kDefaultPerSenderMax;
  // Relay policy. The pool uses the larger of this and the network's consensus minimum.
  std::uint64_t min_fee_per_byte = kDefaultMinRelayFeePerByte;
  // A replacement must raise the fee rate by at least this many percent.
  std::uint32_t replace_bump_percent = kDefaultReplaceBumpPercent;
};

// Pool policy failures: not consensus violations, so they say nothing about the peer.
enum class MempoolReject : std::uint8_t {
  kNone = 0,
  kAlreadyInPool,         // the same txid is pending
  kBelowRelayFee,         // pays the consensus minimum but less than the pool's floor
  kSenderLimit,           // the sender already has per_sender_max pending transactions
  kReplacementFeeTooLow,  // replaces a pending tx without the required fee-rate bump
  kPoolFull,              // the pool is full and the tx ranks below what it would displace
};

std::string_view mempool_reject_name(MempoolReject reason);

// The outcome of an admission. Exactly one of three: accepted, a consensus rule broken
// (verdict), or a pool policy refused (policy).
struct AcceptResult {
  Hash256 txid{};  // zero if the tx failed check_tx_standalone or its encoding round trip
  consensus::Verdict verdict;  // ok unless the tx breaks a consensus rule against the tip
  MempoolReject policy = MempoolReject::kNone;
  std::string policy_message;
  std::optional<Hash256> replaced;  // the pending tx this one replaced
  // Entries that left the pool because of this call, in the order they were removed: the
  // sender's entries that no longer fit `tip` (see accept), the sender's later txs that no
  // longer fit after a replacement, then the chain tails evicted for space.
  std::vector<Hash256> evicted;

  bool accepted() const { return verdict.is_ok() && policy == MempoolReject::kNone; }
  // "accepted", "<reject reason>: <message>" or "<mempool reject>: <message>".
  std::string to_string() const;
};

struct MempoolInfo {
  std::size_t count = 0;
  std::size_t bytes = 0;
  std::size_t count_max = 0;
  std::size_t bytes_max = 0;
  std::optional<FeeRate> min_fee_rate;  // of the lowest-ranked entry; none when empty
};

class Mempool {
 public:
  // The relay floor is raised to params.min_fee_per_byte if limits set it lower. `params` must
  // outlive the pool.
  Mempool(const consensus::ChainParams& params, MempoolLimits limits);

  Mempool(const Mempool&) = delete;
  Mempool& operator=(const Mempool&) = delete;

  // Admits tx against the tip `tip`. An error Status only when `tip` cannot be read; a rejected
  // tx is a successful call whose result says why. The sender's pending chain is first brought
  // in line with `tip` (a no-op while remove_for_block and readd_after_reorg keep the pool in
  // line); anything that drops is listed in evicted even if tx is then rejected.
  util::Result<AcceptResult> accept(const primitives::Transaction& tx,
                                    const SenderStateSource& tip);

  // The transactions a block template should carry, at most bytes_max encoded bytes and
  // count_max transactions: highest rank first among each sender's next eligible transaction (a
  // sender's tx becomes eligible once its predecessor is selected). A tx that does not fit ends
  // its sender's run; smaller ones of other senders may still fill the space.
  std::vector<primitives::Transaction> select(std::size_t bytes_max, std::size_t count_max) const;

  // After `block` was connected and `new_tip` is its state: drops the txs it includes, then
  // re-checks every sender of the block against new_tip (drops stale nonces and what no longer
  // fits). On a state read error the affected sender's txs are dropped and the first error is
  // returned after every sender was handled.
  util::Status remove_for_block(const primitives::Block& block, const SenderStateSource& new_tip);

  // After a reorganisation to `new_tip`: re-admits the transactions of the disconnected blocks
  // (`disconnected` in block order, oldest first) merged with each sender's pending chain, and
  // re-checks every other pending chain, since a reorg can lower any balance (credits and rewards
  // of the disconnected blocks). Transactions that no longer fit are dropped silently. Errors as
  // in remove_for_block.
  util::Status readd_after_reorg(std::span<const primitives::Transaction> disconnected,
                                 const SenderStateSource& new_tip);

  bool contains(const Hash256& txid) const { return entries_.contains(txid); }
  // The pending tx, or nullptr. The pointer is valid until the pool next changes.
  const primitives::Transaction* get(const Hash256& txid) const;
  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  // The sender's pending transactions in nonce order.
  std::vector<primitives::Transaction> pending_for(const primitives::Address& sender) const;
  // Every pending txid, highest rank first.
  std::vector<Hash256> txids() const;
  MempoolInfo info() const;
  const MempoolLimits& limits() const { return limits_; }

 private:
  // A transaction on its way in, with a key its signature is known to verify under when it
  // comes back from the pool itself (readd_after_reorg).
  struct Candidate {
    MempoolEntry entry;
    bool key_verified = false;
  };
  // What admitting one candidate changes besides adding it.
  struct Plan {
    std::optional<Hash256> replaced;
    std::vector<Hash256> dropped;  // the sender's later txs that no longer fit the replacement
    std::vector<consensus::SenderState> kept_states;  // after each later tx that still fits
    std::vector<Hash256> evicted;                     // lowest-ranked chain tails removed for space
    std::set<Hash256> leaving;                        // all of the above
  };
  // The sender's projected states: [0] is the tip state, [i + 1] the state after the i-th
  // pending tx. Always one longer than the sender's chain.
  using Projection = std::vector<consensus::SenderState>;

  bool make_candidate(const primitives::Transaction& tx, Candidate& c, AcceptResult& result) const;
  bool precheck(const Candidate& c, AcceptResult& result) const;
  void admit(Candidate c, Projection& projection, AcceptResult& result);
  bool check_position(const Candidate& c, const Projection& projection, std::size_t& position,
                      AcceptResult& result) const;
  bool plan_replacement(const Candidate& c, const Projection& projection, std::size_t position,
                        const consensus::AccountKey& key, Plan& plan,
                        AcceptResult& result) const;
  bool plan_space(const Candidate& c, Plan& plan) const;
  void commit(Candidate c, const consensus::AccountKey& key, std::size_t position,
              const Plan& plan, Projection& projection);

  Projection reconcile_chain(const primitives::Address& sender, const consensus::SenderState& state,
                             std::vector<Hash256>& dropped);
  void readmit_sender(const primitives::Address& sender, const consensus::SenderState& state,
                      const std::vector<const primitives::Transaction*>& disconnected);
  util::Status recheck_sender(const primitives::Address& sender, const SenderStateSource& tip,
                              std::vector<Hash256>& dropped);

  void insert_entry(MempoolEntry entry);
  MempoolEntry erase_entry(const Hash256& txid);
  void erase_chain(const primitives::Address& sender, std::vector<Hash256>& dropped);

  const consensus::ChainParams& params_;
  MempoolLimits limits_;
  std::map<Hash256, MempoolEntry> entries_;
  // sender -> nonce -> txid; each chain is gap-free from the sender's tip nonce.
  std::map<primitives::Address, std::map<std::uint64_t, Hash256>> chains_;
  std::set<RankKey, LowestRankFirst> by_rank_;
  std::size_t bytes_ = 0;
};

}  // namespace qpow::chain
