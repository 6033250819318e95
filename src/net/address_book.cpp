#include "net/address_book.h"

#include <algorithm>
#include <iterator>
#include <limits>
#include <string>
#include <utility>

#include <fmt/format.h>

#include "crypto/sha3.h"
#include "util/assert.h"
#include "util/serialize.h"
#include "util/splitmix64.h"

namespace qpow::net {
namespace {

using InfoMap = std::map<PeerAddress, AddressInfo>;
using SlotMap = std::map<std::size_t, PeerAddress>;

// Encoding: version u8, key u64, count (CompactSize), then each AddressInfo in address order.
inline constexpr std::uint8_t kAddressBookVersion = 1;
inline constexpr std::size_t kNewSlotCount = kNewBucketCount * kBucketSize;
inline constexpr std::size_t kTriedSlotCount = kTriedBucketCount * kBucketSize;
inline constexpr std::size_t kAddressBookCapacity = kNewSlotCount + kTriedSlotCount;
// How many random slots select() looks at before giving up. Each try lands on an occupied slot,
// so this only runs out when nearly every address is skipped or terrible.
inline constexpr std::size_t kSelectTriesMax = 256;

// Separate the two tables and the two hashes (bucket, position) so no input of one can be
// replayed as an input of another.
enum class Table : std::uint8_t { kNew = 1, kTried = 2 };
enum class Purpose : std::uint8_t { kBucket = 1, kPosition = 2 };

std::uint64_t keyed_hash(std::uint64_t key, Table table, Purpose purpose, util::ByteSpan data) {
  util::Writer w;
  w.u64(key);
  w.u8(static_cast<std::uint8_t>(table));
  w.u8(static_cast<std::uint8_t>(purpose));
  w.bytes(data);
  const crypto::Hash256 digest = crypto::Sha3_256::hash(w.data());
  return util::load_le64(digest.data());
}

// The slot index (bucket * kBucketSize + position) of `address` in `table`. The bucket depends
// only on network groups, so one range (or one range's gossip, for "new") lands in one bucket;
// the position inside it depends on the full address.
std::size_t slot_in(std::uint64_t key, Table table, const PeerAddress& address,
                    const PeerAddress& source) {
  util::Writer group;
  group.var_bytes(network_group(address));
  if (table == Table::kNew) group.var_bytes(network_group(source));
  const std::size_t bucket_count = table == Table::kNew ? kNewBucketCount : kTriedBucketCount;
  const std::size_t bucket = keyed_hash(key, table, Purpose::kBucket, group.data()) % bucket_count;

  util::Writer where;
  where.u32(static_cast<std::uint32_t>(bucket));
  write_peer_address(where, address);
  const std::size_t position =
      keyed_hash(key, table, Purpose::kPosition, where.data()) % kBucketSize;
  return bucket * kBucketSize + position;
}

Table table_of(const AddressInfo& info) {
  return info.tried ? Table::kTried : Table::kNew;
}

std::size_t slot_of(std::uint64_t key, const AddressInfo& info) {
  return slot_in(key, table_of(info), info.record.address, info.source);
}

bool is_routable(const PeerAddress& address) {
  if (address.port == 0) return false;
  const auto nonzero = [](std::uint8_t b) { return b != 0; };
  // The unspecified address, in either family (0.0.0.0 is ::ffff:0.0.0.0 here).
  const auto host_begin = address.is_ipv4() ? address.ip.end() - 4 : address.ip.begin();
  return std::any_of(host_begin, address.ip.end(), nonzero);
}

bool is_terrible(const AddressInfo& info, std::uint64_t now_s) {
  const std::uint64_t seen_s = info.record.last_seen_s;
  if (now_s > seen_s && now_s - seen_s > kAddressHorizonS) return true;
  return info.last_success_s == 0 && info.attempts >= kAddressAttemptsMax;
}

// Stretches the caller's one random word into as many as select() and sample() need,
// deterministically.
std::uint64_t next_random(std::uint64_t& state) {
  return util::splitmix64_next(state);
}

// The occupied slot at or after a random slot index, wrapping around. Entries after long runs of
// empty slots are picked a little more often; placement is keyed, so nobody can arrange that.
const PeerAddress& random_occupant(const SlotMap& slots, std::size_t slot_count,
                                   std::uint64_t random) {
  QPOW_ASSERT(!slots.empty());
  auto it = slots.lower_bound(static_cast<std::size_t>(random % slot_count));
  if (it == slots.end()) it = slots.begin();
  return it->second;
}

void write_info(util::Writer& w, const AddressInfo& info) {
  write_peer_address(w, info.record.address);
  w.u64(info.record.services);
  w.u64(info.record.last_seen_s);
  write_peer_address(w, info.source);
  w.u8(info.tried ? 1 : 0);
  w.u32(info.attempts);
  w.u64(info.last_attempt_s);
  w.u64(info.last_success_s);
}

util::Result<AddressInfo> read_info(util::Reader& r) {
  AddressInfo info;
  QPOW_ASSIGN_OR_RETURN(info.record.address, read_peer_address(r));
  QPOW_ASSIGN_OR_RETURN(info.record.services, r.u64("services"));
  QPOW_ASSIGN_OR_RETURN(info.record.last_seen_s, r.u64("last_seen_s"));
  QPOW_ASSIGN_OR_RETURN(info.source, read_peer_address(r));
  const std::size_t tried_offset = r.offset();
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t tried, r.u8("tried"));
  if (tried > 1) {
    return util::Status::malformed(
        fmt::format("address book tried: expected 0 or 1 at offset {}, got {}", tried_offset,
                    static_cast<unsigned>(tried)));
  }
  info.tried = tried == 1;
  QPOW_ASSIGN_OR_RETURN(info.attempts, r.u32("attempts"));
  QPOW_ASSIGN_OR_RETURN(info.last_attempt_s, r.u64("last_attempt_s"));
  QPOW_ASSIGN_OR_RETURN(info.last_success_s, r.u64("last_success_s"));
  return info;
}

// Puts a decoded entry back into its table. The encoding is canonical (ascending addresses, no
// two in one slot), so anything else is a corrupt or forged file.
util::Status insert_decoded(std::uint64_t key, AddressInfo info, std::size_t index, InfoMap& infos,
                            SlotMap& new_slots, SlotMap& tried_slots) {
  const PeerAddress address = info.record.address;
  if (!is_routable(address)) {
    return util::Status::malformed(
        fmt::format("address book entry {}: unroutable address {}", index, address.to_string()));
  }
  if (!infos.empty() && !(std::prev(infos.end())->first < address)) {
    return util::Status::malformed(fmt::format(
        "address book entry {}: {} is not after the previous address (duplicate or unsorted)",
        index, address.to_string()));
  }
  SlotMap& slots = info.tried ? tried_slots : new_slots;
  const std::size_t slot = slot_of(key, info);
  if (slots.contains(slot)) {
    return util::Status::malformed(fmt::format(
        "address book entry {}: {} shares {} slot {} with {}", index, address.to_string(),
        info.tried ? "tried" : "new", slot, slots.at(slot).to_string()));
  }
  slots.emplace(slot, address);
  infos.emplace_hint(infos.end(), address, std::move(info));
  return util::Status::ok();
}

}  // namespace

