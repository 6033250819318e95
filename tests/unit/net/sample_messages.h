// Deterministic sample messages for the net tests: one of every command, with realistic contents
// (a block with two signed transactions, hand-built headers, IPv4 and IPv6 addresses).
#pragma once

#include <cstdint>
#include <vector>

#include "net/message.h"
#include "net/peer_address.h"
#include "primitives/block.h"
#include "unit/primitives/sample_txs.h"

namespace qpow::test {

inline primitives::BlockHeader sample_net_header(std::uint64_t height) {
  primitives::BlockHeader h;
  h.chain_id = 3;
  h.height = height;
  h.time = 1'700'000'000 + 60 * height;
  h.bits = 0x207fffff;
  h.parent.fill(static_cast<std::uint8_t>(height));
  h.tx_root.fill(0x22);
  h.state_root.fill(0x33);
  h.receipt_root = primitives::empty_receipt_root();
  h.finality_root = primitives::compute_finality_root({});
  h.miner.bytes.fill(0x66);
  h.extra.fill(0x77);
  h.nonce = 0x0102030405060708 + height;
  return h;
}

inline primitives::Block sample_net_block() {
  primitives::Block block{.header = sample_net_header(7),
                          .txs = {sample_transfer(), sample_transfer(/*include_public_key=*/false)},
                          .finality = {}};
  block.header.tx_root = primitives::compute_tx_root(block.txs);
  return block;
}

inline crypto::Hash256 filled_hash(std::uint8_t fill) {
  crypto::Hash256 h;
  h.fill(fill);
  return h;
}

inline net::PeerAddress sample_ipv6_address() {
  net::PeerAddress a;
  a.ip = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  a.port = 18633;
  return a;
}

inline net::VersionMsg sample_version() {
  return net::VersionMsg{.protocol_version = net::kProtocolVersion,
                         .chain_id = 3,
                         .services = net::kServiceFullBlocks,
                         .best_height = 12345,
                         .nonce = 0xfeedfacecafebeef,
                         .time_s = 1'700'000'123,
                         .receiver = net::ipv4_address(203, 0, 113, 7, 28633),
                         .listen_port = 28633,
                         .relay_txs = false,
                         .user_agent = "/qpow:0.1.0/"};
}

// One message of every command, in the order of the Message variant.
inline std::vector<net::Message> sample_messages() {
  std::vector<net::Message> out;
  out.emplace_back(sample_version());
  out.emplace_back(net::VerackMsg{});
  out.emplace_back(net::PingMsg{.nonce = 0x1122334455667788});
  out.emplace_back(net::PongMsg{.nonce = 0x8877665544332211});
  out.emplace_back(net::GetAddrMsg{});
  out.emplace_back(net::AddrMsg{
      .addresses = {
          {.address = net::ipv4_address(198, 51, 100, 1, 8633),
           .services = net::kServiceFullBlocks,
           .last_seen_s = 1'700'000'000},
          {.address = sample_ipv6_address(), .services = 0, .last_seen_s = 1'700'000'500},
      }});
  out.emplace_back(
      net::InvMsg{.items = {{.type = net::InvType::kTx, .hash = filled_hash(0xa1)},
                            {.type = net::InvType::kBlock, .hash = filled_hash(0xb2)}}});
  out.emplace_back(
      net::GetDataMsg{.items = {{.type = net::InvType::kBlock, .hash = filled_hash(3)}}});
  out.emplace_back(
      net::NotFoundMsg{.items = {{.type = net::InvType::kTx, .hash = filled_hash(4)}}});
  out.emplace_back(net::GetHeadersMsg{
      .locator = {filled_hash(9), filled_hash(8), filled_hash(6), filled_hash(2)}, .stop = {}});
  out.emplace_back(net::HeadersMsg{.headers = {sample_net_header(1), sample_net_header(2)}});
  out.emplace_back(net::BlockMsg{.block = sample_net_block()});
  out.emplace_back(net::TxMsg{.tx = sample_transfer()});
  return out;
}

}  // namespace qpow::test
