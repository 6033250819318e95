// Framing: the 24-byte header layout, per-network magic and ports, and the incremental decoder
// fed whole streams, one byte at a time and split at every position; bad magic, command, length
// and checksum fail at once, a failed decoder stays failed, and the receive buffer is bounded.
#include "net/frame.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/sha3.h"
#include "sample_messages.h"
#include "util/hex.h"

namespace qpow::net {
namespace {

using primitives::Network;
using test::sample_messages;

const Magic kRegtest = network_magic(Network::kRegtest);
constexpr std::size_t kLengthOffset = 16;  // magic 4, command 12

// Feeds `stream` in pieces of the given sizes (cycled), pulling every message after each feed.
std::vector<Message> decode_chunked(util::ByteSpan stream, const std::vector<std::size_t>& sizes) {
  FrameDecoder decoder(kRegtest);
  std::vector<Message> out;
  std::size_t at = 0;
  for (std::size_t i = 0; at < stream.size(); ++i) {
    const std::size_t n = std::min(sizes[i % sizes.size()], stream.size() - at);
    EXPECT_TRUE(decoder.feed(stream.subspan(at, n)).is_ok());
    at += n;
    while (auto next = decoder.next()) {
      EXPECT_TRUE(next->is_ok()) << next->status().to_string();
      if (!next->is_ok()) return out;
      out.push_back(std::move(*next).value());
    }
  }
  EXPECT_EQ(decoder.buffered(), 0u);
  return out;
}

util::Bytes stream_of(const std::vector<Message>& messages) {
  util::Bytes stream;
  for (const Message& m : messages) {
    const util::Bytes frame = encode_frame(kRegtest, m);
    stream.insert(stream.end(), frame.begin(), frame.end());
  }
  return stream;
}

// A frame header written by hand, for frames encode_frame would never produce.
util::Bytes raw_frame(std::string_view command, util::ByteSpan payload) {
  util::Bytes frame(kRegtest.begin(), kRegtest.end());
  util::Bytes name(kCommandBytes, 0);
  std::copy(command.begin(), command.end(), name.begin());
  frame.insert(frame.end(), name.begin(), name.end());
  util::Writer w;
  w.u32(static_cast<std::uint32_t>(payload.size()));
  frame.insert(frame.end(), w.data().begin(), w.data().end());
  const crypto::Hash256 digest = crypto::Sha3_256::hash(payload);
  frame.insert(frame.end(), digest.begin(), digest.begin() + 4);
  frame.insert(frame.end(), payload.begin(), payload.end());
  return frame;
}

// Feeds the bytes and expects the decoder to fail with an error containing `fragment`.
void expect_stream_error(util::ByteSpan stream, std::string_view fragment) {
  FrameDecoder decoder(kRegtest);
  ASSERT_TRUE(decoder.feed(stream).is_ok());
  auto next = decoder.next();
  ASSERT_TRUE(next.has_value()) << "no error for a stream that should fail with " << fragment;
  ASSERT_FALSE(next->is_ok());
  EXPECT_NE(next->status().message().find(fragment), std::string::npos) << next->status().message();
  EXPECT_TRUE(decoder.failed());
}

TEST(Frame, MagicAndPortsPerNetwork) {
  EXPECT_EQ(network_magic(Network::kMain), (Magic{'q', 'p', 'w', 'm'}));
  EXPECT_EQ(network_magic(Network::kTest), (Magic{'q', 'p', 'w', 't'}));
  EXPECT_EQ(network_magic(Network::kRegtest), (Magic{'q', 'p', 'w', 'r'}));
  EXPECT_EQ(default_p2p_port(Network::kMain), 8633);
  EXPECT_EQ(default_rpc_port(Network::kMain), 8632);
  EXPECT_EQ(default_p2p_port(Network::kTest), 18633);
  EXPECT_EQ(default_rpc_port(Network::kTest), 18632);
  EXPECT_EQ(default_p2p_port(Network::kRegtest), 28633);
  EXPECT_EQ(default_rpc_port(Network::kRegtest), 28632);
}

TEST(Frame, HeaderLayout) {
  const util::Bytes frame = encode_frame(network_magic(Network::kMain), PingMsg{.nonce = 1});
  ASSERT_EQ(frame.size(), kFrameHeaderBytes + 8);
  EXPECT_EQ(util::to_hex(util::ByteSpan(frame).first(kFrameHeaderBytes - 4)),
            "7170776d"                  // "qpwm"
            "70696e670000000000000000"  // "ping" and eight NULs
            "08000000");                // length 8
  const util::Bytes payload(frame.begin() + kFrameHeaderBytes, frame.end());
  EXPECT_EQ(util::to_hex(payload), "0100000000000000");
  const crypto::Hash256 digest = crypto::Sha3_256::hash(payload);
  EXPECT_TRUE(std::equal(frame.begin() + 20, frame.begin() + 24, digest.begin()));
}

TEST(Frame, ChecksumOfAnEmptyPayloadIsTheSha3OfNothing) {
  // SHA3-256("") = a7ffc6f8bf1ed766... (FIPS 202 example values).
  const util::Bytes frame = encode_frame(kRegtest, VerackMsg{});
  ASSERT_EQ(frame.size(), kFrameHeaderBytes);
  EXPECT_EQ(util::to_hex(util::ByteSpan(frame).subspan(20)), "a7ffc6f8");
}

TEST(FrameDecoder, DecodesEveryCommandInOneFeed) {
  const std::vector<Message> samples = sample_messages();
  const util::Bytes stream = stream_of(samples);
  EXPECT_EQ(decode_chunked(stream, {stream.size()}), samples);
}

TEST(FrameDecoder, DecodesOneByteAtATime) {
  const std::vector<Message> samples = sample_messages();
  const util::Bytes stream = stream_of(samples);
  std::vector<std::size_t> frame_ends;  // the index of each frame's last byte
  for (const Message& m : samples) {
    const std::size_t start = frame_ends.empty() ? 0 : frame_ends.back() + 1;
    frame_ends.push_back(start + encode_frame(kRegtest, m).size() - 1);
  }
  FrameDecoder decoder(kRegtest);
  std::vector<Message> out;
  for (std::size_t i = 0; i < stream.size(); ++i) {
    ASSERT_TRUE(decoder.feed(util::ByteSpan(stream).subspan(i, 1)).is_ok());
    auto next = decoder.next();
    if (out.size() < frame_ends.size() && i == frame_ends[out.size()]) {
      ASSERT_TRUE(next.has_value()) << "frame complete at byte " << i;
      ASSERT_TRUE(next->is_ok()) << next->status().to_string();
      out.push_back(std::move(*next).value());
      EXPECT_FALSE(decoder.next().has_value());
    } else {
      ASSERT_FALSE(next.has_value()) << "a message before its last byte, at " << i;
    }
  }
  EXPECT_EQ(out, samples);
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(FrameDecoder, FramesSplitAtEveryPosition) {
  const std::vector<Message> two = {test::sample_version(), Message(PingMsg{.nonce = 9})};
  const util::Bytes stream = stream_of(two);
  for (std::size_t split = 1; split < stream.size(); ++split) {
    EXPECT_EQ(decode_chunked(stream, {split, stream.size()}), two) << split;
  }
}

TEST(FrameDecoder, ManyFramesInRandomChunks) {
  std::vector<Message> messages;
  for (std::uint64_t i = 0; i < 5000; ++i) {
    if (i % 3 == 0) {
      messages.emplace_back(PingMsg{.nonce = i});
    } else {
      messages.emplace_back(
          InvMsg{.items = {{.type = InvType::kTx,
                            .hash = test::filled_hash(static_cast<std::uint8_t>(i))}}});
    }
  }
  const util::Bytes stream = stream_of(messages);
  std::mt19937_64 rng(0x6672616d);
  std::vector<std::size_t> sizes;
  for (int i = 0; i < 97; ++i) sizes.push_back(1 + rng() % 300);
  EXPECT_EQ(decode_chunked(stream, sizes), messages);
}

TEST(FrameDecoder, LargeFramesBetweenSmallOnes) {
  // A block with 60 KiB of finality bytes pushes the buffer past what it keeps between frames.
  BlockMsg big{.block = test::sample_net_block()};
  big.block.finality.assign(60 * 1024, 0x5a);
  std::vector<Message> messages;
  for (std::uint64_t i = 0; i < 6; ++i) {
    messages.emplace_back(big);
    messages.emplace_back(PingMsg{.nonce = i});
    messages.emplace_back(PongMsg{.nonce = i});
  }
  const util::Bytes stream = stream_of(messages);
  EXPECT_EQ(decode_chunked(stream, {4096, 7, 70'000, 1, 24, 65'536}), messages);
}

TEST(FrameDecoder, BadMagicFailsOnItsFirstByte) {
  FrameDecoder decoder(kRegtest);
  const Magic main = network_magic(Network::kMain);
  ASSERT_TRUE(decoder.feed(util::ByteSpan(main).first(3)).is_ok());
  EXPECT_FALSE(decoder.next().has_value());  // "qpw" is a prefix of both
  ASSERT_TRUE(decoder.feed(util::ByteSpan(main).subspan(3)).is_ok());
  auto next = decoder.next();
  ASSERT_TRUE(next.has_value());
  ASSERT_FALSE(next->is_ok());
  EXPECT_EQ(next->status().message(), "frame: bad magic 0x7170776d");

  util::Bytes other = encode_frame(kRegtest, VerackMsg{});
  other[0] = 0x01;
  FrameDecoder early(kRegtest);
  ASSERT_TRUE(early.feed(util::ByteSpan(other).first(1)).is_ok());
  auto first = early.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->status().message(), "frame: bad magic 0x01");
}

TEST(FrameDecoder, BadChecksumFails) {
  util::Bytes frame = encode_frame(kRegtest, PingMsg{.nonce = 5});
  frame[21] ^= 0x01;
  expect_stream_error(frame, "frame: checksum mismatch for 'ping'");
  frame[21] ^= 0x01;
  frame.back() ^= 0x80;
  expect_stream_error(frame, "frame: checksum mismatch for 'ping'");
}

TEST(FrameDecoder, CommandMustBeLettersThenNulPadding) {
  const util::Bytes nonce(8, 0);
  expect_stream_error(raw_frame("Ping", nonce), "frame: command byte 0 is 0x50");
  expect_stream_error(raw_frame("pinG", nonce), "frame: command byte 3 is 0x47");
  expect_stream_error(raw_frame("ping1", nonce), "frame: command byte 4 is 0x31");
  expect_stream_error(raw_frame("ping pong", nonce), "frame: command byte 4 is 0x20");
  expect_stream_error(raw_frame("", nonce), "frame: command byte 0 is 0x00");
  expect_stream_error(raw_frame(std::string_view("ping\0x", 6), nonce),
                      "frame: command byte 5 is 0x78");
  expect_stream_error(raw_frame(std::string_view("\0ping", 5), nonce), "command byte 0");
  // Twelve letters fill the field without padding; this one is simply unknown.
  expect_stream_error(raw_frame("getheadersxy", {}), "unknown command 'getheadersxy'");
  // A valid name with a payload that does not decode: the error names the command and field.
  expect_stream_error(raw_frame("ping", util::Bytes(7, 0)), "frame: 'ping' payload: ping.nonce");
}

TEST(FrameDecoder, LengthAtTheLimitWaitsAndOnePastFails) {
  util::Bytes header = raw_frame("block", {});
  util::store_le32(header.data() + kLengthOffset, static_cast<std::uint32_t>(kPayloadBytesMax));
  FrameDecoder at_limit(kRegtest);
  ASSERT_TRUE(at_limit.feed(header).is_ok());
  EXPECT_FALSE(at_limit.next().has_value());
  EXPECT_FALSE(at_limit.failed());

  util::store_le32(header.data() + kLengthOffset, static_cast<std::uint32_t>(kPayloadBytesMax + 1));
  expect_stream_error(header, "frame: length " + std::to_string(kPayloadBytesMax + 1) +
                                  " above the limit " + std::to_string(kPayloadBytesMax));
  util::store_le32(header.data() + kLengthOffset, 0xffffffff);
  expect_stream_error(header, "frame: length 4294967295 above the limit");
}

TEST(FrameDecoder, AMaximalPayloadIsFramedAndThenJudgedByItsDecoder) {
  // Length and checksum are fine; the payload is a block past kBlockBytesMax.
  const util::Bytes frame = raw_frame("block", util::Bytes(kPayloadBytesMax, 0));
  expect_stream_error(frame, "frame: 'block' payload: block:");
}

TEST(FrameDecoder, BufferIsBoundedAtOneMaximalFrame) {
  util::Bytes header = raw_frame("block", {});
  util::store_le32(header.data() + kLengthOffset, static_cast<std::uint32_t>(kPayloadBytesMax));
  FrameDecoder decoder(kRegtest);
  ASSERT_TRUE(decoder.feed(header).is_ok());
  ASSERT_TRUE(decoder.feed(util::Bytes(kPayloadBytesMax - 1, 0)).is_ok());
  EXPECT_FALSE(decoder.next().has_value());
  ASSERT_TRUE(decoder.feed(util::Bytes(1, 0)).is_ok());  // exactly kRecvBufferBytesMax
  EXPECT_EQ(decoder.buffered(), kRecvBufferBytesMax);
  const util::Status over = decoder.feed(util::Bytes(1, 0));
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.code(), util::StatusCode::kOutOfRange);
  EXPECT_TRUE(decoder.failed());
}

TEST(FrameDecoder, AFailedDecoderStaysFailed) {
  util::Bytes stream = encode_frame(kRegtest, PingMsg{.nonce = 1});
  const util::Bytes good = encode_frame(kRegtest, PingMsg{.nonce = 2});
  stream[0] = 'x';
  stream.insert(stream.end(), good.begin(), good.end());
  FrameDecoder decoder(kRegtest);
  ASSERT_TRUE(decoder.feed(stream).is_ok());
  auto first = decoder.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->is_ok());
  EXPECT_TRUE(decoder.failed());
  for (int i = 0; i < 3; ++i) {
    auto again = decoder.next();
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(again->is_ok());
  }
  EXPECT_FALSE(decoder.feed(good).is_ok());
}

TEST(FrameDecoder, EmptyFeedAndEmptyBufferAskForMore) {
  FrameDecoder decoder(kRegtest);
  EXPECT_FALSE(decoder.next().has_value());
  ASSERT_TRUE(decoder.feed({}).is_ok());
  EXPECT_FALSE(decoder.next().has_value());
  EXPECT_EQ(decoder.buffered(), 0u);
}

}  // namespace
}  // namespace qpow::net
