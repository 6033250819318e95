// OverlayNodeStore: a NodeStore that sees pending StateWrites over a base store, so several
// state updates can be computed one after another before any is committed (a block template
// built on an uncommitted block, a simulation). writes() is then the net change to commit.
//
// It borrows the base store, which must outlive it. Not thread-safe.
#pragma once

#include <map>
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
    for (const StateWrites::Entry& w : writes) {
      std::optional<util::Bytes> value;
      if (w.value) value = util::to_bytes(*w.value);
      pending_.insert_or_assign(util::to_bytes(w.key), std::move(value));
    }
  }

  // Everything applied so far, as one set of writes to the base store.
  StateWrites writes() const {
    StateWrites out;
    out.reserve(pending_.size());
    for (const auto& [key, value] : pending_) {
      std::optional<util::ByteSpan> view;
      if (value) view = util::ByteSpan(*value);
      out.append(key, view);
    }
    return out;
  }

 private:
  const NodeStore& base_;
  std::map<util::Bytes, std::optional<util::Bytes>, StateKeyLess> pending_;
};

}  // namespace qpow::state
