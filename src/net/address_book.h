// AddressBook: the addresses a node has heard of, from which the peer manager picks whom to
// connect to. Modelled on Bitcoin Core's addrman, smaller:
//
// - Two tables. "new" holds addresses heard of but never connected to; "tried" holds addresses
//   we completed a handshake with. A table is kBucketCount buckets of kBucketSize slots.
// - An address's bucket is chosen by a keyed hash (SHA3-256 of the book's secret key, the
//   table, and the network group of the address, and for "new" also the group of the peer that
//   told us) so that one network range, or one gossiping peer, reaches only a few buckets and
//   cannot fill the book; the slot within the bucket is keyed by the full address. A new address
//   whose slot is taken replaces the occupant only if the occupant is "terrible" (not seen for
//   30 days, or too many failed attempts and never connected); otherwise it is dropped.
// - The secret key comes from the environment's randomness when the node starts, so peers cannot
//   predict placement. Everything is deterministic given the key and the calls.
//
// Bounded: at most (kNewBucketCount + kTriedBucketCount) * kBucketSize addresses. Not
// thread-safe: the node calls it from one thread. No clocks: callers pass the time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <vector>

#include "net/message.h"
#include "net/peer_address.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::net {

inline constexpr std::size_t kNewBucketCount = 256;
inline constexpr std::size_t kTriedBucketCount = 64;
inline constexpr std::size_t kBucketSize = 64;
// An address not seen for this long, or failing this often without ever connecting, may be
// replaced by a newcomer and is never handed out.
inline constexpr std::uint64_t kAddressHorizonS = 30 * 24 * 60 * 60;
inline constexpr std::uint32_t kAddressAttemptsMax = 10;
// Largest encoded book accepted by decode (a corrupt file cannot make us allocate more).
inline constexpr std::size_t kAddressBookBytesMax = 4 * 1024 * 1024;

struct AddressInfo {
  AddressRecord record{};
  PeerAddress source{};
  bool tried = false;
  std::uint32_t attempts = 0;       // failed attempts since the last success
  std::uint64_t last_attempt_s = 0;
  std::uint64_t last_success_s = 0;
};

class AddressBook {
 public:
  explicit AddressBook(std::uint64_t secret_key) : key_(secret_key) {}

  // Adds an address heard from `source` (ourselves for command-line and seed addresses) to the
  // "new" table. Returns true if it was added or refreshed. Unroutable addresses (port 0, the
  // all-zero address) are ignored.
  bool add(const AddressRecord& record, const PeerAddress& source, std::uint64_t now_s);
  // A handshake with the address completed: move it to "tried" (evicting the slot's occupant
  // back to "new" if the tried slot is taken) and reset its attempts.
  void mark_good(const PeerAddress& address, std::uint64_t now_s);
  // A connection attempt was made (counts towards kAddressAttemptsMax until mark_good).
  void mark_attempt(const PeerAddress& address, std::uint64_t now_s);
  // Forgets the address (e.g. it turned out to be ourselves).
  void remove(const PeerAddress& address);

  // Picks an address to connect to: from "tried" or "new" with equal chance (whichever is not
  // empty), a random occupied slot, skipping terrible addresses and those `skip` returns true for.
  // Tries a bounded number of times; nullopt if nothing is found.
  std::optional<PeerAddress> select(std::uint64_t random, std::uint64_t now_s,
                                    const std::function<bool(const PeerAddress&)>& skip) const;
  // Up to `count` records (at most kAddrCountMax), not terrible, in an order derived from
  // `random`: the answer to getaddr.
  std::vector<AddressRecord> sample(std::size_t count, std::uint64_t random,
                                    std::uint64_t now_s) const;

  const AddressInfo* find(const PeerAddress& address) const;
  std::size_t size() const { return infos_.size(); }
  std::size_t tried_count() const;

  // Persistence (the node keeps the book in its metadata store across restarts). The encoding
  // holds the key and every AddressInfo; decode rejects malformed or oversized input.
  util::Bytes encode() const;
  static util::Result<AddressBook> decode(util::ByteSpan data);

 private:
  std::uint64_t key_;
  std::map<PeerAddress, AddressInfo> infos_;
  // bucket slot -> address, per table; a slot index is bucket * kBucketSize + position.
  std::map<std::size_t, PeerAddress> new_slots_;
  std::map<std::size_t, PeerAddress> tried_slots_;
};

}  // namespace qpow::net
