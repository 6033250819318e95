// chain::Notifications: how higher layers (mempool owner, node, wallet index) hear about tip
// changes. Called synchronously by the chainstate after each block's batch is on disk, in order:
// during a reorganisation every disconnect (newest first) comes before the connects.
#pragma once

#include "primitives/block.h"

namespace qpow::chain {

class Notifications {
 public:
  virtual ~Notifications() = default;
  virtual void block_connected(const primitives::Block& block) = 0;
  virtual void block_disconnected(const primitives::Block& block) = 0;
};

}  // namespace qpow::chain
