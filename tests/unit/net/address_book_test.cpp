// AddressBook: keyed placement bounds what one network range or one gossiping peer can occupy,
// only terrible entries give way, "tried" collisions send the occupant back to "new", select and
// sample are bounded and deterministic, and the encoding round-trips and rejects malformed input.
#include "net/address_book.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "util/bytes.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

constexpr std::uint64_t kKey = 0x0123'4567'89ab'cdefULL;
constexpr std::uint64_t kNow = 1'700'000'000;
constexpr std::uint16_t kPort = 8633;
constexpr std::size_t kCapacity = (kNewBucketCount + kTriedBucketCount) * kBucketSize;
// version u8, key u64, count (one byte below 0xfd): where the entries start in an encoding.
constexpr std::size_t kHeaderBytes = 1 + 8 + 1;

AddressRecord record_of(const PeerAddress& address, std::uint64_t seen_s = kNow) {
  return AddressRecord{.address = address, .services = kServiceFullBlocks, .last_seen_s = seen_s};
}

PeerAddress source() {
  return ipv4_address(1, 2, 3, 4, kPort);
}

// The i-th address of 10.1.0.0/16; past 65,536 hosts the port changes, so all are distinct.
PeerAddress in_one_group(std::uint32_t i) {
  return ipv4_address(10, 1, static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i),
                      static_cast<std::uint16_t>(1000 + i / 65536));
}

// The i-th address of a spread over many /16 groups (i < 62,500), heard from itself.
PeerAddress spread(std::uint32_t i) {
  return ipv4_address(static_cast<std::uint8_t>(1 + i % 250), static_cast<std::uint8_t>(i / 250), 7,
                      7, kPort);
}

struct Filled {
  std::vector<PeerAddress> accepted;
  PeerAddress refused{};
};

// Adds 10.1.0.0/16 addresses from one source (so all into one new bucket) until one is refused
// because its slot is taken. The bucket has kBucketSize slots, so that happens by then.
Filled fill_until_refused(AddressBook& book, std::uint64_t now_s) {
  Filled filled;
  for (std::uint32_t i = 0; i <= kBucketSize; ++i) {
    const PeerAddress address = in_one_group(i);
    if (!book.add(record_of(address, now_s), source(), now_s)) {
      filled.refused = address;
      return filled;
    }
    filled.accepted.push_back(address);
  }
  ADD_FAILURE() << "no collision among " << kBucketSize + 1 << " addresses of one bucket";
  return filled;
}

// Addresses 0..count-1 of `spread`, with every third one connected to (moved to "tried").
AddressBook mixed_book(std::size_t count) {
  AddressBook book(kKey);
  for (std::uint32_t i = 0; i < count; ++i) {
    const PeerAddress address = spread(i);
    (void)book.add(record_of(address), address, kNow);
    if (i % 3 == 0) book.mark_good(address, kNow + 1);
    if (i % 5 == 0) book.mark_attempt(address, kNow + 2);
  }
  return book;
}

TEST(AddressBook, AddsAndRefreshesOnlyWithFresherRecords) {
  AddressBook book(kKey);
  const PeerAddress address = ipv4_address(8, 8, 8, 8, kPort);
  EXPECT_TRUE(book.add(record_of(address, kNow - 100), source(), kNow));
  ASSERT_NE(book.find(address), nullptr);
  EXPECT_EQ(book.find(address)->record, record_of(address, kNow - 100));
  EXPECT_EQ(book.find(address)->source, source());
  EXPECT_FALSE(book.find(address)->tried);

  EXPECT_FALSE(book.add(record_of(address, kNow - 100), source(), kNow));  // nothing new
  EXPECT_FALSE(book.add(record_of(address, kNow - 200), source(), kNow));  // older
  AddressRecord fresher = record_of(address, kNow - 10);
  fresher.services = 0;
  EXPECT_TRUE(book.add(fresher, source(), kNow));
  EXPECT_EQ(book.find(address)->record, fresher);
  EXPECT_EQ(book.size(), 1u);
  EXPECT_EQ(book.tried_count(), 0u);
}

