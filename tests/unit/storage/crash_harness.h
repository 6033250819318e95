// Crash tests for code that writes to disk: run a writer in a child process, SIGKILL it at a
// random moment, and let the parent reopen what it left and check it. A SIGKILL stops the child
// between any two instructions, mid-write included, without running destructors or flushing
// anything, which is how a crashed node leaves its database (short of losing the OS page cache,
// which synced writes guard against and this cannot simulate).
//
//   test::ScopedTempDir dir;
//   test::run_crash_loop({.seed = 7, .rounds = 30},
//       [&] { /* open dir, write forever */ return 1; },
//       [&](int round) { /* reopen dir, EXPECT invariants, close it again */ });
//
// The child is a fork() of the test process, so it inherits memory but not threads: code in the
// child must not depend on threads the parent started. RocksDB's shared background pool, for one,
// exists in the child only as bookkeeping, so flushes and compactions a child schedules never
// run; keep what one child writes well below a memtable (64 MiB by default). The child leaves
// through _exit, never returning into GoogleTest or running the parent's atexit handlers.
#pragma once

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace qpow::test {

// A new directory under GoogleTest's temporary directory, removed with its contents when the
// object goes away.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    std::string pattern = ::testing::TempDir() + "qpow-storage-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      ADD_FAILURE() << "mkdtemp(" << pattern
                    << ") failed: " << std::error_code(errno, std::generic_category()).message();
      return;
    }
    path_ = pattern;
  }
  ~ScopedTempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the directory (not created).
  std::string sub(std::string_view name) const { return path_ + "/" + std::string(name); }

 private:
  std::string path_;
};

struct CrashLoopOptions {
  std::uint64_t seed = 1;  // seeds the kill delays, so a failing run can be replayed
  int rounds = 30;
  std::chrono::milliseconds delay_min{0};
  std::chrono::milliseconds delay_max{50};
};

struct CrashLoopStats {
  int killed = 0;  // children still running when SIGKILL came
  int exited = 0;  // children whose writer returned 0 before that
};

// The exit code of a child whose writer threw.
inline constexpr int kCrashChildExceptionExit = 125;

// Runs `rounds` rounds of: fork a child that calls writer() and _exits with its result; sleep a
// delay drawn uniformly from [delay_min, delay_max]; SIGKILL the child and reap it; call
// check(round) in the parent. writer normally loops until killed; returning nonzero means it hit
// an error, which is reported as a test failure. It must not use GoogleTest. check uses gtest
// assertions and must close whatever it opened before returning, since the next child opens it.
// The loop stops early after a fatal failure in check.
inline CrashLoopStats run_crash_loop(const CrashLoopOptions& options,
                                     const std::function<int()>& writer,
                                     const std::function<void(int round)>& check) {
  CrashLoopStats stats;
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::int64_t> delay_ms(options.delay_min.count(),
                                                       options.delay_max.count());
  for (int round = 0; round < options.rounds; ++round) {
    // Buffered output must not be written twice, once by each process.
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
      ADD_FAILURE() << "fork failed in round " << round << ": "
                    << std::error_code(errno, std::generic_category()).message();
      return stats;
    }
    if (pid == 0) {
      int code = kCrashChildExceptionExit;
      try {
        code = writer();
      } catch (...) {
        code = kCrashChildExceptionExit;
      }
      ::_exit(code);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(rng)));
    ::kill(pid, SIGKILL);  // a child that already exited is a zombie until reaped: still valid
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++stats.killed;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      ++stats.exited;
    } else if (WIFEXITED(status)) {
      ADD_FAILURE() << "round " << round << ": writer failed with exit code "
                    << WEXITSTATUS(status);
    } else {
      ADD_FAILURE() << "round " << round << ": child died of signal " << WTERMSIG(status);
    }
    check(round);
    if (::testing::Test::HasFatalFailure()) break;
  }
  return stats;
}

}  // namespace qpow::test
