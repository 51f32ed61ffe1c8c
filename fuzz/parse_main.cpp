// The case-file parser as a libFuzzer-style target: any bytes, a case or an InputError.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_one.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  iovet::fuzz::fuzz_parse(data, size);
  return 0;
}