TEST(AddressBook, IgnoresUnroutableAddresses) {
  AddressBook book(kKey);
  EXPECT_FALSE(book.add(record_of(ipv4_address(8, 8, 8, 8, 0)), source(), kNow));
  EXPECT_FALSE(book.add(record_of(ipv4_address(0, 0, 0, 0, kPort)), source(), kNow));
  EXPECT_FALSE(book.add(record_of(PeerAddress{.ip = {}, .port = kPort}), source(), kNow));
  EXPECT_EQ(book.size(), 0u);
  EXPECT_EQ(book.find(ipv4_address(8, 8, 8, 8, 0)), nullptr);
}

TEST(AddressBook, LastSeenInTheFutureIsClampedToNow) {
  AddressBook book(kKey);
  const PeerAddress address = ipv4_address(8, 8, 4, 4, kPort);
  ASSERT_TRUE(book.add(record_of(address, kNow + 1'000'000), source(), kNow));
  EXPECT_EQ(book.find(address)->record.last_seen_s, kNow);
}

TEST(AddressBook, OneGroupFromOneSourceFillsAtMostOneBucket) {
  // Placement in "new" hashes only (group, source group), so 100,000 addresses of one /16 heard
  // from one peer all land in one bucket: at most kBucketSize of them stay.
  AddressBook book(kKey);
  for (std::uint32_t i = 0; i < 100'000; ++i) {
    (void)book.add(record_of(in_one_group(i)), source(), kNow);
  }
  EXPECT_GT(book.size(), 0u);
  EXPECT_LE(book.size(), kBucketSize);
}

TEST(AddressBook, OneGroupFromEightSourcesFillsAtMostEightBuckets) {
  AddressBook book(kKey);
  constexpr std::size_t kSources = 8;
  for (std::uint32_t i = 0; i < 20'000; ++i) {
    const PeerAddress from = ipv4_address(static_cast<std::uint8_t>(30 + i % kSources), 0, 0, 1, 1);
    (void)book.add(record_of(in_one_group(i)), from, kNow);
  }
  EXPECT_GT(book.size(), kBucketSize);
  EXPECT_LE(book.size(), kSources * kBucketSize);
}

