#include <rocksdb/db.h>  // storage's dependency, not crypto's
