#include "crypto/hash.h"
#include "util/bytes.h"
#include <openssl/evp.h>
#include <vector>
