// The keystore on disk: every truncation and trailing garbage rejected with a message naming the
// field, every bit flip in the header and the sealed payload rejected, header fields checked with
// clear messages, mode 0600, and a failed write (read-only directory, file-size limit) leaving the
// previous file intact with no temporary file behind.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/wallet/temp_dir.h"
#include "util/bytes.h"
#include "wallet/atomic_file.h"
#include "wallet/keystore.h"
#include "wallet/keystore_format.h"

namespace qpow::wallet {
namespace {

using crypto::SchemeId;
using util::Result;

constexpr KdfParams kFastKdf{.opslimit = 1, .memlimit_kib = 8};
constexpr std::string_view kPass = "pass";
constexpr std::size_t kOpsOffset = 11;
constexpr std::size_t kMemOffset = 15;
constexpr std::size_t kSealedLengthOffset = 59;

// A keystore file with `keys` ML-DSA-44 accounts (each with a next key); returns its bytes.
util::Bytes make_keystore(const std::string& path, int keys) {
  Result<Keystore> ks = Keystore::create(path, kPass, {.kdf = kFastKdf});
  QPOW_ASSERT(ks.is_ok());
  for (int i = 0; i < keys; ++i) QPOW_ASSERT(ks->add_key(SchemeId::kMlDsa44, "").is_ok());
  QPOW_ASSERT(ks->save().is_ok());
  return *read_file(path, kKeystoreFileMaxBytes);
}

void write_bytes(const std::string& path, util::ByteSpan bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  ASSERT_TRUE(out.good());
}

// What opening a file with these contents gives. Most cases decrypt the bytes in memory (the
// same code open() runs after reading the file), so thousands of variants need no disk writes.
util::Status open_status(const std::string& path, util::ByteSpan bytes) {
  return Keystore::decrypt(path, bytes, kPass).status();
}

util::Status open_file_status(const std::string& path, util::ByteSpan bytes) {
  write_bytes(path, bytes);
  return Keystore::open(path, kPass).status();
}

void expect_rejected(const std::string& path, util::ByteSpan bytes, std::string_view fragment) {
  const util::Status s = open_status(path, bytes);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.message().find(fragment), std::string::npos) << s.message();
}

std::size_t temp_files_in(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().find(".tmp-") != std::string::npos) ++n;
  }
  return n;
}

TEST(KeystoreFile, HeaderLayoutIsTheDocumentedOne) {
  test::TempDir dir;
  const util::Bytes file = make_keystore(dir.file("k"), 0);
  ASSERT_EQ(file.size(), kKeystoreHeaderBytes + 4 + kAeadTagBytes);
  EXPECT_EQ(std::string(file.begin(), file.begin() + 8), "QPOWKEYS");
  EXPECT_EQ(util::load_le16(&file[8]), kKeystoreVersion);
  EXPECT_EQ(file[10], kKdfArgon2id13);
  EXPECT_EQ(util::load_le32(&file[kOpsOffset]), kFastKdf.opslimit);
  EXPECT_EQ(util::load_le32(&file[kMemOffset]), kFastKdf.memlimit_kib);
  EXPECT_EQ(util::load_le32(&file[kSealedLengthOffset]), 4 + kAeadTagBytes);
}

TEST(KeystoreFile, EveryTruncationIsRejectedWithTheFieldNamed) {
  test::TempDir dir;
  const util::Bytes file = make_keystore(dir.file("k"), 1);
  const std::string path = dir.file("truncated");
  for (std::size_t len = 0; len < file.size(); ++len) {
    const util::Status s = open_status(path, util::ByteSpan(file).first(len));
    ASSERT_FALSE(s.is_ok()) << "length " << len;
    EXPECT_NE(s.message().find("need"), std::string::npos) << len << ": " << s.message();
    EXPECT_EQ(s.code(), util::StatusCode::kMalformed) << len;
  }
  expect_rejected(path, util::ByteSpan(file).first(40),
                  "keystore.nonce: need 24 bytes at offset 35");
  expect_rejected(path, util::ByteSpan(file).first(100), "keystore.sealed_payload: need");
  // The same through a real file: the message names the file too.
  const util::Status s = open_file_status(path, util::ByteSpan(file).first(100));
  EXPECT_EQ(s.message().rfind(path + ": keystore.sealed_payload: need", 0), 0u) << s.message();
  EXPECT_FALSE(open_file_status(path, {}).is_ok());
}

