#include "net/frame.h"

#include <algorithm>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "crypto/sha3.h"
#include "util/assert.h"
#include "util/serialize.h"

namespace qpow::net {
namespace {

constexpr std::size_t kMagicBytes = std::tuple_size_v<Magic>;
constexpr std::size_t kChecksumBytes = 4;
constexpr std::size_t kCommandOffset = kMagicBytes;
constexpr std::size_t kLengthOffset = kCommandOffset + kCommandBytes;
constexpr std::size_t kLengthBytes = 4;
constexpr std::size_t kChecksumOffset = kLengthOffset + kLengthBytes;
static_assert(kChecksumOffset + kChecksumBytes == kFrameHeaderBytes);

// Buffer capacity kept between frames. A connection that once received a maximal block would
// otherwise hold on to its 8 MiB for good; beyond this the buffer is shrunk once it is drained.
constexpr std::size_t kRetainedBufferBytes = 64 * 1024;

using Checksum = std::array<std::uint8_t, kChecksumBytes>;

Checksum payload_checksum(util::ByteSpan payload) {
  const crypto::Hash256 digest = crypto::Sha3_256::hash(payload);
  Checksum out;
  std::copy_n(digest.begin(), kChecksumBytes, out.begin());
  return out;
}

std::string hex_bytes(util::ByteSpan bytes) {
  std::string out = "0x";
  for (std::uint8_t b : bytes) out += fmt::format("{:02x}", b);
  return out;
}

// The command of a frame header: letters a-z, then only NUL padding, at least one letter.
util::Result<std::string_view> parse_command(util::ByteSpan field) {
  std::size_t letters = 0;
  while (letters < field.size() && field[letters] >= 'a' && field[letters] <= 'z') ++letters;
  if (letters == 0) {
    return util::Status::malformed(fmt::format(
        "frame: command byte 0 is 0x{:02x}, a command starts with a letter a-z", field[0]));
  }
  for (std::size_t i = letters; i < field.size(); ++i) {
    if (field[i] != 0) {
      return util::Status::malformed(fmt::format(
          "frame: command byte {} is 0x{:02x}, expected a letter a-z or NUL padding", i, field[i]));
    }
  }
  return std::string_view(reinterpret_cast<const char*>(field.data()), letters);
}

}  // namespace

Magic network_magic(primitives::Network network) {
  switch (network) {
    case primitives::Network::kMain:
      return {'q', 'p', 'w', 'm'};
    case primitives::Network::kTest:
      return {'q', 'p', 'w', 't'};
    case primitives::Network::kRegtest:
      return {'q', 'p', 'w', 'r'};
  }
  QPOW_UNREACHABLE();
}

std::uint16_t default_p2p_port(primitives::Network network) {
  switch (network) {
    case primitives::Network::kMain:
      return 8633;
    case primitives::Network::kTest:
      return 18633;
    case primitives::Network::kRegtest:
      return 28633;
  }
  QPOW_UNREACHABLE();
}

std::uint16_t default_rpc_port(primitives::Network network) {
  switch (network) {
    case primitives::Network::kMain:
      return 8632;
    case primitives::Network::kTest:
      return 18632;
    case primitives::Network::kRegtest:
      return 28632;
  }
  QPOW_UNREACHABLE();
}

util::Bytes encode_frame(const Magic& magic, const Message& message) {
  const std::string_view command = command_name(message);
  QPOW_ASSERT(!command.empty() && command.size() <= kCommandBytes);
  const util::Bytes payload = encode_payload(message);
  // Every message the codec produces fits: the largest is a block, which consensus bounds.
  QPOW_ASSERT_MSG(payload.size() <= kPayloadBytesMax, "payload above kPayloadBytesMax");
  util::Bytes frame(kFrameHeaderBytes + payload.size(), 0);
  std::copy(magic.begin(), magic.end(), frame.begin());
  std::copy(command.begin(), command.end(), frame.begin() + kCommandOffset);
  util::store_le32(frame.data() + kLengthOffset, static_cast<std::uint32_t>(payload.size()));
  const Checksum checksum = payload_checksum(payload);
  std::copy(checksum.begin(), checksum.end(), frame.begin() + kChecksumOffset);
  std::copy(payload.begin(), payload.end(), frame.begin() + kFrameHeaderBytes);
  return frame;
}

util::Status FrameDecoder::feed(util::ByteSpan data) {
  if (failed_) return util::Status::malformed("frame: the stream already failed to decode");
  if (data.size() > kRecvBufferBytesMax - buffered()) {
    failed_ = true;
    return util::Status::out_of_range(
        fmt::format("frame: {} buffered bytes and {} more exceed the limit {}", buffered(),
                    data.size(), kRecvBufferBytesMax));
  }
  // Drop what next() consumed once it is at least half the buffer: each byte is moved at most a
  // few times on average, and consumed bytes never outweigh pending ones after a feed.
  if (offset_ > 0 && offset_ >= buffer_.size() / 2) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(offset_));
    offset_ = 0;
    if (buffer_.capacity() > kRetainedBufferBytes &&
        buffer_.size() + data.size() <= kRetainedBufferBytes) {
      buffer_.shrink_to_fit();
    }
  }
  buffer_.insert(buffer_.end(), data.begin(), data.end());
  return util::Status::ok();
}

std::optional<util::Result<Message>> FrameDecoder::next() {
  if (failed_) return util::Status::malformed("frame: the stream already failed to decode");
  const util::ByteSpan pending = util::ByteSpan(buffer_).subspan(offset_);
  auto fail = [this](util::Status status) -> std::optional<util::Result<Message>> {
    failed_ = true;
    return util::Result<Message>(std::move(status));
  };
  // The magic is checked as soon as it has arrived: another network's stream fails at once.
  const std::size_t magic_seen = std::min(pending.size(), kMagicBytes);
  if (!std::equal(pending.begin(), pending.begin() + magic_seen, magic_.begin())) {
    return fail(util::Status::malformed(
        fmt::format("frame: bad magic {}", hex_bytes(pending.first(magic_seen)))));
  }
  if (pending.size() < kFrameHeaderBytes) return std::nullopt;
  auto command = parse_command(pending.subspan(kCommandOffset, kCommandBytes));
  if (!command.is_ok()) return fail(command.status());
  const std::uint32_t length = util::load_le32(pending.data() + kLengthOffset);
  if (length > kPayloadBytesMax) {
    return fail(util::Status::out_of_range(fmt::format(
        "frame: length {} above the limit {} for '{}'", length, kPayloadBytesMax, *command)));
  }
  if (pending.size() - kFrameHeaderBytes < length) return std::nullopt;
  const util::ByteSpan payload = pending.subspan(kFrameHeaderBytes, length);
  if (!std::ranges::equal(payload_checksum(payload),
                          pending.subspan(kChecksumOffset, kChecksumBytes))) {
    return fail(
        util::Status::malformed(fmt::format("frame: checksum mismatch for '{}'", *command)));
  }
  auto message = decode_payload(*command, payload);
  if (!message.is_ok()) {
    return fail(message.status().with_context(fmt::format("frame: '{}' payload", *command)));
  }
  offset_ += kFrameHeaderBytes + length;
  return message;
}

}  // namespace qpow::net
