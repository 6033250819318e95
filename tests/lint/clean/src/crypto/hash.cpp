#include "crypto/hash.h"

#include <vector>

#include <openssl/evp.h>

#include "util/bytes.h"