TEST(AddressBook, AddressesAcrossManyGroupsFillManyBuckets) {
  AddressBook book(kKey);
  for (std::uint32_t i = 0; i < 60'000; ++i) (void)book.add(record_of(spread(i)), spread(i), kNow);
  // More than half of all new slots: far beyond what any few buckets could hold.
  EXPECT_GT(book.size(), kNewBucketCount * kBucketSize / 2);
  EXPECT_LE(book.size(), kNewBucketCount * kBucketSize);
}

TEST(AddressBook, StaleOccupantGivesWayOnlyPastTheHorizon) {
  AddressBook book(kKey);
  const Filled filled = fill_until_refused(book, kNow);
  const std::size_t before = book.size();

  const std::uint64_t at_horizon = kNow + kAddressHorizonS;
  EXPECT_FALSE(book.add(record_of(filled.refused, at_horizon), source(), at_horizon));
  EXPECT_EQ(book.find(filled.refused), nullptr);

  const std::uint64_t past_horizon = at_horizon + 1;
  EXPECT_TRUE(book.add(record_of(filled.refused, past_horizon), source(), past_horizon));
  EXPECT_NE(book.find(filled.refused), nullptr);
  EXPECT_EQ(book.size(), before);  // one occupant out, the newcomer in
}

TEST(AddressBook, FailingOccupantGivesWayAtTheAttemptLimit) {
  AddressBook book(kKey);
  const Filled filled = fill_until_refused(book, kNow);
  for (const PeerAddress& address : filled.accepted) {
    for (std::uint32_t i = 0; i + 1 < kAddressAttemptsMax; ++i) book.mark_attempt(address, kNow);
  }
  EXPECT_FALSE(book.add(record_of(filled.refused), source(), kNow));

  for (const PeerAddress& address : filled.accepted) book.mark_attempt(address, kNow);
  EXPECT_EQ(book.find(filled.accepted.front())->attempts, kAddressAttemptsMax);
  EXPECT_TRUE(book.add(record_of(filled.refused), source(), kNow));
  EXPECT_EQ(book.size(), filled.accepted.size());
}

TEST(AddressBook, MarkGoodMovesToTriedAndResetsAttempts) {
  AddressBook book(kKey);
  const PeerAddress address = ipv4_address(8, 8, 8, 8, kPort);
  ASSERT_TRUE(book.add(record_of(address, kNow - 50), source(), kNow));
  book.mark_attempt(address, kNow + 1);
  book.mark_attempt(address, kNow + 2);
  EXPECT_EQ(book.find(address)->attempts, 2u);
  EXPECT_EQ(book.find(address)->last_attempt_s, kNow + 2);

  book.mark_good(address, kNow + 3);
  const AddressInfo* info = book.find(address);
  ASSERT_NE(info, nullptr);
  EXPECT_TRUE(info->tried);
  EXPECT_EQ(info->attempts, 0u);
  EXPECT_EQ(info->last_success_s, kNow + 3);
  EXPECT_EQ(info->record.last_seen_s, kNow + 3);
  EXPECT_EQ(book.tried_count(), 1u);
  EXPECT_EQ(book.size(), 1u);

  book.mark_good(address, kNow + 4);  // already tried: stays
  EXPECT_EQ(book.tried_count(), 1u);
  book.mark_good(ipv4_address(9, 9, 9, 9, kPort), kNow);  // unknown: ignored
  book.mark_attempt(ipv4_address(9, 9, 9, 9, kPort), kNow);
  EXPECT_EQ(book.size(), 1u);
}

TEST(AddressBook, TriedCollisionSendsTheOccupantBackToNew) {
  // 10.2.0.0/16 addresses, each heard from its own /16 so they all fit in "new"; in "tried" they
  // share one bucket, so past kBucketSize promotions collisions are certain.
  AddressBook book(kKey);
  std::vector<PeerAddress> addresses;
  for (std::uint32_t i = 0; i < 3 * kBucketSize; ++i) {
    const PeerAddress address = ipv4_address(10, 2, 0, static_cast<std::uint8_t>(i), kPort);
    const PeerAddress from = ipv4_address(static_cast<std::uint8_t>(20 + i), 0, 0, 1, kPort);
    if (book.add(record_of(address), from, kNow)) addresses.push_back(address);
  }
  std::size_t collisions = 0;
  for (const PeerAddress& promoted : addresses) {
    // A displaced address may have pushed a not yet promoted one out of "new".
    if (book.find(promoted) == nullptr) continue;
    std::vector<PeerAddress> tried_before;
    for (const PeerAddress& a : addresses) {
      if (book.find(a) != nullptr && book.find(a)->tried) tried_before.push_back(a);
    }
    book.mark_good(promoted, kNow + 1);
    ASSERT_TRUE(book.find(promoted)->tried);
    std::size_t displaced = 0;
    for (const PeerAddress& a : tried_before) {
      const AddressInfo* info = book.find(a);
      ASSERT_NE(info, nullptr) << "a displaced tried address goes back to new, not away";
      if (!info->tried) ++displaced;
    }
    EXPECT_LE(displaced, 1u);
    collisions += displaced;
    EXPECT_EQ(book.tried_count(), tried_before.size() + 1 - displaced);
  }
  EXPECT_GT(collisions, 0u);
  EXPECT_LE(book.tried_count(), kBucketSize);
}

TEST(AddressBook, RemoveForgetsNewAndTriedEntries) {
  AddressBook book(kKey);
  const PeerAddress a = ipv4_address(8, 8, 8, 8, kPort);
  const PeerAddress b = ipv4_address(9, 9, 9, 9, kPort);
  ASSERT_TRUE(book.add(record_of(a), source(), kNow));
  ASSERT_TRUE(book.add(record_of(b), source(), kNow));
  book.mark_good(b, kNow);
  book.remove(a);
  book.remove(b);
  book.remove(b);  // unknown: ignored
  EXPECT_EQ(book.size(), 0u);
  EXPECT_EQ(book.tried_count(), 0u);
  EXPECT_TRUE(book.add(record_of(a), source(), kNow));  // its slot is free again
}

TEST(AddressBook, SelectOnAnEmptyBookFindsNothing) {
  const AddressBook book(kKey);
  for (std::uint64_t r = 0; r < 10; ++r) EXPECT_EQ(book.select(r, kNow, {}), std::nullopt);
}

TEST(AddressBook, SelectNeverReturnsSkippedOrTerribleAddresses) {
  AddressBook book = mixed_book(300);
  const std::set<PeerAddress> skipped = {spread(0), spread(1), spread(2), spread(3), spread(4)};
  const auto skip = [&](const PeerAddress& a) { return skipped.contains(a); };
  std::size_t from_tried = 0;
  for (std::uint64_t r = 0; r < 2000; ++r) {
    const std::optional<PeerAddress> picked = book.select(r, kNow, skip);
    ASSERT_TRUE(picked.has_value());
    EXPECT_FALSE(skip(*picked));
    ASSERT_NE(book.find(*picked), nullptr);
    if (book.find(*picked)->tried) ++from_tried;
    EXPECT_EQ(book.select(r, kNow, skip), picked);  // deterministic
  }
  // Equal chance per table: about 1000 of 2000 from "tried".
  EXPECT_GT(from_tried, 800u);
  EXPECT_LT(from_tried, 1200u);

  EXPECT_EQ(book.select(7, kNow, [](const PeerAddress&) { return true; }), std::nullopt);
  const std::uint64_t all_stale = kNow + 2 + kAddressHorizonS + 1;
  EXPECT_EQ(book.select(7, all_stale, {}), std::nullopt);
}

TEST(AddressBook, SelectUsesWhicheverTableHasEntries) {
  AddressBook book(kKey);
  const PeerAddress only = ipv4_address(8, 8, 8, 8, kPort);
  ASSERT_TRUE(book.add(record_of(only), source(), kNow));
  for (std::uint64_t r = 0; r < 50; ++r) EXPECT_EQ(book.select(r, kNow, {}), only);
  book.mark_good(only, kNow);
  for (std::uint64_t r = 0; r < 50; ++r) EXPECT_EQ(book.select(r, kNow, {}), only);
}

TEST(AddressBook, SampleIsBoundedDistinctAndDeterministic) {
  const AddressBook book = mixed_book(3 * kAddrCountMax);
  ASSERT_GT(book.size(), kAddrCountMax + 1);
  EXPECT_EQ(book.sample(kAddrCountMax, 1, kNow).size(), kAddrCountMax);
  EXPECT_EQ(book.sample(kAddrCountMax + 1, 1, kNow).size(), kAddrCountMax);
  EXPECT_EQ(book.sample(10, 1, kNow).size(), 10u);
  EXPECT_TRUE(book.sample(0, 1, kNow).empty());

  const std::vector<AddressRecord> sample = book.sample(kAddrCountMax, 42, kNow);
  std::set<PeerAddress> distinct;
  for (const AddressRecord& record : sample) {
    ASSERT_NE(book.find(record.address), nullptr);
    distinct.insert(record.address);
  }
  EXPECT_EQ(distinct.size(), sample.size());
  EXPECT_EQ(book.sample(kAddrCountMax, 42, kNow), sample);
  EXPECT_NE(book.sample(kAddrCountMax, 43, kNow), sample);
}

TEST(AddressBook, SampleExcludesTerribleAddresses) {
  AddressBook book(kKey);
  const std::uint64_t stale_s = kNow - kAddressHorizonS - 1;
  for (std::uint32_t i = 0; i < 40; ++i) {
    (void)book.add(record_of(spread(i), i % 2 == 0 ? kNow : stale_s), spread(i), kNow);
  }
  std::size_t fresh = 0;
  std::size_t stale = 0;
  for (std::uint32_t i = 0; i < 40; ++i) {
    const AddressInfo* info = book.find(spread(i));
    if (info != nullptr) ++(info->record.last_seen_s == kNow ? fresh : stale);
  }
  ASSERT_GT(stale, 0u);
  const std::vector<AddressRecord> sample = book.sample(kAddrCountMax, 5, kNow);
  EXPECT_EQ(sample.size(), fresh);
  for (const AddressRecord& record : sample) EXPECT_EQ(record.last_seen_s, kNow);
}

TEST(AddressBook, SameKeyAndCallsGiveTheSameBytes) {
  EXPECT_EQ(mixed_book(500).encode(), mixed_book(500).encode());
}

TEST(AddressBook, EncodeDecodeRoundTrips) {
  AddressBook book = mixed_book(500);
  const util::Bytes bytes = book.encode();
  util::Result<AddressBook> decoded = AddressBook::decode(bytes);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->encode(), bytes);
  EXPECT_EQ(decoded->size(), book.size());
  EXPECT_EQ(decoded->tried_count(), book.tried_count());
  for (std::uint32_t i = 0; i < 500; ++i) {
    const AddressInfo* want = book.find(spread(i));
    const AddressInfo* got = decoded->find(spread(i));
    ASSERT_EQ(want == nullptr, got == nullptr);
    if (want == nullptr) continue;
    EXPECT_EQ(got->record, want->record);
    EXPECT_EQ(got->source, want->source);
    EXPECT_EQ(got->tried, want->tried);
    EXPECT_EQ(got->attempts, want->attempts);
    EXPECT_EQ(got->last_attempt_s, want->last_attempt_s);
    EXPECT_EQ(got->last_success_s, want->last_success_s);
  }
  // The slots were rebuilt: both books go on to behave the same.
  for (std::uint64_t r = 0; r < 100; ++r)
    EXPECT_EQ(decoded->select(r, kNow, {}), book.select(r, kNow, {}));
  for (std::uint32_t i = 500; i < 900; ++i) {
    EXPECT_EQ(decoded->add(record_of(spread(i)), spread(i), kNow),
              book.add(record_of(spread(i)), spread(i), kNow));
    decoded->mark_good(spread(i - 400), kNow + 5);
    book.mark_good(spread(i - 400), kNow + 5);
  }
  EXPECT_EQ(decoded->encode(), book.encode());

  const util::Result<AddressBook> empty = AddressBook::decode(AddressBook(7).encode());
  ASSERT_TRUE(empty.is_ok());
  EXPECT_EQ(empty->size(), 0u);
}

