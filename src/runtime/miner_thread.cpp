#include "runtime/miner_thread.h"

#include <cmath>
#include <exception>
#include <string>
#include <utility>

namespace qpow::runtime {

util::Result<std::unique_ptr<MinerThread>> MinerThread::create(std::string_view strategy,
                                                               std::size_t threads,
                                                               FoundFn on_found) {
  auto miner = std::make_unique<MinerThread>(Private{});
  QPOW_ASSIGN_OR_RETURN(miner->search_, mining::make_search(strategy));
  QPOW_ASSIGN_OR_RETURN(miner->pool_, ThreadPool::create(threads));
  miner->on_found_ = std::move(on_found);
  try {
    miner->thread_ = std::thread([m = miner.get()] { m->loop(); });
  } catch (const std::exception& e) {
    return util::Status::error(util::StatusCode::kInternal,
                               std::string("miner: cannot start the mining thread: ") + e.what());
  }
  return miner;
}

MinerThread::~MinerThread() {
  stop();
}

void MinerThread::submit(std::optional<mining::BlockTemplate> work) {
  {
    const std::lock_guard lock(mutex_);
    if (stopping_) return;
    active_ = work.has_value();
    next_ = std::move(work);
    stop_signal_.request_stop();
  }
  cv_.notify_one();
}

void MinerThread::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    active_ = false;
    next_.reset();
    stop_signal_.request_stop();
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void MinerThread::loop() {
  for (;;) {
    std::optional<mining::BlockTemplate> work;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [this] { return stopping_ || next_.has_value(); });
      if (stopping_) return;
      work = std::move(next_);
      next_.reset();
      stop_signal_.reset();
    }
    mining::MineOutcome outcome =
        mining::mine_block(*work, *search_, pool_->concurrency(), *pool_, stop_signal_, counters_);
    if (outcome.end == mining::SearchEnd::kSolved && outcome.block && on_found_) {
      on_found_(std::move(*outcome.block));
    }
  }
}

double MinerThread::hashes_per_second() const {
  bool active = false;
  {
    const std::lock_guard lock(mutex_);
    active = active_;
  }
  const std::lock_guard lock(rate_mutex_);
  const auto now = std::chrono::steady_clock::now();
  const std::uint64_t hashes_now = hashes();
  if (!active) {
    rate_ = 0;
    has_rate_ = false;
    sample_time_.reset();
    return 0;
  }
  if (!sample_time_) {
    sample_time_ = now;
    sample_hashes_ = hashes_now;
    return rate_;
  }
  const auto elapsed_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now - *sample_time_).count();
  if (elapsed_ms < kHashRateSampleMinMs) return rate_;
  const double elapsed_s = static_cast<double>(elapsed_ms) / 1000.0;
  const double recent = static_cast<double>(hashes_now - sample_hashes_) / elapsed_s;
  // The weight of a sample grows with the time it covers, so the average forgets at the same
  // pace however often it is read.
  const double weight = 1.0 - std::exp(-elapsed_s / kHashRateWindowS);
  rate_ = has_rate_ ? rate_ + weight * (recent - rate_) : recent;
  has_rate_ = true;
  sample_time_ = now;
  sample_hashes_ = hashes_now;
  return rate_;
}

}  // namespace qpow::runtime
