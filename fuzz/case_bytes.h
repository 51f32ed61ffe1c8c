// Fuzzer bytes <-> cases, per target: every input decodes to a valid, judgeable Case (config and
// ops, no expectations), and every case of the target encodes to bytes that decode back to it
// (ids renamed m0, m1, ... in the order ops create them), so the JSON corpus seeds the fuzzers.
//
// Layout: the config's fields in a fixed order, then ops, each a kind and its fields; every
// number a varint (fuzz/byte_stream.h). A decoded value is made legal in a way that leaves a
// legal value as it is: a mask is filled down to 2^k-1, a page aligned down, an sg list clipped
// to dma_parms as the RapidCheck generators clip theirs (gen::respect_dma_parms), an id
// reference taken modulo the ids that exist. A config validate() rejects falls back to the
// defaults of the section it names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "case/case.h"

namespace iovet::fuzz {

struct DecodeOptions {
  std::string variant;  // the case's variant (and what it trusts its caller with)
};

Case decode_case(Target t, const std::uint8_t* data, std::size_t size, const DecodeOptions& opt);
// The case's config and ops (expectations are not encoded). Throws InputError for an op of
// another target or an id no earlier op created.
std::string encode_case(const Case& c);

}  // namespace iovet::fuzz
