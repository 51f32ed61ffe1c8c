// A libFuzzer-style target: IOVET_FUZZ_TARGET on variant IOVET_FUZZ_VARIANT (compile
// definitions; fuzz/CMakeLists.txt builds one per pair).
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_one.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  iovet::fuzz::fuzz_init(IOVET_FUZZ_VARIANT);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  iovet::fuzz::fuzz_one(iovet::Target::IOVET_FUZZ_TARGET, IOVET_FUZZ_VARIANT, data, size);
  return 0;
}
