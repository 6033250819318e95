// OverlayNodeStore: a NodeStore that sees pending StateWrites over a base store, so several
// state updates can be computed one after another before any is committed (a block template
// built on an uncommitted block, a simulation). writes() is then the net change to commit.
//
// It borrows the base store, which must outlive it. Not thread-safe.
#pragma once

#include <optional>
#include <utility>

#include "state/node_store.h"

namespace qpow::state {

class OverlayNodeStore final : public NodeStore {
 public:
  explicit OverlayNodeStore(const NodeStore& base) : base_(base) {}

  util::Result<std::optional<util::Bytes>> get(util::ByteSpan key) const override {
    const auto it = pending_.find(key);
    if (it != pending_.end()) return it->second;
    return base_.get(key);
  }

  // Layers writes over what is already pending; a later write of a key replaces an earlier one.
  void apply(const StateWrites& writes) {
    for (const auto& [key, value] : writes) pending_.insert_or_assign(key, value);
  }

  // Everything applied so far, as one set of writes to the base store.
  const StateWrites& writes() const { return pending_; }

 private:
  const NodeStore& base_;
  StateWrites pending_;
};

}  // namespace qpow::state
