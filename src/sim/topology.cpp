#include "sim/topology.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "util/assert.h"

namespace qpow::sim {
namespace {

using util::Result;
using util::Status;

// Degree-preserving switches tried for one bad pair before the draw is given up for a fresh one.
constexpr std::size_t kSwitchTriesMax = 1'000;
// Passes of component-joining switches before a disconnected random-regular draw is given up.
constexpr std::size_t kJoinPassesMax = 32;
// Uniform draws looking for a new far end when rewiring one small-world link.
constexpr std::size_t kRewireDrawsMax = 1'000;
// Degree-proportional draws looking for one new scale-free target.
constexpr std::size_t kAttachDrawsMax = 100'000;

constexpr std::size_t kNoLink = static_cast<std::size_t>(-1);

// Node indices stay below kTopologyNodesMax < 2^32, so a pair packs into one word.
static_assert(kTopologyNodesMax < (std::uint64_t{1} << 32));
using NodeIndex = std::uint32_t;

std::uint64_t pair_key(const Link& link) {
  const auto lo = static_cast<std::uint64_t>(std::min(link.from, link.to));
  const auto hi = static_cast<std::uint64_t>(std::max(link.from, link.to));
  return (lo << 32) | hi;
}

// The undirected links of a graph being built, for constant-time duplicate checks: an
// open-addressing hash set with linear probing and backward-shift deletion (Knuth, TAOCP vol. 3,
// section 6.4, Algorithm R), kept at most half full. It is several times faster than
// std::unordered_set at millions of links, and never iterated, so no hash order reaches a result.
class LinkSet {
 public:
  explicit LinkSet(std::size_t expected) : size_max_(expected) {
    std::size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    slots_.assign(capacity, kEmpty);
    mask_ = capacity - 1;
  }
  bool contains(const Link& link) const { return slots_[find(pair_key(link))] != kEmpty; }
  // False when the link was already present.
  bool insert(const Link& link) {
    const std::uint64_t key = pair_key(link);
    const std::size_t slot = find(key);
    if (slots_[slot] == key) return false;
    QPOW_ASSERT(size_ < size_max_);
    slots_[slot] = key;
    ++size_;
    return true;
  }
  void erase(const Link& link) {
    std::size_t hole = find(pair_key(link));
    if (slots_[hole] == kEmpty) return;
    --size_;
    // Pull later keys of the probe run back into the hole unless that would put one before its
    // home slot, so that every key stays reachable from its home without crossing an empty slot.
    for (std::size_t next = (hole + 1) & mask_; slots_[next] != kEmpty; next = (next + 1) & mask_) {
      const std::size_t from_home = (next - home(slots_[next])) & mask_;
      if (from_home >= ((next - hole) & mask_)) {
        slots_[hole] = slots_[next];
        hole = next;
      }
    }
    slots_[hole] = kEmpty;
  }

 private:
  // pair_key never produces it: the low half would be a node index of 2^32 - 1.
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};

  std::size_t home(std::uint64_t key) const { return static_cast<std::size_t>(mix64(key)) & mask_; }
  // The slot holding `key`, or the empty slot where it would go.
  std::size_t find(std::uint64_t key) const {
    std::size_t slot = home(key);
    while (slots_[slot] != kEmpty && slots_[slot] != key) slot = (slot + 1) & mask_;
    return slot;
  }

