#include "net/ban_list.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "util/assert.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

// Encoding: version u8, count (CompactSize, <= kBanListMax), then (host, until_s u64) in address
// order.
inline constexpr std::uint8_t kBanListVersion = 1;

using BanMap = std::map<PeerAddress, std::uint64_t>;

// The entry that expires first; among equals the lowest address, so the choice is deterministic.
BanMap::const_iterator earliest_expiry(const BanMap& bans) {
  return std::min_element(bans.begin(), bans.end(),
                          [](const auto& a, const auto& b) { return a.second < b.second; });
}

}  // namespace

void BanList::ban(const PeerAddress& address, std::uint64_t until_s) {
  const PeerAddress host = address.host_only();
  if (auto it = bans_.find(host); it != bans_.end()) {
    it->second = std::max(it->second, until_s);
    return;
  }
  if (bans_.size() >= kBanListMax) {
    const auto earliest = earliest_expiry(bans_);
    // The new ban would itself be the first to expire: it is the one that does not fit.
    if (until_s <= earliest->second) return;
    bans_.erase(earliest);
  }
  bans_.emplace(host, until_s);
  QPOW_ASSERT(bans_.size() <= kBanListMax);
}

void BanList::unban(const PeerAddress& address) {
  bans_.erase(address.host_only());
}

bool BanList::is_banned(const PeerAddress& address, std::uint64_t now_s) const {
  auto it = bans_.find(address.host_only());
  return it != bans_.end() && now_s < it->second;
}

void BanList::sweep(std::uint64_t now_s) {
  std::erase_if(bans_, [now_s](const auto& entry) { return entry.second <= now_s; });
}

util::Bytes BanList::encode() const {
  util::Writer w;
  w.u8(kBanListVersion);
  w.compact_size(bans_.size());
  for (const auto& [host, until_s] : bans_) {
    write_peer_address(w, host);
    w.u64(until_s);
  }
  return std::move(w).take();
}

util::Result<BanList> BanList::decode(util::ByteSpan data) {
  util::Reader r(data, "ban list");
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t version, r.u8("version"));
  if (version != kBanListVersion) {
    return util::Status::unsupported(
        fmt::format("ban list version: expected {}, got {}", kBanListVersion, version));
  }
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t count, r.compact_size("count", kBanListMax));
  BanList list;
  for (std::uint64_t i = 0; i < count; ++i) {
    QPOW_ASSIGN_OR_RETURN(const PeerAddress host, read_peer_address(r));
    QPOW_ASSIGN_OR_RETURN(const std::uint64_t until_s, r.u64("until_s"));
    // Canonical form only: hosts without a port, strictly ascending (so no duplicates).
    if (host != host.host_only()) {
      return util::Status::malformed(fmt::format(
          "ban list entry {}: {} has a port; bans key on the host alone", i, host.to_string()));
    }
    if (!list.bans_.empty() && !(std::prev(list.bans_.end())->first < host)) {
      return util::Status::malformed(fmt::format(
          "ban list entry {}: {} is not after the previous host (duplicate or unsorted)", i,
          host.to_string()));
    }
    list.bans_.emplace_hint(list.bans_.end(), host, until_s);
  }
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return list;
}

}  // namespace qpow::net
