#include "sim/scheduler.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/rng.h"

namespace qpow::sim {
namespace {

TEST(Scheduler, RunsInTimeThenInsertionOrder) {
  Scheduler s;
  std::string order;
  s.at(20, [&] { order += 'c'; });
  s.at(10, [&] { order += 'a'; });
  s.at(10, [&] { order += 'b'; });
  s.at(30, [&] { order += 'd'; });
  EXPECT_EQ(s.pending(), 4u);
  EXPECT_EQ(s.run_until(25), 3u);
  EXPECT_EQ(order, "abc");
  EXPECT_EQ(s.now_us(), 25u);
  EXPECT_EQ(s.next_time(), 30u);
  EXPECT_TRUE(s.step());
  EXPECT_EQ(order, "abcd");
  EXPECT_FALSE(s.step());
  EXPECT_EQ(s.executed(), 4u);
}

TEST(Scheduler, ActionsMayScheduleMoreAndThePastMeansNow) {
  Scheduler s;
  std::vector<std::uint64_t> times;
  s.at(100, [&] {
    times.push_back(s.now_us());
    s.after(5, [&] { times.push_back(s.now_us()); });
    s.at(1, [&] { times.push_back(s.now_us()); });  // in the past: runs at 100
  });
  s.run_until(1000);
  EXPECT_EQ(times, (std::vector<std::uint64_t>{100, 100, 105}));
  EXPECT_EQ(s.now_us(), 1000u);
}

TEST(Rng, SameSeedSameStreamAndForksAreIndependent) {
  Rng a(42), b(42), c(43);
  for (int i = 0; i < 100; ++i) {
    const std::uint64_t x = a.next();
    EXPECT_EQ(x, b.next());
    EXPECT_NE(x, c.next());
  }
  Rng parent(7);
  Rng f1 = parent.fork(1), f1_again = parent.fork(1), f2 = parent.fork(2);
  parent.next();  // drawing from the parent does not move a fork made from its seed
  EXPECT_EQ(parent.fork(1).next(), Rng(7).fork(1).next());
  EXPECT_EQ(f1.next(), f1_again.next());
  EXPECT_NE(Rng(7).fork(1).next(), f2.next());
}

TEST(Rng, DistributionsHaveTheirMeans) {
  Rng r(1);
  constexpr int kN = 200'000;
  double sum_u = 0, sum_e = 0, sum_n = 0, sum_n2 = 0;
  std::uint64_t below_hits[10] = {};
  for (int i = 0; i < kN; ++i) {
    const double u = r.unit();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum_u += u;
    sum_e += r.exponential(4.0);
    const double n = r.normal(3.0, 2.0);
    sum_n += n;
    sum_n2 += (n - 3.0) * (n - 3.0);
    const std::uint64_t k = r.below(10);
    ASSERT_LT(k, 10u);
    ++below_hits[k];
  }
  EXPECT_NEAR(sum_u / kN, 0.5, 0.005);
  EXPECT_NEAR(sum_e / kN, 0.25, 0.005);
  EXPECT_NEAR(sum_n / kN, 3.0, 0.02);
  EXPECT_NEAR(sum_n2 / kN, 4.0, 0.06);
  for (std::uint64_t hits : below_hits) EXPECT_NEAR(static_cast<double>(hits) / kN, 0.1, 0.005);
  EXPECT_EQ(r.below(0), 0u);
  EXPECT_EQ(r.below(1), 0u);
  EXPECT_TRUE(std::isinf(r.exponential(0)));
  // The log-normal's median is its parameter.
  std::vector<double> v;
  for (int i = 0; i < 20'001; ++i) v.push_back(r.lognormal(50.0, 0.5));
  std::nth_element(v.begin(), v.begin() + 10'000, v.end());
  EXPECT_NEAR(v[10'000], 50.0, 1.5);
}

TEST(Rng, ShuffleIsAPermutation) {
  Rng r(9);
  std::vector<int> v(100);
  for (int i = 0; i < 100; ++i) v[i] = i;
  r.shuffle(v);
  std::vector<int> sorted = v;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < 100; ++i) EXPECT_EQ(sorted[i], i);
  EXPECT_NE(v, sorted);
}

}  // namespace
}  // namespace qpow::sim
