#include "sim/adversary.h"

#include <variant>

#include "consensus/compact_target.h"
#include "crypto/signature_scheme.h"
#include "mining/block_miner.h"
#include "util/executor.h"

namespace qpow::sim {

primitives::Block remine(const consensus::ChainParams& params, primitives::Block block) {
  mining::BlockTemplate tmpl;
  block.header.nonce = 0;
  tmpl.block = std::move(block);
  auto target = consensus::target_from_bits(tmpl.block.header.bits);
  QPOW_ASSERT(target.is_ok());
  tmpl.target = *target;
  tmpl.params = &params;
  auto search = mining::make_linear_search();
  util::InlineExecutor executor;
  mining::StopSignal stop;
  mining::SearchCounters counters;
  mining::MineOutcome outcome = mining::mine_block(tmpl, *search, 1, executor, stop, counters);
  QPOW_ASSERT(outcome.block.has_value());
  return *outcome.block;
}

primitives::Transaction forged_transfer(const consensus::ChainParams& params,
                                        const primitives::Address& victim,
                                        util::ByteSpan victim_public_key,
                                        const primitives::Address& to, Rng& rng) {
  primitives::Transaction tx;
  tx.chain_id = params.chain_id;
  tx.sender = victim;
  tx.nonce = 0;
  tx.recipient = to;
  tx.amount = 1000 * consensus::kCoin;
  tx.fee = 100'000;
  tx.witness.scheme = crypto::kDefaultScheme;
  tx.witness.public_key.assign(victim_public_key.begin(), victim_public_key.end());
  tx.witness.signature.resize(crypto::scheme_info(crypto::kDefaultScheme).signature_bytes);
  for (auto& b : tx.witness.signature) b = static_cast<std::uint8_t>(rng.next());
  return tx;
}

namespace {

class Selfish final : public Adversary {
 public:
  explicit Selfish(AdversaryContext context) : context_(std::move(context)) {}

  bool on_send(SimNetwork& net, std::size_t node, node::PeerId, const net::Message& m) override {
    // Announcements of blocks above what has been published are held back; block bodies sent
    // in answer to a getdata are not (a peer only asks for what was announced).
    const node::Node* n = net.node(node);
    if (n == nullptr || n->chainstate().tip().height() <= published_) return true;
    if (const auto* h = std::get_if<net::HeadersMsg>(&m)) {
      for (const auto& header : h->headers) {
        if (header.height > published_ && header.miner == net.miner_address(node)) return false;
      }
    }
    if (const auto* inv = std::get_if<net::InvMsg>(&m)) {
      for (const auto& item : inv->items) {
        if (item.type == net::InvType::kBlock) return false;
      }
    }
    return true;
  }

  void tick(SimNetwork& net, std::size_t node) override {
    node::Node* n = net.node(node);
    if (n == nullptr) return;
    const chain::BlockIndexEntry& tip = n->chainstate().tip();
    const std::uint64_t public_height = context_.public_height();
    const bool own = tip.header.miner == net.miner_address(node) && tip.height() > published_;
    const std::int64_t lead =
        own ? static_cast<std::int64_t>(tip.height()) - static_cast<std::int64_t>(public_height)
            : 0;
    // Publish on a tie (race the honest block) or when the lead falls from two or more to one.
    if (own && (lead <= 0 || (lead == 1 && last_lead_ >= 2))) publish(net, node, tip);
    last_lead_ = lead;
  }

 private:
  void publish(SimNetwork& net, std::size_t node, const chain::BlockIndexEntry& tip) {
    std::vector<primitives::BlockHeader> headers;
    const std::uint64_t from = published_ + 1;
    for (const chain::BlockIndexEntry* e = &tip;
         e != nullptr && e->height() >= from && headers.size() < net::kHeadersCountMax;
         e = e->parent) {
      headers.insert(headers.begin(), e->header);
    }
    published_ = tip.height();
    ++actions_;
    for (const auto& [peer, other] : net.connections_of(node)) {
      net.inject(node, peer, net::HeadersMsg{.headers = headers});
    }
  }

  AdversaryContext context_;
  std::uint64_t published_ = 0;
  std::int64_t last_lead_ = 0;
};

class InvalidBlocks final : public Adversary {
 public:
  explicit InvalidBlocks(AdversaryContext context) : context_(std::move(context)) {}
  bool detectable() const override { return true; }

  bool on_block_solved(SimNetwork& net, std::size_t node, const primitives::Block& block) override {
    primitives::Block bad = block;
    bad.header.state_root[0] ^= 0x01;
    bad = remine(*context_.params, std::move(bad));
    ++actions_;
    for (const auto& [peer, other] : net.connections_of(node)) {
      net.inject(node, peer, net::BlockMsg{.block = bad});
    }
    return true;
  }

 private:
  AdversaryContext context_;
};

class Equivocate final : public Adversary {
 public:
  explicit Equivocate(AdversaryContext context) : context_(std::move(context)) {}

  bool on_block_solved(SimNetwork& net, std::size_t node, const primitives::Block& block) override {
    primitives::Block twin = block;
    twin.header.extra[8] ^= 0x5a;  // another header, same transactions and state
    twin = remine(*context_.params, std::move(twin));
    ++actions_;
    std::size_t k = 0;
    for (const auto& [peer, other] : net.connections_of(node)) {
      if (k++ % 2 == 1) net.inject(node, peer, net::BlockMsg{.block = twin});
    }
    return false;  // the node announces the first block to every peer
  }

 private:
  AdversaryContext context_;
};

class Flood final : public Adversary {
 public:
  explicit Flood(AdversaryContext context, std::uint64_t seed)
      : context_(std::move(context)), rng_(seed) {}
  bool detectable() const override { return true; }

  void tick(SimNetwork& net, std::size_t node) override {
    for (const auto& [peer, other] : net.connections_of(node)) {
      net::InvMsg inv;
      inv.items.reserve(kFloodInvItems);
      for (std::size_t k = 0; k < kFloodInvItems; ++k) {
        net::InvItem item{.type = net::InvType::kTx, .hash = {}};
        for (std::size_t b = 0; b < item.hash.size(); b += 8) {
          const std::uint64_t r = rng_.next();
          for (std::size_t c = 0; c < 8; ++c)
            item.hash[b + c] = static_cast<std::uint8_t>(r >> (8 * c));
        }
        inv.items.push_back(item);
      }
      net.inject(node, peer, inv);
      net.inject(node, peer,
                 net::TxMsg{.tx = forged_transfer(*context_.params, context_.victim,
                                                  context_.victim_public_key,
                                                  net.miner_address(node), rng_)});
      ++actions_;
    }
  }

 private:
  AdversaryContext context_;
  Rng rng_;
};

}  // namespace

std::shared_ptr<Adversary> make_adversary(Behavior behavior, const AdversaryContext& context) {
  switch (behavior) {
    case Behavior::kSelfish:
      return std::make_shared<Selfish>(context);
    case Behavior::kInvalidBlocks:
      return std::make_shared<InvalidBlocks>(context);
    case Behavior::kEquivocate:
      return std::make_shared<Equivocate>(context);
    case Behavior::kFlood: {
      std::uint64_t seed = 0;
      for (std::size_t k = 0; k < 8; ++k) seed = (seed << 8) | context.victim.bytes[k];
      return std::make_shared<Flood>(context, seed);
    }
  }
  return nullptr;
}

}  // namespace qpow::sim
