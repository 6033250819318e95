// Misbehaviour scores: offences that prove a broken or hostile peer cost the whole ban threshold,
// slips an honest peer can make cost less, and consensus-invalid objects cost what their
// reject reason's penalty says.
#include "net/misbehavior.h"

#include <gtest/gtest.h>

namespace qpow::net {
namespace {

using consensus::PeerPenalty;

TEST(Misbehavior, ProofOfABrokenPeerBansAtOnce) {
  EXPECT_EQ(offence_score(Offence::kMalformedFrame), kBanScore);
  EXPECT_EQ(offence_score(Offence::kOversizedList), kBanScore);
}

TEST(Misbehavior, ProtocolSlipsCostLessThanABan) {
  for (Offence offence :
       {Offence::kMessageBeforeHandshake, Offence::kDuplicateVersion, Offence::kUnsolicitedBlock,
        Offence::kNonContinuousHeaders, Offence::kUnconnectingHeaders}) {
    const std::uint32_t score = offence_score(offence);
    EXPECT_GT(score, 0u) << static_cast<int>(offence);
    EXPECT_LT(score, kBanScore) << static_cast<int>(offence);
  }
  // An honest peer on a slow link may announce a block we did not ask for now and then: it takes
  // many before a ban, and one slip of each kind together stays under the threshold.
  EXPECT_GE(kBanScore / offence_score(Offence::kUnsolicitedBlock), 5u);
  EXPECT_LT(
      offence_score(Offence::kMessageBeforeHandshake) + offence_score(Offence::kDuplicateVersion) +
          offence_score(Offence::kUnsolicitedBlock) + offence_score(Offence::kUnconnectingHeaders),
      kBanScore);
}

TEST(Misbehavior, InvalidObjectsCostWhatTheirPenaltySays) {
  for (Offence offence : {Offence::kInvalidHeader, Offence::kInvalidBlock, Offence::kInvalidTx}) {
    EXPECT_EQ(offence_score(offence, PeerPenalty::kBan), kBanScore);
    EXPECT_EQ(offence_score(offence, PeerPenalty::kDisconnect), kBanScore / 2);
    EXPECT_EQ(offence_score(offence, PeerPenalty::kNone), 0u);
    EXPECT_EQ(offence_score(offence), kBanScore);  // the default penalty is a ban
  }
}

TEST(Misbehavior, PenaltyDoesNotChangeFixedOffences) {
  EXPECT_EQ(offence_score(Offence::kMalformedFrame, PeerPenalty::kNone), kBanScore);
  EXPECT_EQ(offence_score(Offence::kUnsolicitedBlock, PeerPenalty::kBan),
            offence_score(Offence::kUnsolicitedBlock, PeerPenalty::kNone));
}

}  // namespace
}  // namespace qpow::net