TEST(KeystoreFile, TrailingBytesAreRejected) {
  test::TempDir dir;
  util::Bytes file = make_keystore(dir.file("k"), 1);
  file.push_back(0);
  expect_rejected(dir.file("long"), file, "1 trailing bytes");
  EXPECT_FALSE(open_file_status(dir.file("long"), file).is_ok());
}

// Argon2id really allocates what a flipped memlimit asks for; flips that would ask for more than
// this are skipped (they fail for the same reason as the rest: the header is associated data).
constexpr std::uint32_t kFlipMemLimitKibMax = 16 * 1024;

bool flip_is_cheap(util::ByteSpan file, std::size_t byte, int bit) {
  if (byte < kMemOffset || byte >= kMemOffset + 4) return true;
  util::Bytes copy(file.begin(), file.end());
  copy[byte] ^= static_cast<std::uint8_t>(1u << bit);
  const std::uint32_t mem = util::load_le32(&copy[kMemOffset]);
  return mem <= kFlipMemLimitKibMax || mem > kKdfMemLimitKibMax;
}

TEST(KeystoreFile, EveryBitFlipOfASmallKeystoreIsRejected) {
  test::TempDir dir;
  const util::Bytes file = make_keystore(dir.file("k"), 0);
  const std::string path = dir.file("flipped");
  int tried = 0;
  for (std::size_t byte = 0; byte < file.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      if (!flip_is_cheap(file, byte, bit)) continue;
      util::Bytes flipped = file;
      flipped[byte] ^= static_cast<std::uint8_t>(1u << bit);
      ASSERT_FALSE(open_status(path, flipped).is_ok()) << "byte " << byte << " bit " << bit;
      ++tried;
    }
  }
  EXPECT_GT(tried, static_cast<int>(file.size() * 8 - 10));
}

TEST(KeystoreFile, BitFlipsThroughoutALargeCiphertextAreRejected) {
  test::TempDir dir;
  const util::Bytes file = make_keystore(dir.file("k"), 2);
  const std::string path = dir.file("flipped");
  for (std::size_t byte = kKeystoreHeaderBytes; byte < file.size(); ++byte) {
    util::Bytes flipped = file;
    flipped[byte] ^= static_cast<std::uint8_t>(1u << (byte % 8));
    const util::Status s = open_status(path, flipped);
    ASSERT_FALSE(s.is_ok()) << "byte " << byte;
    ASSERT_NE(s.message().find("wrong passphrase or corrupted keystore"), std::string::npos)
        << s.message();
  }
}

