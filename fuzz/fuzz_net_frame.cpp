// Fuzz target: the frame decoder on an arbitrary stream fed in arbitrary pieces.
//
// Input: byte 0 holds, in its low 3 bits, how many chunk-size bytes follow (the stream is fed in
// pieces of those sizes, cycled; none: in one piece), and in bit 3 whether the rest is wrapped in
// valid frames (its first byte picks the command, the others are the payload, framed twice with a
// correct checksum) so that the search reaches the payload decoders quickly. Otherwise the rest is
// the raw stream.
//
// Properties: the decoder never buffers more than was fed; every decoded message is exactly the
// frame it came from re-encoded (framing and payloads are canonical) and survives a payload round
// trip; after an error the decoder stays failed.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/sha3.h"
#include "fuzz_check.h"
#include "net/frame.h"
#include "net/message.h"
#include "util/bytes.h"

namespace {

using namespace qpow;

constexpr std::array<std::string_view, 14> kCommands = {
    "version", "verack",   "ping",       "pong",    "getaddr", "addr", "inv",
    "getdata", "notfound", "getheaders", "headers", "block",   "tx",   "reject"};
constexpr std::uint8_t kChunkCountMask = 0x07;
constexpr std::uint8_t kWrapFlag = 0x08;

// Two frames carrying body[1..] under the command body[0] picks, with a correct checksum.
util::Bytes wrap_in_frames(const net::Magic& magic, util::ByteSpan body) {
  if (body.empty()) return {};
  const std::string_view command = kCommands[body[0] % kCommands.size()];
  const util::ByteSpan payload = body.subspan(1);
  util::Bytes one(net::kFrameHeaderBytes + payload.size(), 0);
  std::copy(magic.begin(), magic.end(), one.begin());
  std::copy(command.begin(), command.end(), one.begin() + 4);
  util::store_le32(one.data() + 16, static_cast<std::uint32_t>(payload.size()));
  const crypto::Hash256 digest = crypto::Sha3_256::hash(payload);
  std::copy_n(digest.begin(), 4, one.begin() + 20);
  std::copy(payload.begin(), payload.end(), one.begin() + net::kFrameHeaderBytes);
  util::Bytes two = one;
  two.insert(two.end(), one.begin(), one.end());
  return two;
}

void check_message(const net::Magic& magic, const net::Message& message, util::ByteSpan frame) {
  FUZZ_CHECK(util::bytes_equal(net::encode_frame(magic, message), frame));
  const util::Bytes payload = net::encode_payload(message);
  auto again = net::decode_payload(net::command_name(message), payload);
  FUZZ_CHECK(again.is_ok());
  FUZZ_CHECK(*again == message);
}

void check_stays_failed(net::FrameDecoder& decoder) {
  FUZZ_CHECK(decoder.failed());
  auto next = decoder.next();
  FUZZ_CHECK(next.has_value() && !next->is_ok());
  const std::uint8_t byte = 0;
  FUZZ_CHECK(!decoder.feed(util::ByteSpan(&byte, 1)).is_ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk_count = std::min<std::size_t>(data[0] & kChunkCountMask, size - 1);
  std::vector<std::size_t> chunks(data + 1, data + 1 + chunk_count);
  for (std::size_t& c : chunks) c += 1;
  const util::ByteSpan rest(data + 1 + chunk_count, size - 1 - chunk_count);
  const net::Magic magic = net::network_magic(primitives::Network::kRegtest);
  const util::Bytes stream =
      (data[0] & kWrapFlag) != 0 ? wrap_in_frames(magic, rest) : util::to_bytes(rest);
  if (chunks.empty()) chunks.push_back(stream.size() + 1);

  net::FrameDecoder decoder(magic);
  std::size_t fed = 0;
  for (std::size_t i = 0; fed < stream.size(); ++i) {
    const std::size_t n = std::min(chunks[i % chunks.size()], stream.size() - fed);
    if (!decoder.feed(util::ByteSpan(stream).subspan(fed, n)).is_ok()) {
      check_stays_failed(decoder);
      return 0;
    }
    fed += n;
    while (true) {
      const std::size_t start = fed - decoder.buffered();
      auto next = decoder.next();
      FUZZ_CHECK(decoder.buffered() <= fed);
      if (!next.has_value()) break;
      if (!next->is_ok()) {
        check_stays_failed(decoder);
        return 0;
      }
      const std::size_t end = fed - decoder.buffered();
      FUZZ_CHECK(end > start);
      check_message(magic, **next, util::ByteSpan(stream).subspan(start, end - start));
    }
  }
  return 0;
}
