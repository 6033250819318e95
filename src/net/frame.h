// Message framing on a TCP stream, and the per-network wire constants.
//
// A frame is a 24-byte header followed by the payload:
//   magic     4 bytes   network_magic(network): a stream from another network fails at once
//   command  12 bytes   ASCII [a-z], NUL-padded on the right, at least one letter
//   length    u32 LE    payload bytes, <= kPayloadBytesMax
//   checksum  4 bytes   the first 4 bytes of SHA3-256(payload)
//
// FrameDecoder turns a connection's received bytes into messages. It buffers at most
// kRecvBufferBytesMax bytes; a frame that breaks any rule above, or whose payload does not decode
// (message.h), is an error after which the stream cannot be resynchronised: the caller scores the
// peer and closes the connection.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "net/message.h"
#include "primitives/block.h"
#include "primitives/network.h"
#include "util/bytes.h"
#include "util/result.h"
#include "util/status.h"

namespace qpow::net {

inline constexpr std::size_t kFrameHeaderBytes = 24;
inline constexpr std::size_t kCommandBytes = 12;
// The largest payload: a block at the consensus limit plus room for its message framing.
inline constexpr std::size_t kPayloadBytesMax = primitives::kBlockBytesMax + 4096;
// What one connection may have buffered and not yet decoded: one whole frame at most.
inline constexpr std::size_t kRecvBufferBytesMax = kFrameHeaderBytes + kPayloadBytesMax;
// What one connection may have queued for sending before the peer is dropped as too slow.
inline constexpr std::size_t kSendQueueBytesMax = 4 * kRecvBufferBytesMax;

using Magic = std::array<std::uint8_t, 4>;

// "qpw" followed by a network byte: main 'm', test 't', regtest 'r'.
Magic network_magic(primitives::Network network);
// Default ports: main 8633 / 8632 (P2P / RPC), test 18633 / 18632, regtest 28633 / 28632.
std::uint16_t default_p2p_port(primitives::Network network);
std::uint16_t default_rpc_port(primitives::Network network);

// The whole frame for `message`.
util::Bytes encode_frame(const Magic& magic, const Message& message);

class FrameDecoder {
 public:
  explicit FrameDecoder(const Magic& magic) : magic_(magic) {}

  // Appends received bytes. An error if the buffer would exceed kRecvBufferBytesMax (the peer sent
  // more than one maximal frame without our reading it, which next() never lets happen when it is
  // called after every feed), or if the decoder already failed.
  util::Status feed(util::ByteSpan data);
  // The next complete message: nullopt when more bytes are needed; an error for a malformed
  // frame or payload ("frame: bad magic 0x01020304", "frame: checksum mismatch for 'block'",
  // "frame: length 9000000 above the limit ..."). After an error every later call fails.
  std::optional<util::Result<Message>> next();
  std::size_t buffered() const { return buffer_.size() - offset_; }
  bool failed() const { return failed_; }

 private:
  Magic magic_;
  util::Bytes buffer_;
  std::size_t offset_ = 0;  // bytes of buffer_ already consumed
  bool failed_ = false;
};

}  // namespace qpow::net
