// The keystore payload decoder on hand-built payloads (an authentic file never carries these, but
// the decoder must not trust that): unknown schemes, bad flags, bounds at the limit and one past,
// duplicates, out-of-order entries and leftovers are all errors that name the field.
#include "wallet/keystore_format.h"

#include <string>

#include <gtest/gtest.h>

#include "crypto/signature_scheme.h"
#include "util/serialize.h"

namespace qpow::wallet {
namespace {

using crypto::SchemeId;

// A syntactically valid ML-DSA-44 key (contents are not checked by the format).
void write_key(util::Writer& w, std::uint8_t scheme = 0x01) {
  w.u8(scheme);
  w.bytes(util::Bytes(1312, 0xaa));
  w.bytes(util::Bytes(2560, 0xbb));
}

struct EntrySpec {
  std::uint32_t order = 0;
  std::uint8_t address_byte = 1;
  std::string label = {};
  std::uint8_t flags = 0;
};

void write_entry(util::Writer& w, const EntrySpec& e) {
  w.u32(e.order);
  w.bytes(util::Bytes(32, e.address_byte));
  w.u8(static_cast<std::uint8_t>(e.label.size()));
  w.bytes(util::as_bytes(e.label));
  write_key(w);
  w.u8(e.flags);
  if (e.flags & 1) write_key(w);
  if (e.flags & 2) write_key(w);
}

util::Bytes payload(std::initializer_list<EntrySpec> entries) {
  util::Writer w;
  w.u32(static_cast<std::uint32_t>(entries.size()));
  for (const EntrySpec& e : entries) write_entry(w, e);
  return std::move(w).take();
}

void expect_rejected(const util::Bytes& bytes, std::string_view fragment) {
  const util::Result<std::vector<KeyEntry>> r = decode_payload(bytes);
  ASSERT_FALSE(r.is_ok());
  EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
}

TEST(KeystorePayload, DecodesWhatItEncodes) {
  const util::Bytes bytes = payload({{.order = 0, .address_byte = 1, .label = "a", .flags = 0},
                                     {.order = 5, .address_byte = 2, .label = "", .flags = 3}});
  const util::Result<std::vector<KeyEntry>> entries = decode_payload(bytes);
  ASSERT_TRUE(entries.is_ok()) << entries.status().to_string();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].order, 5u);
  EXPECT_TRUE((*entries)[1].next && (*entries)[1].retired);
  const crypto::SecretBytes again = encode_payload(*entries);
  EXPECT_TRUE(util::bytes_equal(again, bytes));
  EXPECT_EQ(encode_payload({}).size(), 4u);
}

TEST(KeystorePayload, CountAtTheLimitAndOnePast) {
  util::Writer w;
  w.u32(kKeystoreKeysMax + 1);
  expect_rejected(std::move(w).take(), "keystore payload.count: 257 accounts, at most 256");
  util::Writer at_limit;
  at_limit.u32(kKeystoreKeysMax);
  // At the limit the count is accepted and the decoder goes on to look for the first account.
  expect_rejected(std::move(at_limit).take(), "account[0].order: need 4 bytes");
}

TEST(KeystorePayload, LabelLengthAtTheLimitAndOnePast) {
  EXPECT_TRUE(decode_payload(payload({{.label = std::string(kLabelMaxBytes, 'x')}})).is_ok());
  expect_rejected(payload({{.label = std::string(kLabelMaxBytes + 1, 'x')}}),
                  "account[0].label_length: 65 at offset 40 is past the limit 64");
  expect_rejected(payload({{.label = "a\nb"}}), "control character 0x0a at position 1");
}

TEST(KeystorePayload, UnknownSchemeAndFlagsAreRejected) {
  util::Writer w;
  w.u32(1);
  w.u32(0);
  w.bytes(util::Bytes(32, 1));
  w.u8(0);
  write_key(w, 0x7e);
  expect_rejected(std::move(w).take(), "account[0].current.scheme at offset 41");
  expect_rejected(payload({{.flags = 4}}), "account[0].flags: unknown bits 0x04");
  expect_rejected(payload({{.flags = 0x80}}), "unknown bits 0x80");
}

TEST(KeystorePayload, DuplicatesAndOrderAreChecked) {
  expect_rejected(payload({{.order = 0, .address_byte = 1}, {.order = 1, .address_byte = 1}}),
                  "account[1].address: listed twice");
  expect_rejected(payload({{.order = 0, .address_byte = 1, .label = "x"},
                           {.order = 1, .address_byte = 2, .label = "x"}}),
                  "account[1].label: 'x' listed twice");
  expect_rejected(payload({{.order = 3, .address_byte = 1}, {.order = 3, .address_byte = 2}}),
                  "account[1].order: 3 after 3");
  expect_rejected(payload({{.order = 3, .address_byte = 1}, {.order = 2, .address_byte = 2}}),
                  "account[1].order: 2 after 3");
  // Entries without labels may share the empty label.
  EXPECT_TRUE(
      decode_payload(payload({{.order = 0, .address_byte = 1}, {.order = 1, .address_byte = 2}}))
          .is_ok());
}

TEST(KeystorePayload, TruncationAndLeftoversAreRejected) {
  util::Bytes bytes = payload({{.flags = 1}});
  for (std::size_t len = 0; len < bytes.size(); ++len) {
    const util::Bytes cut(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_FALSE(decode_payload(cut).is_ok()) << len;
  }
  bytes.push_back(0);
  expect_rejected(bytes, "keystore payload: 1 trailing bytes");
}

}  // namespace
}  // namespace qpow::wallet
