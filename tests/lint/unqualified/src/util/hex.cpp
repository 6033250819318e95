#include "hex.h"  // must be "util/hex.h"
