#pragma once
#include <cstdint>

#include <fmt/format.h>
