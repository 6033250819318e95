// Runs a fuzz target without libFuzzer: on the files named on the command line, or else on a
// fixed, seeded set of inputs (random bytes, printable text, and bit flips of each), so a plain
// build exercises every target for a moment. Long coverage-guided runs use -DQPOW_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

constexpr int kInputs = 20000;
constexpr std::size_t kMaxLen = 300;

void run(const std::vector<std::uint8_t>& input) {
  LLVMFuzzerTestOneInput(input.data(), input.size());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    for (int i = 1; i < argc; ++i) {
      std::ifstream f(argv[i], std::ios::binary);
      if (!f) {
        std::fprintf(stderr, "cannot read %s\n", argv[i]);
        return 2;
      }
      run({std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()});
    }
    return 0;
  }
  static const char kAlphabet[] = "0123456789abcdefABCDEFqpzry9x8gf2tvdw0s3jn54khce6mua7l1 x!";
  std::mt19937_64 rng(0x66757a7a);
  for (int n = 0; n < kInputs; ++n) {
    std::vector<std::uint8_t> input(rng() % kMaxLen);
    const bool text = n % 2 == 0;
    for (auto& b : input) {
      b = text ? static_cast<std::uint8_t>(kAlphabet[rng() % (sizeof kAlphabet - 1)])
               : static_cast<std::uint8_t>(rng());
    }
    run(input);
    if (!input.empty()) {
      input[rng() % input.size()] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
      run(input);
    }
  }
  std::printf("%d generated inputs, no failure\n", kInputs);
  return 0;
}