bool AddressBook::add(const AddressRecord& record, const PeerAddress& source, std::uint64_t now_s) {
  if (!is_routable(record.address)) return false;
  // Nobody has seen an address in the future; a claim that they have would keep it from ever
  // going stale.
  const std::uint64_t seen_s = std::min(record.last_seen_s, now_s);

  if (auto it = infos_.find(record.address); it != infos_.end()) {
    AddressRecord& known = it->second.record;
    if (seen_s <= known.last_seen_s) return false;
    known.last_seen_s = seen_s;
    known.services = record.services;
    return true;
  }

  AddressInfo info;
  info.record = record;
  info.record.last_seen_s = seen_s;
  info.source = source;
  const std::size_t slot = slot_of(key_, info);
  if (auto occupant = new_slots_.find(slot); occupant != new_slots_.end()) {
    // Only a stale or hopeless address gives way; otherwise the newcomer is dropped, so a
    // flood of fresh addresses cannot push out the ones we already know.
    if (!is_terrible(infos_.at(occupant->second), now_s)) return false;
    infos_.erase(occupant->second);
    new_slots_.erase(occupant);
  }
  new_slots_.emplace(slot, record.address);
  infos_.emplace(record.address, std::move(info));
  return true;
}

void AddressBook::mark_good(const PeerAddress& address, std::uint64_t now_s) {
  auto it = infos_.find(address);
  if (it == infos_.end()) return;
  AddressInfo& info = it->second;
  info.attempts = 0;
  info.last_success_s = now_s;
  info.record.last_seen_s = std::max(info.record.last_seen_s, now_s);
  if (info.tried) return;

  new_slots_.erase(slot_of(key_, info));
  info.tried = true;
  const std::size_t tried_slot = slot_of(key_, info);
  if (auto occupant = tried_slots_.find(tried_slot); occupant != tried_slots_.end()) {
    // The displaced address worked once, so it goes back to "new" rather than away; whatever
    // sits in its new slot has never been connected to and makes room for it.
    AddressInfo& displaced = infos_.at(occupant->second);
    tried_slots_.erase(occupant);
    displaced.tried = false;
    const std::size_t new_slot = slot_of(key_, displaced);
    if (auto in_new = new_slots_.find(new_slot); in_new != new_slots_.end()) {
      infos_.erase(in_new->second);
      new_slots_.erase(in_new);
    }
    new_slots_.emplace(new_slot, displaced.record.address);
  }
  tried_slots_.emplace(tried_slot, address);
}