TEST(AddressBook, DecodeRejectsEveryTruncationAndATrailingByte) {
  const util::Bytes bytes = mixed_book(4).encode();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(AddressBook::decode(util::ByteSpan(bytes).first(n)).is_ok()) << n;
  }
  util::Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_EQ(AddressBook::decode(trailing).status().code(), util::StatusCode::kMalformed);
}

TEST(AddressBook, DecodeRejectsOversizedInput) {
  util::Bytes at_limit = AddressBook(kKey).encode();
  at_limit.resize(kAddressBookBytesMax, 0);
  const util::Status at = AddressBook::decode(at_limit).status();
  EXPECT_EQ(at.code(), util::StatusCode::kMalformed) << at.to_string();  // trailing bytes only

  util::Bytes past_limit = at_limit;
  past_limit.push_back(0);
  const util::Status past = AddressBook::decode(past_limit).status();
  EXPECT_EQ(past.code(), util::StatusCode::kOutOfRange);
  EXPECT_NE(past.message().find("above the limit"), std::string::npos) << past.to_string();
}

util::Bytes header_with_count(std::uint64_t count) {
  util::Writer w;
  w.u8(1);
  w.u64(kKey);
  w.compact_size(count);
  return std::move(w).take();
}

TEST(AddressBook, DecodeRejectsCountsAboveCapacity) {
  // At capacity the count itself is accepted and the missing entries are what fails.
  EXPECT_EQ(AddressBook::decode(header_with_count(kCapacity)).status().code(),
            util::StatusCode::kMalformed);
  EXPECT_EQ(AddressBook::decode(header_with_count(kCapacity + 1)).status().code(),
            util::StatusCode::kOutOfRange);
}

