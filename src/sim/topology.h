// Simulated network topologies: who connects to whom.
//
// Every generator returns undirected links as (from, to) pairs where `from` opens the connection
// (an outbound link of `from`, inbound at `to`), no self-links, no duplicates, and a connected
// graph (generators retry with fresh draws, up to kTopologyAttemptsMax, until the graph is
// connected). All choices come from the Rng passed in, so a seed fixes the graph.
//
//   random-regular  every node has exactly `degree` links (pairing model with restarts; needs
//                   nodes * degree even, else one node gets degree + 1)
//   small-world     Watts-Strogatz (1998): a ring where each node links to its degree/2 nearest
//                   neighbours on each side, each link rewired to a uniform random node with
//                   probability rewire_probability
//   scale-free      Barabasi-Albert (1999): nodes arrive one by one and link to degree/2 existing
//                   nodes chosen with probability proportional to their degree
//
// `degree` is capped at nodes - 1. Node counts of 0 and 1 give no links.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.h"
#include "util/result.h"

namespace qpow::sim {

inline constexpr std::size_t kTopologyAttemptsMax = 100;
inline constexpr std::size_t kTopologyNodesMax = 100'000;
inline constexpr std::size_t kTopologyDegreeMax = 64;

enum class TopologyKind : std::uint8_t { kRandomRegular, kSmallWorld, kScaleFree };

// "random-regular", "small-world", "scale-free".
std::string_view topology_name(TopologyKind kind);
// The inverse; an error naming the unknown name and the valid ones.
util::Result<TopologyKind> parse_topology(std::string_view name);

struct TopologySpec {
  TopologyKind kind = TopologyKind::kRandomRegular;
  std::size_t degree = 8;
  double rewire_probability = 0.1;  // small-world only, in [0, 1]
};

struct Link {
  std::size_t from = 0;  // opens the connection
  std::size_t to = 0;
  bool operator==(const Link&) const = default;
};

// Errors: nodes above kTopologyNodesMax, degree 0 (with nodes > 1) or above kTopologyDegreeMax,
// rewire probability outside [0, 1], no connected graph after kTopologyAttemptsMax attempts.
util::Result<std::vector<Link>> make_topology(const TopologySpec& spec, std::size_t nodes,
                                              Rng& rng);

// Whether the links join all `nodes` into one component (BFS).
bool is_connected(std::size_t nodes, const std::vector<Link>& links);
// The degree of every node.
std::vector<std::size_t> degrees(std::size_t nodes, const std::vector<Link>& links);

}  // namespace qpow::sim