void AddressBook::mark_attempt(const PeerAddress& address, std::uint64_t now_s) {
  auto it = infos_.find(address);
  if (it == infos_.end()) return;
  AddressInfo& info = it->second;
  if (info.attempts < std::numeric_limits<std::uint32_t>::max()) ++info.attempts;
  info.last_attempt_s = now_s;
}

void AddressBook::remove(const PeerAddress& address) {
  auto it = infos_.find(address);
  if (it == infos_.end()) return;
  SlotMap& slots = it->second.tried ? tried_slots_ : new_slots_;
  const std::size_t erased = slots.erase(slot_of(key_, it->second));
  QPOW_ASSERT_MSG(erased == 1, "an address book entry is not in its slot");
  infos_.erase(it);
}

std::optional<PeerAddress> AddressBook::select(
    std::uint64_t random, std::uint64_t now_s,
    const std::function<bool(const PeerAddress&)>& skip) const {
  if (infos_.empty()) return std::nullopt;
  std::uint64_t state = random;
  for (std::size_t attempt = 0; attempt < kSelectTriesMax; ++attempt) {
    const std::uint64_t r = next_random(state);
    // The top bit picks the table when both have entries; the rest picks the slot.
    bool use_tried = (r >> 63) != 0;
    if (tried_slots_.empty()) use_tried = false;
    if (new_slots_.empty()) use_tried = true;
    const PeerAddress& candidate = use_tried ? random_occupant(tried_slots_, kTriedSlotCount, r)
                                             : random_occupant(new_slots_, kNewSlotCount, r);
    if (is_terrible(infos_.at(candidate), now_s)) continue;
    if (skip && skip(candidate)) continue;
    return candidate;
  }
  return std::nullopt;
}

std::vector<AddressRecord> AddressBook::sample(std::size_t count, std::uint64_t random,
                                               std::uint64_t now_s) const {
  std::vector<AddressRecord> records;
  for (const auto& [address, info] : infos_) {
    if (!is_terrible(info, now_s)) records.push_back(info.record);
  }
  const std::size_t wanted = std::min({count, kAddrCountMax, records.size()});
  // The first `wanted` steps of a Fisher-Yates shuffle: a uniform choice of `wanted` records in
  // a random order.
  std::uint64_t state = random;
  for (std::size_t i = 0; i < wanted; ++i) {
    const std::size_t remaining = records.size() - i;
    const std::size_t j = i + static_cast<std::size_t>(next_random(state) % remaining);
    std::swap(records[i], records[j]);
  }
  records.resize(wanted);
  return records;
}

const AddressInfo* AddressBook::find(const PeerAddress& address) const {
  auto it = infos_.find(address);
  return it == infos_.end() ? nullptr : &it->second;
}

std::size_t AddressBook::tried_count() const {
  return tried_slots_.size();
}

util::Bytes AddressBook::encode() const {
  QPOW_ASSERT(infos_.size() == new_slots_.size() + tried_slots_.size());
  util::Writer w;
  w.u8(kAddressBookVersion);
  w.u64(key_);
  w.compact_size(infos_.size());
  for (const auto& [address, info] : infos_) write_info(w, info);
  QPOW_ASSERT(w.size() <= kAddressBookBytesMax);
  return std::move(w).take();
}

util::Result<AddressBook> AddressBook::decode(util::ByteSpan data) {
  if (data.size() > kAddressBookBytesMax) {
    return util::Status::out_of_range(fmt::format("address book: {} bytes above the limit {}",
                                                  data.size(), kAddressBookBytesMax));
  }
  util::Reader r(data, "address book");
  QPOW_ASSIGN_OR_RETURN(const std::uint8_t version, r.u8("version"));
  if (version != kAddressBookVersion) {
    return util::Status::unsupported(
        fmt::format("address book version: expected {}, got {}", kAddressBookVersion, version));
  }
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t key, r.u64("key"));
  QPOW_ASSIGN_OR_RETURN(const std::uint64_t count, r.compact_size("count", kAddressBookCapacity));
  AddressBook book(key);
  for (std::uint64_t i = 0; i < count; ++i) {
    QPOW_ASSIGN_OR_RETURN(AddressInfo info, read_info(r));
    QPOW_RETURN_IF_ERROR(insert_decoded(key, std::move(info), static_cast<std::size_t>(i),
                                        book.infos_, book.new_slots_, book.tried_slots_));
  }
  QPOW_RETURN_IF_ERROR(r.expect_end());
  return book;
}

}  // namespace qpow::net
