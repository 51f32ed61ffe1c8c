// The mutation suite's record. Every planted-fault test (a faulty model variant, a faulty
// kernel patch) and every behaviour-neutral edit says here what the campaign made of it;
// with IOVET_MUTATION_LOG=FILE set each becomes a JSON line in FILE, and
// iovet_mutation_summary (scripts/mutate, CI) prints caught/total per unit from them.
#pragma once
#include <string_view>

namespace iovet::test {

// unit: what the fault is planted in ("dma", "iova", "pgtable", "smmu", or a kernel file such
// as "drivers/iommu/iova.c"); found_after/found_s: generated cases and seconds to the first
// failing case (0 when it was not caught).
void record_mutant(std::string_view unit, std::string_view name, bool caught, int found_after, double found_s);

// A behaviour-neutral edit: clean when nothing was reported (anything else is a false alarm).
void record_neutral(std::string_view unit, std::string_view name, bool clean);

}  // namespace iovet::test