TEST(KeystoreFile, HeaderFieldsAreCheckedWithClearMessages) {
  test::TempDir dir;
  const util::Bytes file = make_keystore(dir.file("k"), 0);
  const std::string path = dir.file("edited");
  const auto edited = [&](std::size_t offset, std::uint32_t value, int width) {
    util::Bytes copy = file;
    for (int i = 0; i < width; ++i) copy[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
    return copy;
  };
  expect_rejected(path, edited(0, 'X', 1), "not a qpow keystore");
  expect_rejected(path, edited(8, 2, 2), "format version 2 at offset 8 is not supported");
  expect_rejected(path, edited(10, 2, 1), "keystore.kdf: unknown key derivation 2 at offset 10");
  expect_rejected(path, edited(kOpsOffset, 0, 4), "kdf opslimit 0 is outside 1..64");
  expect_rejected(path, edited(kOpsOffset, kKdfOpsLimitMax + 1, 4), "opslimit 65 is outside");
  expect_rejected(path, edited(kMemOffset, kKdfMemLimitKibMin - 1, 4), "memlimit 7 KiB");
  expect_rejected(path, edited(kMemOffset, kKdfMemLimitKibMax + 1, 4), "memlimit 4194305 KiB");
  expect_rejected(path, edited(kSealedLengthOffset, 4 + kAeadTagBytes - 1, 4),
                  "keystore.sealed_length: 19 at offset 59 is outside 20..");
  expect_rejected(path, edited(kSealedLengthOffset, kPayloadMaxBytes + kAeadTagBytes + 1, 4),
                  "is outside 20..8388624");
  // A smaller opslimit is in range but changes the derived key and the associated data.
  util::Bytes weaker = file;
  weaker[kOpsOffset] = 2;
  expect_rejected(path, weaker, "wrong passphrase or corrupted keystore");
}

TEST(KeystoreFile, OversizedFileIsRejectedBeforeReading) {
  test::TempDir dir;
  const std::string path = dir.file("huge");
  {
    std::ofstream out(path, std::ios::binary);
    out.seekp(static_cast<std::streamoff>(kKeystoreFileMaxBytes));
    out.put('\0');
  }
  const util::Status s = Keystore::open(path, kPass).status();
  EXPECT_EQ(s.code(), util::StatusCode::kOutOfRange);
  EXPECT_NE(s.message().find("more than"), std::string::npos) << s.message();
}

TEST(KeystoreFile, FileModeIs0600) {
  test::TempDir dir;
  const std::string path = dir.file("k");
  const mode_t old_umask = ::umask(0);  // the mode must not depend on a permissive umask
  make_keystore(path, 1);
  ::umask(old_umask);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(temp_files_in(dir.path()), 0u);
}

// Saves a changed keystore while `break_write` is in force; the save must fail and leave the old
// file byte for byte, openable, with no temporary file left over.
void expect_failed_save_keeps_old_file(const test::TempDir& dir, void (*break_write)(),
                                       void (*repair)()) {
  const std::string path = dir.file("k");
  const util::Bytes before = make_keystore(path, 1);
  Result<Keystore> ks = Keystore::open(path, kPass);
  ASSERT_TRUE(ks.is_ok());
  ASSERT_TRUE(ks->add_key(SchemeId::kMlDsa44, "more").is_ok());
  break_write();
  const util::Status saved = ks->save();
  repair();
  ASSERT_FALSE(saved.is_ok());
  EXPECT_EQ(*read_file(path, kKeystoreFileMaxBytes), before);
  EXPECT_EQ(Keystore::open(path, kPass)->keys().size(), 1u);
  EXPECT_EQ(temp_files_in(dir.path()), 0u);
  ASSERT_TRUE(ks->save().is_ok()) << "the same keystore saves once the cause is gone";
  EXPECT_EQ(Keystore::open(path, kPass)->keys().size(), 2u);
}

std::string g_read_only_dir;

TEST(KeystoreFile, FailedWriteInAReadOnlyDirectoryKeepsTheOldFile) {
  test::TempDir dir;
  g_read_only_dir = dir.path().string();
  // root ignores directory permissions, so the check only means something for other users.
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: a read-only directory stays writable";
  expect_failed_save_keeps_old_file(
      dir, [] { ::chmod(g_read_only_dir.c_str(), 0500); },
      [] { ::chmod(g_read_only_dir.c_str(), 0700); });
}

rlimit g_saved_fsize{};

TEST(KeystoreFile, FailedWriteOfTheTemporaryFileKeepsTheOldFile) {
  // A file-size limit smaller than the new file makes write(2) fail part way (EFBIG) for every
  // user, root included; SIGXFSZ would otherwise end the process.
  test::TempDir dir;
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  expect_failed_save_keeps_old_file(
      dir,
      [] {
        ::getrlimit(RLIMIT_FSIZE, &g_saved_fsize);
        rlimit small = g_saved_fsize;
        small.rlim_cur = 4096;
        ::setrlimit(RLIMIT_FSIZE, &small);
      },
      [] { ::setrlimit(RLIMIT_FSIZE, &g_saved_fsize); });
  std::signal(SIGXFSZ, old_handler);
}

}  // namespace
}  // namespace qpow::wallet
