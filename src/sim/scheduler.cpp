#include "sim/scheduler.h"

#include <algorithm>
#include <limits>

namespace qpow::sim {

void Scheduler::at(std::uint64_t time_us, Action action) {
  heap_.push_back({std::max(time_us, now_us_), seq_++, std::move(action)});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
}

bool Scheduler::step() {
  if (heap_.empty()) return false;
  std::pop_heap(heap_.begin(), heap_.end(), Later{});
  Entry entry = std::move(heap_.back());
  heap_.pop_back();
  now_us_ = entry.time_us;
  ++executed_;
  entry.action();
  return true;
}

std::uint64_t Scheduler::run_until(std::uint64_t until_us) {
  std::uint64_t ran = 0;
  while (!heap_.empty() && heap_.front().time_us <= until_us) {
    step();
    ++ran;
  }
  now_us_ = std::max(now_us_, until_us);
  return ran;
}

std::uint64_t Scheduler::next_time() const {
  return heap_.empty() ? std::numeric_limits<std::uint64_t>::max() : heap_.front().time_us;
}

}  // namespace qpow::sim