  std::vector<std::uint64_t> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
  std::size_t size_max_;
};

// Compressed adjacency lists: the neighbours of v are neighbours[offsets[v] .. offsets[v + 1]).
// Node indices fit 32 bits; the narrower type halves the memory traffic of large graphs.
struct Adjacency {
  std::vector<std::size_t> offsets;
  std::vector<NodeIndex> neighbours;
};

Adjacency make_adjacency(std::size_t nodes, const std::vector<Link>& links) {
  Adjacency adjacency{std::vector<std::size_t>(nodes + 1, 0),
                      std::vector<NodeIndex>(2 * links.size())};
  for (const Link& link : links) {
    QPOW_ASSERT(link.from < nodes && link.to < nodes);
    ++adjacency.offsets[link.from + 1];
    ++adjacency.offsets[link.to + 1];
  }
  for (std::size_t v = 0; v < nodes; ++v) adjacency.offsets[v + 1] += adjacency.offsets[v];
  std::vector<std::size_t> cursor(adjacency.offsets.begin(), adjacency.offsets.end() - 1);
  for (const Link& link : links) {
    adjacency.neighbours[cursor[link.from]++] = static_cast<NodeIndex>(link.to);
    adjacency.neighbours[cursor[link.to]++] = static_cast<NodeIndex>(link.from);
  }
  return adjacency;
}

struct Components {
  std::vector<std::size_t> label;  // per node, in [0, count)
  std::size_t count = 0;
};

// Breadth-first search from each unlabelled node in index order.
Components find_components(std::size_t nodes, const std::vector<Link>& links) {
  const Adjacency adjacency = make_adjacency(nodes, links);
  Components components{std::vector<std::size_t>(nodes, kNoLink), 0};
  std::vector<std::size_t> queue;
  queue.reserve(nodes);
  for (std::size_t root = 0; root < nodes; ++root) {
    if (components.label[root] != kNoLink) continue;
    const std::size_t label = components.count++;
    components.label[root] = label;
    queue.assign(1, root);
    for (std::size_t head = 0; head < queue.size(); ++head) {
      const std::size_t v = queue[head];
      for (std::size_t e = adjacency.offsets[v]; e < adjacency.offsets[v + 1]; ++e) {
        const std::size_t w = adjacency.neighbours[e];
        if (components.label[w] != kNoLink) continue;
        components.label[w] = label;
        queue.push_back(w);
      }
    }
  }
  return components;
}

std::vector<Link> complete_graph(std::size_t nodes) {
  std::vector<Link> links;
  links.reserve(nodes * (nodes - 1) / 2);
  for (std::size_t from = 1; from < nodes; ++from) {
    for (std::size_t to = 0; to < from; ++to) links.push_back({from, to});
  }
  return links;
}

// --- random-regular ---------------------------------------------------------------------------

// Which node's stub count differs when nodes * degree is odd: one more for the graph itself, one
// fewer for a complement (so that the node has degree + 1 in the complement's complement).
enum class OddStub : std::uint8_t { kAddOne, kRemoveOne };

// The pairing (configuration) model of Bollobas, "A probabilistic proof of an asymptotic formula
// for the number of labelled regular graphs" (1980): `degree` stubs per node (one random node
// adjusted by `odd` when nodes * degree is odd), shuffled and paired in order. The pairs may hold
// self-links and duplicates; remove_bad_pairs fixes those.
std::vector<Link> pair_stubs(std::size_t nodes, std::size_t degree, OddStub odd, Rng& rng) {
  std::vector<NodeIndex> stubs;
  stubs.reserve(nodes * degree + 1);
  for (std::size_t v = 0; v < nodes; ++v) {
    stubs.insert(stubs.end(), degree, static_cast<NodeIndex>(v));
  }
  if (stubs.size() % 2 == 1) {
    const std::size_t v = rng.below(nodes);
    if (odd == OddStub::kAddOne) {
      stubs.push_back(static_cast<NodeIndex>(v));
    } else {
      stubs.erase(stubs.begin() + static_cast<std::ptrdiff_t>(v * degree));
    }
  }
  rng.shuffle(stubs);
  std::vector<Link> links(stubs.size() / 2);
  for (std::size_t i = 0; i < links.size(); ++i) links[i] = {stubs[2 * i], stubs[2 * i + 1]};
  return links;
}

// Replaces the bad pair links[bad] and a random good link {c, d} by {a, c} and {b, d} (or
// {a, d} and {b, c}), which keeps every degree (a switching as in McKay and Wormald, "Uniform
// generation of random regular graphs of moderate degree", 1990, without their rejection step,
// so the result is close to but not exactly uniform). Restarting the whole pairing instead takes
// about e^((d^2 - 1) / 4) draws, millions for degree 8.
bool switch_bad_pair(std::vector<Link>& links, std::size_t bad, const std::vector<bool>& pending,
                     LinkSet& present, Rng& rng) {
  const Link pair = links[bad];
  // A duplicate whose twin was switched away earlier is good now.
  if (pair.from != pair.to && present.insert(pair)) return true;
  for (std::size_t attempt = 0; attempt < kSwitchTriesMax; ++attempt) {
    const std::size_t other = rng.below(links.size());
    if (pending[other]) continue;  // also skips `bad` itself
    Link good = links[other];
    if (rng.below(2) == 1) std::swap(good.from, good.to);
    const Link first{pair.from, good.from};
    const Link second{pair.to, good.to};
    if (first.from == first.to || second.from == second.to) continue;
    if (pair_key(first) == pair_key(second)) continue;
    if (present.contains(first) || present.contains(second)) continue;
    present.erase(links[other]);
    present.insert(first);
    present.insert(second);
    links[bad] = first;
    links[other] = second;
    return true;
  }
  return false;
}

// Makes the pairs a simple graph, filling `present`; false when some bad pair found no switch.
bool remove_bad_pairs(std::vector<Link>& links, LinkSet& present, Rng& rng) {
  std::vector<bool> pending(links.size(), false);
  std::vector<std::size_t> bad;
  for (std::size_t i = 0; i < links.size(); ++i) {
    const Link& link = links[i];
    if (link.from == link.to || !present.insert(link)) {
      pending[i] = true;
      bad.push_back(i);
    }
  }
  for (const std::size_t i : bad) {
    if (!switch_bad_pair(links, i, pending, present, rng)) return false;
    pending[i] = false;
  }
  return true;
}

// Joins the components of a disconnected simple draw by switches across them: {a, b} in one
// component and {c, d} in another become {a, c} and {b, d}. These can be neither self-links nor
// duplicates, keep every degree, and merge the two components unless an old link was a bridge.
// A random 2-regular graph is a union of about ln(n) / 2 cycles, so without this, degree 2 would
// almost never give a connected graph of many nodes.
bool join_components(std::size_t nodes, std::vector<Link>& links, LinkSet& present, Rng& rng) {
  for (std::size_t pass = 0; pass < kJoinPassesMax; ++pass) {
    const Components components = find_components(nodes, links);
    if (components.count == 1) return true;
    // One uniform link of each component (reservoir sampling, in link order).
    std::vector<std::size_t> pick(components.count, kNoLink);
    std::vector<std::size_t> seen(components.count, 0);
    for (std::size_t i = 0; i < links.size(); ++i) {
      const std::size_t c = components.label[links[i].from];
      if (rng.below(++seen[c]) == 0) pick[c] = i;
    }
    if (std::find(pick.begin(), pick.end(), kNoLink) != pick.end()) return false;  // a lone node
    for (std::size_t c = 1; c < components.count; ++c) {
      Link& hub = links[pick[0]];
      Link& far = links[pick[c]];
      const Link first{hub.from, far.from};
      const Link second{hub.to, far.to};
      present.erase(hub);
      present.erase(far);
      present.insert(first);
      present.insert(second);
      hub = first;
      far = second;
    }
  }
  return false;
}

// Every pair of distinct nodes that `present` lacks.
std::vector<Link> complement(std::size_t nodes, const LinkSet& present) {
  std::vector<Link> links;
  for (std::size_t from = 1; from < nodes; ++from) {
    for (std::size_t to = 0; to < from; ++to) {
      if (!present.contains({from, to})) links.push_back({from, to});
    }
  }
  return links;
}

// Above half of nodes - 1, the draw is the complement of a sparse random regular graph: pairing
// a dense graph directly leaves most pairs bad and few switches free. The complement of a uniform
// graph is uniform, and a minimum degree above (nodes - 1) / 2 makes any graph connected (two
// nodes that are not linked share a neighbour). Dense degrees need nodes < 2 * kTopologyDegreeMax,
// so the quadratic complement stays small.
std::optional<std::vector<Link>> draw_random_regular(std::size_t nodes, std::size_t degree,
                                                     Rng& rng) {
  const std::size_t missing = nodes - 1 - degree;
  const bool dense = missing < degree;
  std::vector<Link> links = dense ? pair_stubs(nodes, missing, OddStub::kRemoveOne, rng)
                                  : pair_stubs(nodes, degree, OddStub::kAddOne, rng);
  LinkSet present(links.size());
  if (!remove_bad_pairs(links, present, rng)) return std::nullopt;
  if (dense) return complement(nodes, present);
  if (!join_components(nodes, links, present, rng)) return std::nullopt;
  return links;
}

// --- small-world ------------------------------------------------------------------------------

// Moves the far end of `link` to a uniform node that is neither its near end nor linked to it
// already (Watts and Strogatz forbid duplicates); the link stays when none is found.
void rewire(Link& link, std::size_t nodes, LinkSet& present, Rng& rng) {
  for (std::size_t draw = 0; draw < kRewireDrawsMax; ++draw) {
    const Link moved{link.from, rng.below(nodes)};
    if (moved.to == moved.from || present.contains(moved)) continue;
    present.erase(link);
    present.insert(moved);
    link = moved;
    return;
  }
}

// Watts and Strogatz, "Collective dynamics of 'small-world' networks" (Nature 393, 1998): a ring
// where node i links to i + 1 .. i + half, then, lap by lap from the nearest neighbours out, each
// link {i, i + j} is rewired to {i, t} with probability p. `half` is at least 1 so that degree 1
// still gives a ring.
std::vector<Link> draw_small_world(std::size_t nodes, std::size_t degree, double p, Rng& rng) {
  const std::size_t half = std::max<std::size_t>(1, degree / 2);
  std::vector<Link> links;
  links.reserve(nodes * half);
  LinkSet present(nodes * half);
  for (std::size_t j = 1; j <= half; ++j) {
    for (std::size_t i = 0; i < nodes; ++i) {
      if (2 * j == nodes && i >= j) continue;  // with two nodes, i + 1 and i - 1 coincide
      links.push_back({i, (i + j) % nodes});
      present.insert(links.back());
    }
  }
  for (Link& link : links) {
    if (rng.chance(p)) rewire(link, nodes, present, rng);
  }
  return links;
}

// --- scale-free -------------------------------------------------------------------------------

// Barabasi and Albert, "Emergence of scaling in random networks" (Science 286, 1999): growth with
// preferential attachment. The first m + 1 nodes form a complete graph (a node of degree 0 could
// never be chosen); each later node links to m distinct earlier nodes, each drawn with
// probability proportional to its degree by taking a uniform entry of the list of every link's
// two endpoints (Batagelj and Brandes, "Efficient generation of large random networks", 2005).
std::optional<std::vector<Link>> draw_scale_free(std::size_t nodes, std::size_t degree, Rng& rng) {
  const std::size_t per_node = std::max<std::size_t>(1, degree / 2);
  const std::size_t seed_nodes = std::min(nodes, per_node + 1);
  std::vector<Link> links = complete_graph(seed_nodes);
  links.reserve(links.size() + (nodes - seed_nodes) * per_node);
  std::vector<std::size_t> endpoints;
  endpoints.reserve(2 * links.capacity());
  for (const Link& link : links) endpoints.insert(endpoints.end(), {link.from, link.to});
  std::vector<std::size_t> targets;
  for (std::size_t v = seed_nodes; v < nodes; ++v) {
    targets.clear();
    for (std::size_t draw = 0; targets.size() < per_node; ++draw) {
      if (draw == kAttachDrawsMax) return std::nullopt;
      const std::size_t target = endpoints[rng.below(endpoints.size())];
      if (std::find(targets.begin(), targets.end(), target) == targets.end()) {
        targets.push_back(target);
      }
    }
    for (const std::size_t target : targets) {
      links.push_back({v, target});
      endpoints.insert(endpoints.end(), {v, target});
    }
  }
  return links;
}

// --- checks -----------------------------------------------------------------------------------

Status check_spec(const TopologySpec& spec, std::size_t nodes) {
  if (nodes > kTopologyNodesMax) {
    return Status::out_of_range(
        fmt::format("topology.nodes: {} is above the limit {}", nodes, kTopologyNodesMax));
  }
  if (spec.degree > kTopologyDegreeMax) {
    return Status::out_of_range(
        fmt::format("topology.degree: {} is above the limit {}", spec.degree, kTopologyDegreeMax));
  }
  if (spec.degree == 0 && nodes > 1) {
    return Status::invalid_argument(
        fmt::format("topology.degree: must be at least 1 to connect {} nodes", nodes));
  }
  const double p = spec.rewire_probability;
  if (spec.kind == TopologyKind::kSmallWorld && !(p >= 0.0 && p <= 1.0)) {
    return Status::invalid_argument(
        fmt::format("topology.rewire_probability: {} is outside [0, 1]", p));
  }
  return Status::ok();
}

Status no_connected_graph(TopologyKind kind, std::size_t nodes, std::size_t degree,
                          std::string_view why) {
  return Status::invalid_argument(
      fmt::format("topology: no connected {} graph of {} nodes and "
                  "degree {} {}",
                  topology_name(kind), nodes, degree, why));
}

std::optional<std::vector<Link>> draw(const TopologySpec& spec, std::size_t nodes,
                                      std::size_t degree, Rng& rng) {
  switch (spec.kind) {
    case TopologyKind::kRandomRegular:
      return draw_random_regular(nodes, degree, rng);
    case TopologyKind::kSmallWorld:
      return draw_small_world(nodes, degree, spec.rewire_probability, rng);
    case TopologyKind::kScaleFree:
      return draw_scale_free(nodes, degree, rng);
  }
  QPOW_UNREACHABLE();
}

}  // namespace

