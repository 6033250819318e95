// Executor: how a layer below the runtime runs independent CPU-heavy work items in parallel
// without creating threads itself (DESIGN §2). The runtime provides a thread pool; tests and
// the simulator use InlineExecutor, which runs everything in order on the calling thread.
#pragma once

#include <cstddef>
#include <functional>

namespace qpow::util {

class Executor {
 public:
  virtual ~Executor() = default;

  // Calls fn(i) once for every i in [0, count), possibly concurrently, and returns when all
  // calls have returned. fn must be safe to call from several threads at once.
  virtual void parallel_for(std::size_t count, const std::function<void(std::size_t)>& fn) = 0;
  // How many calls may run at once (1 for an inline executor).
  virtual std::size_t concurrency() const = 0;
};

class InlineExecutor final : public Executor {
 public:
  void parallel_for(std::size_t count, const std::function<void(std::size_t)>& fn) override {
    for (std::size_t i = 0; i < count; ++i) fn(i);
  }
  std::size_t concurrency() const override { return 1; }
};

}  // namespace qpow::util
