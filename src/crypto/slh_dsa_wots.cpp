#include "crypto/slh_dsa_wots.h"

#include <algorithm>
#include <cstring>

#include "crypto/slh_dsa_encoding.h"

namespace qpow::crypto::slhdsa::internal {
namespace {

// A chain of Algorithm 8 still to be walked: chain `chain` from position `pos` to w - 1.
struct ChainTask {
  std::uint32_t chain;
  std::uint32_t pos;
};

// The chains with work left, longest first, so that the lanes finish close together.
std::size_t order_by_length(const Params& p, const std::uint32_t* digits, ChainTask* tasks) {
  std::size_t count = 0;
  for (std::uint32_t steps = kW - 1; steps > 0; --steps) {
    for (std::uint32_t i = 0; i < p.len(); ++i) {
      if (kW - 1 - digits[i] == steps) tasks[count++] = {i, digits[i]};
    }
  }
  return count;
}

}  // namespace

void wots_digits(const Params& p, const std::uint8_t* msg, std::uint32_t* digits) {
  base_2b(msg, kLgW, p.len1(), digits);
  std::uint32_t csum = 0;
  for (std::size_t i = 0; i < p.len1(); ++i) csum += kW - 1 - digits[i];
  // Algorithm 7 line 7: left-align the checksum's len2 * lg_w = 12 bits in two bytes.
  csum <<= (8 - (kLen2 * kLgW) % 8) % 8;
  std::uint8_t bytes[(kLen2 * kLgW + 7) / 8];
  to_byte(csum, bytes, sizeof bytes);
  base_2b(bytes, kLgW, kLen2, digits + p.len1());
}

void wots_pk_gen_x4(const TweakableHash& hash, const Address& tree_adrs, std::uint32_t first,
                    const WotsCapture* capture, std::uint8_t* out) {
  const Params& p = hash.params();
  const std::size_t n = p.n;
  // The chains are walked in place: each slot starts as a secret value (PRF output) and ends as
  // the public chain end, so no secret is left here afterwards.
  std::uint8_t ends[kLanes][kMaxLen * kMaxN];
  AddressLanes sk_adrs, chain_adrs, pk_adrs;
  for (std::size_t j = 0; j < kLanes; ++j) {
    const auto keypair = static_cast<std::uint32_t>(first + j);
    sk_adrs[j] = chain_adrs[j] = pk_adrs[j] = tree_adrs;
    sk_adrs[j].set_type_and_clear(Address::Type::kWotsPrf);
    sk_adrs[j].set_keypair(keypair);
    chain_adrs[j].set_type_and_clear(Address::Type::kWotsHash);
    chain_adrs[j].set_keypair(keypair);
    pk_adrs[j].set_type_and_clear(Address::Type::kWotsPk);
    pk_adrs[j].set_keypair(keypair);
  }
  for (std::uint32_t i = 0; i < p.len(); ++i) {
    const OutLanes values = {ends[0] + i * n, ends[1] + i * n, ends[2] + i * n, ends[3] + i * n};
    for (std::size_t j = 0; j < kLanes; ++j) {
      sk_adrs[j].set_chain(i);
      chain_adrs[j].set_chain(i);
    }
    hash.prf_x4(sk_adrs, values, kLanes);  // Algorithm 6 line 5
    if (capture == nullptr) {
      hash.chain_x4(chain_adrs, values, {0, 0, 0, 0}, kW - 1, kLanes);
      continue;
    }
    // Algorithm 7 line 15: the signature holds chain i after digits[i] steps.
    const std::uint32_t digit = capture->digits[i];
    hash.chain_x4(chain_adrs, values, {0, 0, 0, 0}, digit, kLanes);
    std::memcpy(capture->sig + i * n, values[capture->lane], n);
    hash.chain_x4(chain_adrs, values, {digit, digit, digit, digit}, kW - 1 - digit, kLanes);
  }
  const InLanes in = {ends[0], ends[1], ends[2], ends[3]};
  const OutLanes pks = {out, out + n, out + 2 * n, out + 3 * n};
  hash.thash_x4(pk_adrs, in, p.len(), pks, kLanes);  // Algorithm 6 line 13: T_len
}

void wots_pk_from_sig(const TweakableHash& hash, const Address& tree_adrs, std::uint32_t keypair,
                      const std::uint8_t* sig, const std::uint8_t* msg, std::uint8_t* pk) {
  const Params& p = hash.params();
  const std::size_t n = p.n;
  std::uint32_t digits[kMaxLen];
  wots_digits(p, msg, digits);
  std::uint8_t ends[kMaxLen * kMaxN];
  std::memcpy(ends, sig, p.len() * n);
  ChainTask tasks[kMaxLen];
  const std::size_t task_count = order_by_length(p, digits, tasks);

  Address chain_adrs = tree_adrs;
  chain_adrs.set_type_and_clear(Address::Type::kWotsHash);
  chain_adrs.set_keypair(keypair);
  // Up to four chains in flight (Algorithm 8 line 12, chain(sig[i], msg[i], w - 1 - msg[i])).
  // Each call advances every lane by the shortest remaining length; a lane whose chain ends
  // then takes the next one.
  ChainTask lanes[kLanes];
  std::size_t active = 0;
  std::size_t next = 0;
  while (active < kLanes && next < task_count) lanes[active++] = tasks[next++];
  while (active > 0) {
    AddressLanes adrs;
    OutLanes values{};
    ChainStarts start{};
    std::uint32_t steps = kW;
    for (std::size_t j = 0; j < active; ++j) {
      adrs[j] = chain_adrs;
      adrs[j].set_chain(lanes[j].chain);
      values[j] = ends + lanes[j].chain * n;
      start[j] = lanes[j].pos;
      steps = std::min(steps, kW - 1 - lanes[j].pos);
    }
    hash.chain_x4(adrs, values, start, steps, active);
    std::size_t kept = 0;
    for (std::size_t j = 0; j < active; ++j) {
      ChainTask task = lanes[j];
      task.pos += steps;
      if (task.pos == kW - 1) {
        if (next == task_count) continue;
        task = tasks[next++];
      }
      lanes[kept++] = task;
    }
    active = kept;
  }
  Address pk_adrs = tree_adrs;
  pk_adrs.set_type_and_clear(Address::Type::kWotsPk);
  pk_adrs.set_keypair(keypair);
  hash.thash(pk_adrs, ends, p.len(), pk);  // Algorithm 8 line 18: T_len
}

}  // namespace qpow::crypto::slhdsa::internal
