#include "wallet/key_entry.h"

#include <cstdint>

#include <fmt/format.h>

namespace qpow::wallet {

util::Bytes StoredKey::tagged_public_key() const {
  util::Bytes out;
  out.reserve(1 + public_key.size());
  out.push_back(static_cast<std::uint8_t>(scheme));
  out.insert(out.end(), public_key.begin(), public_key.end());
  return out;
}

util::Status check_label(std::string_view label) {
  if (label.size() > kLabelMaxBytes) {
    return util::Status::out_of_range(
        fmt::format("label is {} bytes, at most {}", label.size(), kLabelMaxBytes));
  }
  for (std::size_t i = 0; i < label.size(); ++i) {
    const auto byte = static_cast<std::uint8_t>(label[i]);
    if (byte < 0x20 || byte == 0x7f) {
      return util::Status::invalid_argument(
          fmt::format("label: control character 0x{:02x} at position {}", byte, i));
    }
  }
  return util::Status::ok();
}

}  // namespace qpow::wallet
