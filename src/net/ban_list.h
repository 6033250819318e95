// BanList: hosts this node refuses to talk to until a time, after they misbehaved (or an operator
// banned them). Keyed by host (PeerAddress::host_only), so a banned peer cannot come back on
// another port. Bounded at kBanListMax entries: when full, the entry that expires first is
// dropped. No clocks: callers pass the time. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <vector>

#include "net/peer_address.h"
#include "util/bytes.h"
#include "util/result.h"

namespace qpow::net {

inline constexpr std::size_t kBanListMax = 10'000;
inline constexpr std::uint64_t kDefaultBanTimeS = 24 * 60 * 60;

class BanList {
 public:
  // Bans the host of `address` until `until_s` (extends an existing ban, never shortens it).
  void ban(const PeerAddress& address, std::uint64_t until_s);
  void unban(const PeerAddress& address);
  bool is_banned(const PeerAddress& address, std::uint64_t now_s) const;
  // Drops expired entries.
  void sweep(std::uint64_t now_s);
  // host -> banned until, in address order.
  const std::map<PeerAddress, std::uint64_t>& entries() const { return bans_; }

  util::Bytes encode() const;
  static util::Result<BanList> decode(util::ByteSpan data);

 private:
  std::map<PeerAddress, std::uint64_t> bans_;
};

}  // namespace qpow::net
