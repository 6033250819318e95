#include "state/node_store.h"

#include <algorithm>
#include <cstring>

namespace qpow::state {

bool StateKeyLess::operator()(util::ByteSpan a, util::ByteSpan b) const {
  const std::size_t common = std::min(a.size(), b.size());
  const int order = common == 0 ? 0 : std::memcmp(a.data(), b.data(), common);
  return order != 0 ? order < 0 : a.size() < b.size();
}

}  // namespace qpow::state
