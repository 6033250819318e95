// Bech32/Bech32m against the test vectors of BIP 350 (and a few of BIP 173), including the segwit
// address vectors, decoded by a small BIP 173/350 address decoder written here on top of
// util::bech32_decode and util::convert_bits.
#include "util/bech32.h"

#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_bytes.h"
#include "util/bytes.h"
#include "util/hex.h"

namespace qpow::util {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// BIP 350, "Test vectors for Bech32m": valid strings.
constexpr const char* kValidBech32m[] = {
    "A1LQFN3A",
    "a1lqfn3a",
    "an83characterlonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11sg7hg6",
    "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx",
    "11llllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllllludsr8",
    "split1checkupstagehandshakeupstreamerranterredcaperredlc445v",
    "?1v759aa",
};

// BIP 350, "Test vectors for Bech32m": invalid strings (the reason is in BIP 350).
constexpr const char* kInvalidBech32m[] = {
    "\x20"
    "1xj0phk",  // hrp character out of range
    "\x7f"
    "1g6xzxy",  // hrp character out of range
    "\x80"
    "1vctc34",  // hrp character out of range
    "an84characterslonghumanreadablepartthatcontainsthetheexcludedcharactersbioandnumber11d6pts4",
    "qyrz8wqd2c9m",   // no separator
    "1qyrz8wqd2c9m",  // empty hrp
    "y1b0jsk6g",      // invalid data character
    "lt1igcx5c0",     // invalid data character
    "in1muywd",       // checksum too short
    "mm1crxm3i",      // invalid character in checksum
    "au1s5cgom",      // invalid character in checksum
    "M1VUXWEZ",       // checksum computed with upper-case hrp
    "16plkw9",        // empty hrp
    "1p2gdwpf",       // empty hrp
};

TEST(Bech32m, Bip350ValidStringsDecodeAndReencode) {
  for (const char* text : kValidBech32m) {
    const Result<Bech32Decoded> decoded = bech32_decode(text);
    ASSERT_TRUE(decoded.is_ok()) << text << ": " << decoded.status().to_string();
    EXPECT_EQ(decoded->variant, Bech32Variant::kBech32m) << text;
    EXPECT_EQ(decoded->hrp, lower(std::string_view(text).substr(0, decoded->hrp.size()))) << text;
    const Result<std::string> encoded =
        bech32_encode(decoded->hrp, decoded->data, Bech32Variant::kBech32m);
    ASSERT_TRUE(encoded.is_ok()) << text << ": " << encoded.status().to_string();
    EXPECT_EQ(*encoded, lower(text));
  }
}

TEST(Bech32m, Bip350InvalidStringsRejected) {
  for (const char* text : kInvalidBech32m) {
    const Result<Bech32Decoded> decoded = bech32_decode(text);
    EXPECT_TRUE(!decoded.is_ok() || decoded->variant != Bech32Variant::kBech32m)
        << "accepted as Bech32m: " << text;
  }
}

// BIP 173, "Test vectors": valid Bech32 strings are recognised as the other variant.
TEST(Bech32, Bip173ValidStringsDecodeAsBech32) {
  for (const char* text :
       {"A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w", "?1ezyfcl"}) {
    const Result<Bech32Decoded> decoded = bech32_decode(text);
    ASSERT_TRUE(decoded.is_ok()) << text << ": " << decoded.status().to_string();
    EXPECT_EQ(decoded->variant, Bech32Variant::kBech32) << text;
    EXPECT_EQ(*bech32_encode(decoded->hrp, decoded->data, Bech32Variant::kBech32), lower(text));
  }
}

// A segwit address decoder following BIP 173 ("Segwit address format") and BIP 350: the
// scriptPubKey of the address, or why it is not a valid address under expected_hrp.
Result<Bytes> segwit_script(std::string_view expected_hrp, std::string_view address) {
  QPOW_ASSIGN_OR_RETURN(const Bech32Decoded decoded, bech32_decode(address));
  if (decoded.hrp != expected_hrp) return Status::malformed("wrong hrp " + decoded.hrp);
  if (decoded.data.empty()) return Status::malformed("no witness version");
  const std::uint8_t version = decoded.data[0];
  if (version > 16) return Status::malformed("witness version over 16");
  QPOW_ASSIGN_OR_RETURN(const Bytes program,
                        convert_bits(std::span(decoded.data).subspan(1), 5, 8, false));
  if (program.size() < 2 || program.size() > 40) return Status::malformed("program length");
  if (version == 0 && program.size() != 20 && program.size() != 32) {
    return Status::malformed("v0 program length");
  }
  const Bech32Variant needed = version == 0 ? Bech32Variant::kBech32 : Bech32Variant::kBech32m;
  if (decoded.variant != needed) return Status::malformed("wrong checksum variant");
  Bytes script = {static_cast<std::uint8_t>(version == 0 ? 0 : version + 0x50),
                  static_cast<std::uint8_t>(program.size())};
  script.insert(script.end(), program.begin(), program.end());
  return script;
}

struct AddressCase {
  const char* address;
  const char* script_hex;
};

// BIP 350, "Test vectors for v0-v16 native segregated witness addresses": valid addresses.
constexpr AddressCase kValidAddresses[] = {
    {"BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
     "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"},
    {"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
     "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"},
    {"BC1SW50QGDZ25J", "6002751e"},
    {"bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"},
    {"tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
     "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
     "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"},
    {"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
     "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"},
};

// BIP 350, "Test vectors for v0-v16 native segregated witness addresses": invalid addresses.
constexpr const char* kInvalidAddresses[] = {
    "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut",  // invalid hrp
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",  // v1 with Bech32
    "tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",  // v2 with Bech32
    "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",  // v16 with Bech32
    "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",                      // v0 with Bech32m
    "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",  // v0 with Bech32m
    "bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4",  // invalid character
    "BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R",  // version 17
    "bc1pw5dgrnzv",                                                    // program of 1 byte
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",  // 41 bytes
    "BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P",                              // v0 program of 16 bytes
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq",    // mixed case
    "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf",  // padding over 4 bits
    "tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j",    // non-zero padding
    "bc1gmk9yu",                                                         // empty data
};

TEST(SegwitAddress, Bip350ValidAddresses) {
  for (const AddressCase& c : kValidAddresses) {
    const std::string hrp = lower(std::string_view(c.address).substr(0, 2));
    const Result<Bytes> script = segwit_script(hrp, c.address);
    ASSERT_TRUE(script.is_ok()) << c.address << ": " << script.status().to_string();
    EXPECT_EQ(to_hex(*script), c.script_hex) << c.address;
    const std::string other = hrp == "bc" ? "tb" : "bc";
    EXPECT_FALSE(segwit_script(other, c.address).is_ok()) << c.address;
  }
}

TEST(SegwitAddress, Bip350InvalidAddresses) {
  for (const char* address : kInvalidAddresses) {
    for (const char* hrp : {"bc", "tb"}) {
      EXPECT_FALSE(segwit_script(hrp, address).is_ok()) << hrp << ": " << address;
    }
  }
}

TEST(Bech32, DecodeErrorsSayWhatIsWrong) {
  EXPECT_EQ(bech32_decode("A1lqfn3a").status().message(), "bech32: mixed upper and lower case");
  EXPECT_EQ(bech32_decode("qyrz8wqd2c9m").status().message(), "bech32: no separator '1'");
  EXPECT_EQ(bech32_decode("1qyrz8wqd2c9m").status().message(), "bech32: empty human-readable part");
  EXPECT_EQ(bech32_decode("in1muywd").status().message(),
            "bech32: checksum needs 6 symbols, have 5");
  EXPECT_EQ(bech32_decode("y1b0jsk6g").status().message(),
            "bech32: invalid data character 'b' at position 2");
  EXPECT_EQ(bech32_decode("a1lqfn3q").status().message(), "bech32: checksum mismatch");
}

TEST(Bech32, EverySingleSubstitutionIsDetected) {
  constexpr std::string_view kCharset = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  const std::string text = "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx";
  for (std::size_t i = text.find('1') + 1; i < text.size(); ++i) {
    for (const char c : kCharset) {
      if (c == text[i]) continue;
      std::string changed = text;
      changed[i] = c;
      EXPECT_FALSE(bech32_decode(changed).is_ok()) << changed;
    }
  }
}

TEST(Bech32, LengthLimitAtTheBoundAndOnePast) {
  // "qp" + '1' + n symbols + 6 checksum symbols: n = 81 gives exactly kBech32MaxLength.
  const std::vector<std::uint8_t> at_limit(81, 3);
  const Result<std::string> ok = bech32_encode("qp", at_limit, Bech32Variant::kBech32m);
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  EXPECT_EQ(ok->size(), kBech32MaxLength);
  EXPECT_TRUE(bech32_decode(*ok).is_ok());

  const std::vector<std::uint8_t> past(82, 3);
  const Result<std::string> too_long = bech32_encode("qp", past, Bech32Variant::kBech32m);
  EXPECT_EQ(too_long.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(too_long.status().message(),
            "bech32: encoding would be 91 characters, over the limit of 90");

  // A caller may raise the limit; decoding then needs the same limit.
  const Result<std::string> longer =
      bech32_encode("qp", past, Bech32Variant::kBech32m, kBech32MaxLength + 1);
  ASSERT_TRUE(longer.is_ok());
  EXPECT_EQ(bech32_decode(*longer).status().code(), StatusCode::kOutOfRange);
  EXPECT_TRUE(bech32_decode(*longer, kBech32MaxLength + 1).is_ok());
}

TEST(Bech32, EncodeRejectsBadHrpAndSymbols) {
  const std::vector<std::uint8_t> data = {0, 1, 2};
  EXPECT_EQ(bech32_encode("", data, Bech32Variant::kBech32m).status().code(),
            StatusCode::kMalformed);
  EXPECT_FALSE(bech32_encode("QP", data, Bech32Variant::kBech32m).is_ok());
  EXPECT_FALSE(bech32_encode("q p", data, Bech32Variant::kBech32m).is_ok());
  EXPECT_FALSE(bech32_encode("q\x7f", data, Bech32Variant::kBech32m).is_ok());
  EXPECT_FALSE(bech32_encode(std::string(84, 'a'), data, Bech32Variant::kBech32m, 200).is_ok());
  EXPECT_TRUE(bech32_encode(std::string(83, 'a'), data, Bech32Variant::kBech32m, 200).is_ok());

  const std::vector<std::uint8_t> wide = {0, 31, 32};
  const Result<std::string> bad_symbol = bech32_encode("qp", wide, Bech32Variant::kBech32m);
  EXPECT_EQ(bad_symbol.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_symbol.status().message(), "bech32: data symbol 32 at index 2 is not 5-bit");
}

TEST(ConvertBits, PaddingRules) {
  const Bytes ff = {0xff};
  const Result<Bytes> five = convert_bits(ff, 8, 5, true);
  ASSERT_TRUE(five.is_ok());
  EXPECT_EQ(*five, (Bytes{31, 28}));  // 11111 111 + 00 of padding

  // Without padding, leftover bits below a whole group must be zero.
  EXPECT_EQ(*convert_bits(Bytes{31, 28}, 5, 8, false), ff);
  const Result<Bytes> nonzero = convert_bits(Bytes{31, 29}, 5, 8, false);
  EXPECT_EQ(nonzero.status().message(), "convert_bits: non-zero padding bits");
  // ... and fewer than from_bits of them.
  const Result<Bytes> extra = convert_bits(Bytes{31, 28, 0}, 5, 8, false);
  EXPECT_EQ(extra.status().message(), "convert_bits: 7 bits of padding, more than 4");

  EXPECT_EQ(*convert_bits(Bytes{0xf8}, 8, 5, false), (Bytes{31}));
  EXPECT_FALSE(convert_bits(ff, 8, 5, false).is_ok());
  EXPECT_EQ(convert_bits(Bytes{32}, 5, 8, false).status().message(),
            "convert_bits: value 32 at index 0 exceeds 5 bits");
  EXPECT_TRUE(convert_bits(Bytes{}, 8, 5, true)->empty());
  EXPECT_TRUE(convert_bits(Bytes{}, 5, 8, false)->empty());
}

TEST(ConvertBits, RoundTripsEveryLength) {
  std::mt19937_64 rng(0xb3c4);
  for (std::size_t n = 0; n <= 64; ++n) {
    const Bytes bytes = test::random_bytes(rng, n);
    const Result<Bytes> symbols = convert_bits(bytes, 8, 5, true);
    ASSERT_TRUE(symbols.is_ok());
    EXPECT_EQ(symbols->size(), (8 * n + 4) / 5);
    const Result<Bytes> back = convert_bits(*symbols, 5, 8, false);
    ASSERT_TRUE(back.is_ok()) << n << ": " << back.status().to_string();
    EXPECT_EQ(*back, bytes);
  }
}

TEST(Bech32m, RoundTrips32BytePayloadUnderQp) {
  std::mt19937_64 rng(0x7170);
  const Bytes payload = test::random_bytes(rng, 32);
  const Result<Bytes> symbols = convert_bits(payload, 8, 5, true);
  ASSERT_TRUE(symbols.is_ok());
  const Result<std::string> text = bech32_encode("qp", *symbols, Bech32Variant::kBech32m);
  ASSERT_TRUE(text.is_ok()) << text.status().to_string();
  EXPECT_EQ(text->size(), 61u);
  EXPECT_EQ(text->substr(0, 3), "qp1");

  const Result<Bech32Decoded> decoded = bech32_decode(*text);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().to_string();
  EXPECT_EQ(decoded->variant, Bech32Variant::kBech32m);
  EXPECT_EQ(decoded->hrp, "qp");
  EXPECT_EQ(decoded->data, *symbols);
  EXPECT_EQ(*convert_bits(decoded->data, 5, 8, false), payload);

  // Upper case decodes to the same thing; a Bech32 checksum is told apart.
  std::string upper = *text;
  for (char& c : upper) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  EXPECT_EQ(bech32_decode(upper)->data, *symbols);
  const Result<std::string> plain = bech32_encode("qp", *symbols, Bech32Variant::kBech32);
  ASSERT_TRUE(plain.is_ok());
  EXPECT_NE(*plain, *text);
  EXPECT_EQ(bech32_decode(*plain)->variant, Bech32Variant::kBech32);
}

}  // namespace
}  // namespace qpow::util
