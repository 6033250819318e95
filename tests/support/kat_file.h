// Parser for the Keccak team's ShortMsgKAT files: blank-line-separated records of
// "Key = value" lines (Len, Msg, MD or Squeezed). Comment lines start with '#'.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace qpow::test {

using KatRecord = std::map<std::string, std::string, std::less<>>;

std::vector<KatRecord> parse_kat_records(std::string_view text);

}  // namespace qpow::test
