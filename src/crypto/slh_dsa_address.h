// Internal: the 32-byte hash address ADRS of SLH-DSA (FIPS 205 §4.2, Figure 2 and Table 1) and its
// 22-byte compressed form ADRS^c used by the SHA2 sets (FIPS 205 §11.2).
//
// Layout (every field big-endian):
//   bytes  0..3   layer address
//   bytes  4..15  tree address (toByte(t, 12); qpow's trees fit 64 bits, so bytes 4..7 are 0)
//   bytes 16..19  type
//   bytes 20..23  key pair address           (WOTS_HASH, WOTS_PK, FORS_TREE, FORS_ROOTS, PRFs)
//   bytes 24..27  chain address / tree height
//   bytes 28..31  hash address / tree index
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace qpow::crypto::slhdsa::internal {

class Address {
 public:
  static constexpr std::size_t kBytes = 32;
  static constexpr std::size_t kCompressedBytes = 22;

  // FIPS 205 Table 1 (the type constants).
  enum class Type : std::uint32_t {
    kWotsHash = 0,
    kWotsPk = 1,
    kTree = 2,
    kForsTree = 3,
    kForsRoots = 4,
    kWotsPrf = 5,
    kForsPrf = 6,
  };

  void set_layer(std::uint32_t layer) { put32(0, layer); }
  void set_tree(std::uint64_t tree) {
    put32(4, 0);
    put32(8, static_cast<std::uint32_t>(tree >> 32));
    put32(12, static_cast<std::uint32_t>(tree));
  }
  // setTypeAndClear: the type, and the last 12 bytes zeroed.
  void set_type_and_clear(Type type) {
    put32(16, static_cast<std::uint32_t>(type));
    std::memset(bytes_.data() + 20, 0, 12);
  }
  void set_keypair(std::uint32_t keypair) { put32(20, keypair); }
  void set_chain(std::uint32_t chain) { put32(24, chain); }
  void set_tree_height(std::uint32_t height) { put32(24, height); }
  void set_hash(std::uint32_t hash) { put32(28, hash); }
  void set_tree_index(std::uint32_t index) { put32(28, index); }

  std::uint32_t keypair() const { return get32(20); }
  std::uint32_t tree_index() const { return get32(28); }

  const std::uint8_t* data() const { return bytes_.data(); }

  // ADRS^c = ADRS[3] || ADRS[8:16] || ADRS[19] || ADRS[20:32] (FIPS 205 §11.2).
  void compress(std::uint8_t* out) const {
    out[0] = bytes_[3];
    std::memcpy(out + 1, bytes_.data() + 8, 8);
    out[9] = bytes_[19];
    std::memcpy(out + 10, bytes_.data() + 20, 12);
  }

 private:
  void put32(std::size_t at, std::uint32_t v) {
    bytes_[at] = static_cast<std::uint8_t>(v >> 24);
    bytes_[at + 1] = static_cast<std::uint8_t>(v >> 16);
    bytes_[at + 2] = static_cast<std::uint8_t>(v >> 8);
    bytes_[at + 3] = static_cast<std::uint8_t>(v);
  }
  std::uint32_t get32(std::size_t at) const {
    return (static_cast<std::uint32_t>(bytes_[at]) << 24) |
           (static_cast<std::uint32_t>(bytes_[at + 1]) << 16) |
           (static_cast<std::uint32_t>(bytes_[at + 2]) << 8) | bytes_[at + 3];
  }

  alignas(8) std::array<std::uint8_t, kBytes> bytes_{};
};

}  // namespace qpow::crypto::slhdsa::internal
