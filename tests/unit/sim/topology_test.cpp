// Topologies: every kind over tiny and mid-sized networks is simple (no self-links, no duplicates
// in either direction) and connected; random-regular degrees are exact; scale-free grows hubs;
// small-world without rewiring is exactly the ring lattice; seeds replay; names round-trip; every
// error at its bound and one past it.
#include "sim/topology.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <limits>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace qpow::sim {
namespace {

using util::StatusCode;

constexpr TopologyKind kAllKinds[] = {TopologyKind::kRandomRegular, TopologyKind::kSmallWorld,
                                      TopologyKind::kScaleFree};

// Asserts what every generator promises: endpoints in range, no self-links, no duplicates.
void expect_simple(std::size_t nodes, const std::vector<Link>& links) {
  std::set<std::pair<std::size_t, std::size_t>> seen;
  for (const Link& link : links) {
    ASSERT_LT(link.from, nodes);
    ASSERT_LT(link.to, nodes);
    ASSERT_NE(link.from, link.to);
    const auto key = std::minmax(link.from, link.to);
    ASSERT_TRUE(seen.insert(key).second) << link.from << "-" << link.to << " appears twice";
  }
}

std::vector<Link> make_ok(const TopologySpec& spec, std::size_t nodes, std::uint64_t seed) {
  Rng rng(seed);
  auto links = make_topology(spec, nodes, rng);
  EXPECT_TRUE(links.is_ok()) << topology_name(spec.kind) << " nodes " << nodes << " degree "
                             << spec.degree << ": " << links.status().to_string();
  return links.is_ok() ? *links : std::vector<Link>{};
}

TEST(TopologyTest, NamesRoundTrip) {
  for (const TopologyKind kind : kAllKinds) {
    auto parsed = parse_topology(topology_name(kind));
    ASSERT_TRUE(parsed.is_ok());
    EXPECT_EQ(*parsed, kind);
  }
  EXPECT_EQ(topology_name(TopologyKind::kRandomRegular), "random-regular");
  EXPECT_EQ(topology_name(TopologyKind::kSmallWorld), "small-world");
  EXPECT_EQ(topology_name(TopologyKind::kScaleFree), "scale-free");
}

TEST(TopologyTest, UnknownNameIsAnErrorListingValidNames) {
  for (const char* name : {"", "mesh", "Random-Regular", "small-world "}) {
    auto parsed = parse_topology(name);
    ASSERT_FALSE(parsed.is_ok()) << name;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    const std::string message = parsed.status().message();
    EXPECT_NE(message.find(std::string("\"") + name + "\""), std::string::npos) << message;
    EXPECT_NE(message.find("scale-free"), std::string::npos) << message;
  }
}

TEST(TopologyTest, ZeroAndOneNodeGiveNoLinks) {
  for (const TopologyKind kind : kAllKinds) {
    for (const std::size_t nodes : {0u, 1u}) {
      for (const std::size_t degree : {0u, 1u, 8u}) {
        EXPECT_TRUE(make_ok({.kind = kind, .degree = degree}, nodes, 1).empty());
      }
    }
  }
}

TEST(TopologyTest, EveryKindIsSimpleAndConnected) {
  for (const TopologyKind kind : kAllKinds) {
    for (const std::size_t nodes : {2u, 3u, 4u, 5u, 7u, 10u, 33u, 500u}) {
      for (const std::size_t degree : {2u, 3u, 4u, 5u, 8u, 16u, 64u}) {
        for (const std::uint64_t seed : {1u, 2u, 3u}) {
          SCOPED_TRACE(testing::Message() << topology_name(kind) << " nodes " << nodes << " degree "
                                          << degree << " seed " << seed);
          const auto links = make_ok({.kind = kind, .degree = degree}, nodes, seed);
          expect_simple(nodes, links);
          EXPECT_TRUE(is_connected(nodes, links));
        }
      }
    }
  }
}

TEST(TopologyTest, RandomRegularDegreesAreExact) {
  // Degrees above (nodes - 1) / 2 (e.g. 9 of 11, 61 of 63) take the complement path.
  for (const std::size_t nodes : {2u, 3u, 4u, 5u, 6u, 7u, 10u, 11u, 63u, 66u, 500u, 501u}) {
    for (const std::size_t degree : {1u, 2u, 3u, 4u, 7u, 8u, 9u, 32u, 61u, 64u}) {
      if (degree == 1 && nodes > 3) continue;  // cannot be connected; see the error test
      SCOPED_TRACE(testing::Message() << "nodes " << nodes << " degree " << degree);
      const std::size_t capped = std::min(degree, nodes - 1);
      const auto links = make_ok({.kind = TopologyKind::kRandomRegular, .degree = degree}, nodes,
                                 nodes * 100 + degree);
      expect_simple(nodes, links);
      EXPECT_TRUE(is_connected(nodes, links));
      const auto d = degrees(nodes, links);
      const auto above = std::count(d.begin(), d.end(), capped + 1);
      const auto exact = std::count(d.begin(), d.end(), capped);
      // With nodes * degree odd, exactly one node carries the extra link.
      EXPECT_EQ(above, (nodes * capped) % 2 == 1 ? 1 : 0);
      EXPECT_EQ(static_cast<std::size_t>(exact + above), nodes);
    }
  }
}

TEST(TopologyTest, RandomRegularAtFullDegreeIsTheCompleteGraph) {
  for (const std::size_t nodes : {2u, 3u, 4u, 9u}) {
    const auto links = make_ok({.kind = TopologyKind::kRandomRegular, .degree = 64}, nodes, 7);
    EXPECT_EQ(links.size(), nodes * (nodes - 1) / 2);
    expect_simple(nodes, links);
  }
}

TEST(TopologyTest, RandomRegularDegreeTwoStaysConnectedAtScale) {
  // A random 2-regular graph is almost never a single cycle; the generator must join the cycles.
  const std::size_t nodes = 20'000;
  const auto links = make_ok({.kind = TopologyKind::kRandomRegular, .degree = 2}, nodes, 5);
  expect_simple(nodes, links);
  EXPECT_TRUE(is_connected(nodes, links));
  const auto d = degrees(nodes, links);
  EXPECT_TRUE(std::all_of(d.begin(), d.end(), [](std::size_t x) { return x == 2; }));
}

TEST(TopologyTest, SmallWorldWithoutRewiringIsTheRingLattice) {
  for (const std::size_t nodes : {2u, 3u, 5u, 10u, 500u}) {
    for (const std::size_t degree : {2u, 4u, 8u}) {
      SCOPED_TRACE(testing::Message() << "nodes " << nodes << " degree " << degree);
      const TopologySpec spec{
          .kind = TopologyKind::kSmallWorld, .degree = degree, .rewire_probability = 0.0};
      const auto links = make_ok(spec, nodes, 3);
      const std::size_t half = std::max<std::size_t>(1, std::min(degree, nodes - 1) / 2);
      std::set<std::pair<std::size_t, std::size_t>> expected;
      for (std::size_t i = 0; i < nodes; ++i) {
        for (std::size_t j = 1; j <= half; ++j) {
          expected.insert(std::minmax(i, (i + j) % nodes));
        }
      }
      std::set<std::pair<std::size_t, std::size_t>> actual;
      for (const Link& link : links) actual.insert(std::minmax(link.from, link.to));
      EXPECT_EQ(actual, expected);
      EXPECT_EQ(links.size(), expected.size());
    }
  }
}

TEST(TopologyTest, SmallWorldRewiringMovesAboutShareOfLinks) {
  const std::size_t nodes = 2'000;
  const TopologySpec spec{
      .kind = TopologyKind::kSmallWorld, .degree = 8, .rewire_probability = 0.2};
  const auto links = make_ok(spec, nodes, 11);
  ASSERT_EQ(links.size(), nodes * 4);
  std::size_t off_lattice = 0;
  for (const Link& link : links) {
    const std::size_t gap = (link.to + nodes - link.from) % nodes;
    if (gap == 0 || gap > 4) ++off_lattice;
  }
  // 8000 links, each rewired with probability 0.2; a rewired link lands back on the lattice with
  // probability about 8 / 2000, so about 1600 are off it.
  EXPECT_GT(off_lattice, 1400u);
  EXPECT_LT(off_lattice, 1800u);
  expect_simple(nodes, links);
}

TEST(TopologyTest, ScaleFreeGrowsHubs) {
  const std::size_t nodes = 500;
  const auto links = make_ok({.kind = TopologyKind::kScaleFree, .degree = 4}, nodes, 9);
  // Each node after the seed triangle brings two links.
  EXPECT_EQ(links.size(), 3 + (nodes - 3) * 2);
  const auto d = degrees(nodes, links);
  const double mean = 2.0 * static_cast<double>(links.size()) / static_cast<double>(nodes);
  const std::size_t hub = *std::max_element(d.begin(), d.end());
  // Barabasi-Albert's largest degree grows as sqrt(nodes): about 2 sqrt(500) = 45 here, while a
  // random graph of mean degree 4 rarely exceeds 12.
  EXPECT_GT(static_cast<double>(hub), 4.0 * mean);
  EXPECT_EQ(*std::min_element(d.begin(), d.end()), 2u);
}

TEST(TopologyTest, SameSeedSameLinksOtherSeedOtherLinks) {
  for (const TopologyKind kind : kAllKinds) {
    const TopologySpec spec{.kind = kind, .degree = 6};
    const auto a = make_ok(spec, 300, 42);
    const auto b = make_ok(spec, 300, 42);
    const auto c = make_ok(spec, 300, 43);
    EXPECT_EQ(a, b) << topology_name(kind);
    EXPECT_NE(a, c) << topology_name(kind);
  }
}

TEST(TopologyTest, LargestNetworkIsFast) {
  for (const TopologyKind kind : kAllKinds) {
    const auto start = std::chrono::steady_clock::now();
    const auto links = make_ok({.kind = kind, .degree = 8}, kTopologyNodesMax, 1);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(is_connected(kTopologyNodesMax, links));
    // Generous for a shared machine; an O(n^2) generator would take minutes.
    EXPECT_LT(std::chrono::duration<double>(elapsed).count(), 5.0) << topology_name(kind);
    if (kind == TopologyKind::kRandomRegular) {
      const auto d = degrees(kTopologyNodesMax, links);
      EXPECT_TRUE(std::all_of(d.begin(), d.end(), [](std::size_t x) { return x == 8; }));
    }
  }
}

TEST(TopologyTest, NodesAboveTheLimitAreAnError) {
  Rng rng(1);
  auto over = make_topology({.degree = 8}, kTopologyNodesMax + 1, rng);
  ASSERT_FALSE(over.is_ok());
  EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
  EXPECT_NE(over.status().message().find("topology.nodes"), std::string::npos);
  // The bound itself is covered by LargestNetworkIsFast.
}

TEST(TopologyTest, DegreeBounds) {
  for (const TopologyKind kind : kAllKinds) {
    Rng rng(1);
    auto at_max = make_topology({.kind = kind, .degree = kTopologyDegreeMax}, 200, rng);
    ASSERT_TRUE(at_max.is_ok()) << at_max.status().to_string();
    expect_simple(200, *at_max);
    auto over = make_topology({.kind = kind, .degree = kTopologyDegreeMax + 1}, 200, rng);
    ASSERT_FALSE(over.is_ok());
    EXPECT_EQ(over.status().code(), StatusCode::kOutOfRange);
    EXPECT_NE(over.status().message().find("topology.degree"), std::string::npos);

    auto zero = make_topology({.kind = kind, .degree = 0}, 2, rng);
    ASSERT_FALSE(zero.is_ok());
    EXPECT_EQ(zero.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(zero.status().message().find("topology.degree"), std::string::npos);
    EXPECT_TRUE(make_topology({.kind = kind, .degree = 0}, 1, rng).is_ok());
    auto one = make_topology({.kind = kind, .degree = 1}, 2, rng);
    ASSERT_TRUE(one.is_ok());
    EXPECT_EQ(one->size(), 1u);
  }
}

TEST(TopologyTest, RewireProbabilityBounds) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const double p : {0.0, 1.0}) {
    Rng rng(1);
    const TopologySpec spec{
        .kind = TopologyKind::kSmallWorld, .degree = 8, .rewire_probability = p};
    auto links = make_topology(spec, 200, rng);
    ASSERT_TRUE(links.is_ok()) << p << ": " << links.status().to_string();
    expect_simple(200, *links);
  }
  for (const double p : {std::nextafter(0.0, -1.0), std::nextafter(1.0, 2.0), -1.0, nan}) {
    Rng rng(1);
    const TopologySpec spec{
        .kind = TopologyKind::kSmallWorld, .degree = 8, .rewire_probability = p};
    auto links = make_topology(spec, 200, rng);
    ASSERT_FALSE(links.is_ok()) << p;
    EXPECT_EQ(links.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(links.status().message().find("topology.rewire_probability"), std::string::npos);
  }
}

TEST(TopologyTest, UnconnectableGraphIsAnError) {
  // Degree 1 on three nodes is the path (one node gets degree 2); on four it is a matching.
  Rng rng(1);
  auto path = make_topology({.kind = TopologyKind::kRandomRegular, .degree = 1}, 3, rng);
  ASSERT_TRUE(path.is_ok());
  EXPECT_EQ(path->size(), 2u);
  EXPECT_TRUE(is_connected(3, *path));
  for (const std::size_t nodes : {std::size_t{4}, std::size_t{5}, kTopologyNodesMax}) {
    auto matching = make_topology({.kind = TopologyKind::kRandomRegular, .degree = 1}, nodes, rng);
    ASSERT_FALSE(matching.is_ok()) << nodes;
    EXPECT_EQ(matching.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(matching.status().message().find("random-regular"), std::string::npos);
  }
}

TEST(TopologyTest, IsConnectedAndDegrees) {
  EXPECT_TRUE(is_connected(0, {}));
  EXPECT_TRUE(is_connected(1, {}));
  EXPECT_FALSE(is_connected(2, {}));
  EXPECT_TRUE(is_connected(3, {{0, 1}, {2, 1}}));
  EXPECT_FALSE(is_connected(4, {{0, 1}, {2, 3}}));
  EXPECT_EQ(degrees(4, {{0, 1}, {0, 2}, {3, 0}}), (std::vector<std::size_t>{3, 1, 1, 1}));
}

}  // namespace
}  // namespace qpow::sim
