// Core clock cycles of the calling thread, from the kernel's perf interface
// (PERF_COUNT_HW_CPU_CYCLES, user space only). Unlike time and TSC ticks, cycle counts do not move
// when the core's clock changes, which on shared virtual machines it does by 20-40% between runs;
// docs/benchmarks.md quotes cycles for that reason. Where perf counters are unavailable
// (kernel.perf_event_paranoid, containers without the syscall, non-Linux) the cycles_per_op
// counter is simply left out.
//
//   const CostMeter meter;
//   for (auto _ : state) { ... }
//   meter.report(state);   // ticks_per_op, cycles_per_op
#pragma once

#include <cstdint>
#include <optional>

#include <benchmark/benchmark.h>

#include "tsc.h"

#if defined(__linux__)
#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

class CycleCounter {
 public:
  CycleCounter() {
#if defined(__linux__)
    perf_event_attr attr{};
    attr.type = PERF_TYPE_HARDWARE;
    attr.size = sizeof attr;
    attr.config = PERF_COUNT_HW_CPU_CYCLES;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    fd_ = static_cast<int>(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
#endif
  }
  ~CycleCounter() {
#if defined(__linux__)
    if (fd_ >= 0) close(fd_);
#endif
  }
  CycleCounter(const CycleCounter&) = delete;
  CycleCounter& operator=(const CycleCounter&) = delete;

  std::optional<std::uint64_t> read() const {
#if defined(__linux__)
    std::uint64_t value = 0;
    if (fd_ >= 0 && ::read(fd_, &value, sizeof value) == sizeof value) return value;
#endif
    return std::nullopt;
  }

 private:
  int fd_ = -1;
};

// Measures the benchmark loop that follows its construction.
class CostMeter {
 public:
  CostMeter() : cycles0_(counter_.read()), ticks0_(read_tsc()) {}

  // Sets ticks_per_op and, where the cycle counter works, cycles_per_op; returns the ticks.
  std::uint64_t report(benchmark::State& state, double ops_per_iteration = 1.0) const {
    const std::uint64_t ticks = read_tsc() - ticks0_;
    const std::optional<std::uint64_t> cycles1 = counter_.read();
    const double ops = ops_per_iteration * static_cast<double>(state.iterations());
    if (ops == 0) return ticks;
    state.counters["ticks_per_op"] = static_cast<double>(ticks) / ops;
    if (cycles0_ && cycles1) {
      state.counters["cycles_per_op"] = static_cast<double>(*cycles1 - *cycles0_) / ops;
    }
    return ticks;
  }

 private:
  CycleCounter counter_;
  std::optional<std::uint64_t> cycles0_;
  std::uint64_t ticks0_;
};
