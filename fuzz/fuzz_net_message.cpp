// Fuzz target: peer-to-peer message payloads. The first byte picks a command (or one no node
// knows), the rest is the payload. Whatever decodes is that command's message and re-encodes to
// exactly the same bytes (the encodings are canonical); nothing crashes or allocates past the
// payload's bounds.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "net/frame.h"
#include "net/message.h"
#include "util/bytes.h"

namespace {

constexpr std::array<std::string_view, 14> kCommands = {
    "version", "verack",   "ping",       "pong",    "getaddr", "addr", "inv",
    "getdata", "notfound", "getheaders", "headers", "block",   "tx",   "reject"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace qpow;
  if (size == 0) return 0;
  const std::string_view command = kCommands[data[0] % kCommands.size()];
  const util::ByteSpan payload(data + 1, size - 1);
  auto decoded = net::decode_payload(command, payload);
  if (!decoded.is_ok()) {
    FUZZ_CHECK(!decoded.status().message().empty());
    return 0;
  }
  FUZZ_CHECK(net::command_name(*decoded) == command);
  FUZZ_CHECK(util::bytes_equal(net::encode_payload(*decoded), payload));

  // The same message framed and decoded again is equal to itself.
  const net::Magic magic = net::network_magic(primitives::Network::kRegtest);
  net::FrameDecoder decoder(magic);
  FUZZ_CHECK(decoder.feed(net::encode_frame(magic, *decoded)).is_ok());
  auto framed = decoder.next();
  FUZZ_CHECK(framed.has_value() && framed->is_ok());
  FUZZ_CHECK(**framed == *decoded);
  FUZZ_CHECK(decoder.buffered() == 0);
  return 0;
}
