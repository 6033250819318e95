// The simulator's discrete-event scheduler: virtual time in microseconds and a queue of actions
// run in (time, insertion order). Nothing here reads a clock: time moves only when the next event
// is taken, so a run is as fast as its events and replays exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace qpow::sim {

class Scheduler {
 public:
  using Action = std::function<void()>;

  std::uint64_t now_us() const { return now_us_; }
  // Runs `action` at time_us (an earlier time means now: the past cannot be changed).
  void at(std::uint64_t time_us, Action action);
  void after(std::uint64_t delay_us, Action action) { at(now_us_ + delay_us, std::move(action)); }

  // Runs every event due at or before until_us, in order (events an action adds are run too if
  // they are due), then sets the clock to until_us. Returns the number of events run.
  std::uint64_t run_until(std::uint64_t until_us);
  // Runs the next event, if any; false when the queue is empty.
  bool step();

  std::size_t pending() const { return heap_.size(); }
  std::uint64_t executed() const { return executed_; }
  // Time of the next event (UINT64_MAX when none).
  std::uint64_t next_time() const;

 private:
  struct Entry {
    std::uint64_t time_us = 0;
    std::uint64_t seq = 0;
    Action action;
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.time_us != b.time_us ? a.time_us > b.time_us : a.seq > b.seq;
    }
  };

  std::uint64_t now_us_ = 0;
  std::uint64_t seq_ = 0;
  std::uint64_t executed_ = 0;
  std::vector<Entry> heap_;
};

}  // namespace qpow::sim
