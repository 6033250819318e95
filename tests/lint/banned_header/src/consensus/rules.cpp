#include <chrono>  // consensus code reads no clock
