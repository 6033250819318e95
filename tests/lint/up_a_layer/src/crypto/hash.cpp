#include "chain/chainstate.h"  // crypto (layer 1) reaching up to chain (layer 6)
