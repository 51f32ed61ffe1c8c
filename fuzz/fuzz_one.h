// One fuzzer input through iovet's judge: decoded to a case (fuzz/case_bytes.h), run on a
// variant, and a contract violation turned into an abort the engines understand. The first
// line on stderr is the title engines deduplicate by: "iovet: <rule> on <variant>/<target>".
// Hardening rules abort too when IOVET_FUZZ_STRICT=1; IOVET_FUZZ_RULE=<rule> aborts on that rule
// only (a campaign hunting one finding, as a check property does). Nothing is carried between
// inputs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "case/case.h"
#include "run/run.h"

namespace iovet::fuzz {

// What a fuzz target aborts on: the first contract violation (any violation when strict), or null.
const Violation* fuzz_finding(const RunResult& r, bool strict);
// IOVET_FUZZ_STRICT=1: hardening rules count too.
bool strict_from_env();
// Builds and loads the variant's kernel object (kernel-tree variants) before the first input.
void fuzz_init(const std::string& variant);
void fuzz_one(Target t, const std::string& variant, const std::uint8_t* data, std::size_t size);
// The case-file parser on any bytes: a case or an InputError, nothing else.
void fuzz_parse(const std::uint8_t* data, std::size_t size);

}  // namespace iovet::fuzz
