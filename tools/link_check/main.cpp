// Link check for one qpow library. The build links the whole archive of the library named by
// QPOW_LINK_CHECK_LIBRARY against only the libraries its row of the layer table declares, so a
// call into any other library is an undefined reference and fails the build. Running the result
// only confirms that it was built.
#include <cstdio>

int main() {
  std::printf("%s links against its declared dependencies only\n", QPOW_LINK_CHECK_LIBRARY);
  return 0;
}
