#include "net/misbehavior.h"

#include "util/assert.h"

namespace qpow::net {
namespace {

// What each offence costs. Proof of a broken or hostile peer costs the whole threshold; slips an
// honest peer can make (a race around the handshake, a block announced while we reorganised, a
// header batch that raced our own tip change) cost little enough that only repeating them leads
// to a ban.
constexpr std::uint32_t kMalformedFrameScore = kBanScore;
constexpr std::uint32_t kMessageBeforeHandshakeScore = 20;
constexpr std::uint32_t kDuplicateVersionScore = 20;
constexpr std::uint32_t kUnsolicitedBlockScore = 10;
// A list past its protocol bound cannot come from a peer that follows the protocol.
constexpr std::uint32_t kOversizedListScore = kBanScore;
// Headers that do not chain to each other are never sent by an honest node.
constexpr std::uint32_t kNonContinuousHeadersScore = kBanScore / 2;
constexpr std::uint32_t kUnconnectingHeadersScore = 20;

std::uint32_t penalty_score(consensus::PeerPenalty penalty) {
  switch (penalty) {
    case consensus::PeerPenalty::kNone:
      return 0;
    case consensus::PeerPenalty::kDisconnect:
      return kBanScore / 2;
    case consensus::PeerPenalty::kBan:
      return kBanScore;
  }
  QPOW_UNREACHABLE();
}

}  // namespace

std::uint32_t offence_score(Offence offence, consensus::PeerPenalty penalty) {
  switch (offence) {
    case Offence::kMalformedFrame:
      return kMalformedFrameScore;
    case Offence::kMessageBeforeHandshake:
      return kMessageBeforeHandshakeScore;
    case Offence::kDuplicateVersion:
      return kDuplicateVersionScore;
    case Offence::kUnsolicitedBlock:
      return kUnsolicitedBlockScore;
    case Offence::kOversizedList:
      return kOversizedListScore;
    case Offence::kNonContinuousHeaders:
      return kNonContinuousHeadersScore;
    case Offence::kInvalidHeader:
    case Offence::kInvalidBlock:
    case Offence::kInvalidTx:
      return penalty_score(penalty);
    case Offence::kUnconnectingHeaders:
      return kUnconnectingHeadersScore;
  }
  QPOW_UNREACHABLE();
}

}  // namespace qpow::net