std::string_view topology_name(TopologyKind kind) {
  switch (kind) {
    case TopologyKind::kRandomRegular:
      return "random-regular";
    case TopologyKind::kSmallWorld:
      return "small-world";
    case TopologyKind::kScaleFree:
      return "scale-free";
  }
  QPOW_UNREACHABLE();
}

Result<TopologyKind> parse_topology(std::string_view name) {
  for (const TopologyKind kind :
       {TopologyKind::kRandomRegular, TopologyKind::kSmallWorld, TopologyKind::kScaleFree}) {
    if (name == topology_name(kind)) return kind;
  }
  return Status::invalid_argument(fmt::format(
      "topology: unknown kind \"{}\" (expected random-regular, small-world or scale-free)", name));
}

Result<std::vector<Link>> make_topology(const TopologySpec& spec, std::size_t nodes, Rng& rng) {
  QPOW_RETURN_IF_ERROR(check_spec(spec, nodes));
  if (nodes < 2) return std::vector<Link>{};
  const std::size_t degree = std::min(spec.degree, nodes - 1);
  if (spec.kind == TopologyKind::kRandomRegular) {
    if (degree == nodes - 1) return complete_graph(nodes);
    // A connected graph needs nodes - 1 links; degree 1 has only about nodes / 2.
    const std::size_t link_count = (nodes * degree + 1) / 2;
    if (link_count + 1 < nodes) {
      return no_connected_graph(
          spec.kind, nodes, degree,
          fmt::format("exists: {} links cannot join {} nodes", link_count, nodes));
    }
  }
  for (std::size_t attempt = 0; attempt < kTopologyAttemptsMax; ++attempt) {
    std::optional<std::vector<Link>> links = draw(spec, nodes, degree, rng);
    if (links && is_connected(nodes, *links)) return std::move(*links);
  }
  return no_connected_graph(spec.kind, nodes, degree,
                            fmt::format("after {} attempts", kTopologyAttemptsMax));
}

bool is_connected(std::size_t nodes, const std::vector<Link>& links) {
  if (nodes < 2) return true;
  return find_components(nodes, links).count == 1;
}

std::vector<std::size_t> degrees(std::size_t nodes, const std::vector<Link>& links) {
  std::vector<std::size_t> result(nodes, 0);
  for (const Link& link : links) {
    QPOW_ASSERT(link.from < nodes && link.to < nodes);
    ++result[link.from];
    ++result[link.to];
  }
  return result;
}

}  // namespace qpow::sim
