// An executor that runs parallel_for's items on the calling thread and one more, claiming indices
// as a thread pool does: tests of code that hands work to a util::Executor use it to run that
// work concurrently without the runtime layer.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>

#include "util/executor.h"

namespace qpow::test {

class TwoThreadExecutor final : public util::Executor {
 public:
  void parallel_for(std::size_t count, const std::function<void(std::size_t)>& fn) override {
    std::atomic<std::size_t> next{0};
    const auto work = [&] {
      for (std::size_t i = next.fetch_add(1); i < count; i = next.fetch_add(1)) fn(i);
    };
    std::thread other(work);
    work();
    other.join();
  }
  std::size_t concurrency() const override { return 2; }
};

}  // namespace qpow::test
