// node::NodeAccess: how code on other threads (the RPC server) reaches the node. The node is
// single-threaded; every call into it must run on the node's thread, between events. The runtime
// implements this by posting fn to that thread and waiting for it.
#pragma once

#include <cstdint>
#include <functional>

#include "util/status.h"

namespace qpow::node {

class Node;

// How long an RPC call may wait for the node before it gives up.
inline constexpr std::uint64_t kDefaultNodeCallTimeoutMs = 30'000;

class NodeAccess {
 public:
  virtual ~NodeAccess() = default;
  // Runs fn(node) on the node's thread and returns once it has returned. Errors: kUnavailable if
  // the node is stopping or stopped (fn does not run); kTimeout if fn had not started within
  // timeout_ms (it is then cancelled and never runs, so it may safely capture the caller's
  // locals). Once started, fn always runs to the end and call() waits for it.
  virtual util::Status call(const std::function<void(Node&)>& fn, std::uint64_t timeout_ms) = 0;
};

}  // namespace qpow::node
