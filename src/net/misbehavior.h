// Misbehaviour scoring: what a peer's offences cost. A peer whose score reaches kBanScore is
// disconnected and its host banned for kDefaultBanTimeS (ban_list.h). Offences that prove a broken
// or malicious peer (a malformed frame, a block with bad proof of work or a bad signature) cost
// the whole threshold at once; smaller protocol slips cost less, so an honest peer on a slow link
// is not banned for one of them.
#pragma once

#include <cstdint>

#include "consensus/reject_reason.h"

namespace qpow::net {

inline constexpr std::uint32_t kBanScore = 100;

enum class Offence : std::uint8_t {
  kMalformedFrame,      // bad magic, checksum, length, command or payload encoding
  kMessageBeforeHandshake,
  kDuplicateVersion,
  kUnsolicitedBlock,    // a block we never asked for and that does not extend our chain's tips
  kOversizedList,       // headers/inv beyond what the protocol allows
  kNonContinuousHeaders,
  kInvalidHeader,       // consensus-invalid header (penalty from its RejectReason)
  kInvalidBlock,        // consensus-invalid block
  kInvalidTx,           // consensus-invalid loose transaction
  kUnconnectingHeaders, // headers that do not connect, repeatedly
};

// The score an offence adds. For kInvalid*, `penalty` (consensus::peer_penalty of the reject
// reason) decides: kBan -> kBanScore, kDisconnect -> kBanScore / 2, kNone -> 0.
std::uint32_t offence_score(Offence offence,
                            consensus::PeerPenalty penalty = consensus::PeerPenalty::kBan);

}  // namespace qpow::net
