#include "finality/vote.h"  // mining and finality share layer 7