// The entry bytes of a one-entry book holding `address` (heard from itself).
util::Bytes entry_bytes(const PeerAddress& address, const PeerAddress& from) {
  AddressBook book(kKey);
  EXPECT_TRUE(book.add(record_of(address), from, kNow));
  const util::Bytes bytes = book.encode();
  return util::Bytes(bytes.begin() + kHeaderBytes, bytes.end());
}

util::Bytes two_entries(const util::Bytes& first, const util::Bytes& second) {
  util::Bytes out = header_with_count(2);
  out.insert(out.end(), first.begin(), first.end());
  out.insert(out.end(), second.begin(), second.end());
  return out;
}

TEST(AddressBook, DecodeRejectsNonCanonicalEntries) {
  const util::Bytes a = entry_bytes(ipv4_address(8, 8, 8, 8, kPort), source());
  const util::Bytes b = entry_bytes(ipv4_address(9, 9, 9, 9, kPort), source());
  ASSERT_TRUE(AddressBook::decode(two_entries(a, b)).is_ok());
  const util::Status unsorted = AddressBook::decode(two_entries(b, a)).status();
  EXPECT_NE(unsorted.message().find("entry 1: 8.8.8.8:8633 is not after"), std::string::npos)
      << unsorted.to_string();
  EXPECT_FALSE(AddressBook::decode(two_entries(a, a)).is_ok());  // duplicate

  util::Bytes bad_version = AddressBook(kKey).encode();
  bad_version[0] = 2;
  EXPECT_FALSE(AddressBook::decode(bad_version).is_ok());

  // The tried flag follows address, services, last_seen_s and source.
  util::Bytes bad_flag = header_with_count(1);
  bad_flag.insert(bad_flag.end(), a.begin(), a.end());
  bad_flag[kHeaderBytes + kPeerAddressBytes + 8 + 8 + kPeerAddressBytes] = 2;
  EXPECT_EQ(AddressBook::decode(bad_flag).status().code(), util::StatusCode::kMalformed);

  // Port 0 (the last two bytes of the address) is never stored.
  util::Bytes no_port = header_with_count(1);
  no_port.insert(no_port.end(), a.begin(), a.end());
  no_port[kHeaderBytes + 16] = 0;
  no_port[kHeaderBytes + 17] = 0;
  EXPECT_EQ(AddressBook::decode(no_port).status().code(), util::StatusCode::kMalformed);
}

TEST(AddressBook, DecodeRejectsTwoEntriesInOneSlot) {
  AddressBook book(kKey);
  const Filled filled = fill_until_refused(book, kNow);
  // Find which accepted address holds the slot the refused one wanted.
  std::optional<PeerAddress> occupant;
  for (const PeerAddress& candidate : filled.accepted) {
    AddressBook copy = AddressBook::decode(book.encode()).value();
    copy.remove(candidate);
    if (copy.add(record_of(filled.refused), source(), kNow)) occupant = candidate;
  }
  ASSERT_TRUE(occupant.has_value());
  const util::Bytes x = entry_bytes(*occupant, source());
  const util::Bytes y = entry_bytes(filled.refused, source());
  const util::Bytes forged = *occupant < filled.refused ? two_entries(x, y) : two_entries(y, x);
  const util::Status shared = AddressBook::decode(forged).status();
  EXPECT_EQ(shared.code(), util::StatusCode::kMalformed);
  EXPECT_NE(shared.message().find("shares new slot"), std::string::npos) << shared.to_string();
}

}  // namespace
}  // namespace qpow::net
