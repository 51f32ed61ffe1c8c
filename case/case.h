// A case file in memory (shared/corpus-format.md section 1): target, variant, config, ops,
// expectations. Parsing and writing live in case_json.h.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "spec/config.h"
#include "spec/types.h"
#include "spec/unit/smmu.h"

namespace iovet {

enum class Target { dma, iova, pgtable, smmu };
std::string_view target_name(Target t);
bool parse_target(std::string_view s, Target& out);

struct SgEntry {
  u64 page = 0;
  u64 offset = 0;
  u64 length = 0;
  friend bool operator==(const SgEntry&, const SgEntry&) = default;
};

namespace op {
// target dma
struct MapPage { std::string id; u64 page = 0, offset = 0, size = 0; Dir dir = Dir::bidirectional;
  friend bool operator==(const MapPage&, const MapPage&) = default; };
struct UnmapPage { std::string id;
  friend bool operator==(const UnmapPage&, const UnmapPage&) = default; };
struct UnmapPageRaw { u64 dma = 0, size = 0; Dir dir = Dir::bidirectional;
  friend bool operator==(const UnmapPageRaw&, const UnmapPageRaw&) = default; };
struct MapSg { std::string id; std::vector<SgEntry> sg; Dir dir = Dir::bidirectional;
  friend bool operator==(const MapSg&, const MapSg&) = default; };
struct UnmapSg { std::string id;
  friend bool operator==(const UnmapSg&, const UnmapSg&) = default; };
struct Alloc { std::string id; u64 size = 0;
  friend bool operator==(const Alloc&, const Alloc&) = default; };
struct Free { std::string id;
  friend bool operator==(const Free&, const Free&) = default; };
// Either id (that mapping's whole IOVA range) or iova + size.
struct IommuUnmap { std::optional<std::string> id; u64 iova = 0, size = 0;
  friend bool operator==(const IommuUnmap&, const IommuUnmap&) = default; };
// Either id + offset (into the concatenated segments) or iova. sid: target smmu only.
struct Access { std::optional<std::string> id; u64 offset = 0; u64 iova = 0; bool write = false; u32 sid = 0;
  friend bool operator==(const Access&, const Access&) = default; };
// target iova (units: pfns)
// cpu: the CPU the call runs on (raw_smp_processor_id(), whose rcache it uses), below kIovaCpus.
struct IovaAlloc { std::string id; u64 size = 0, limit_pfn = 0; bool aligned = true, fast = false; unsigned cpu = 0;
  friend bool operator==(const IovaAlloc&, const IovaAlloc&) = default; };
struct IovaFree { std::string id; bool fast = false; unsigned cpu = 0;
  friend bool operator==(const IovaFree&, const IovaFree&) = default; };
struct IovaReserve { u64 lo = 0, hi = 0;
  friend bool operator==(const IovaReserve&, const IovaReserve&) = default; };
// target pgtable
struct PtMap { u64 iova = 0, paddr = 0, pgsize = 0, pgcount = 1; int prot = 0;
  friend bool operator==(const PtMap&, const PtMap&) = default; };
struct PtUnmap { u64 iova = 0, pgsize = 0, pgcount = 1;
  friend bool operator==(const PtUnmap&, const PtUnmap&) = default; };
struct PtIovaToPhys { u64 iova = 0;
  friend bool operator==(const PtIovaToPhys&, const PtIovaToPhys&) = default; };
// target smmu (besides the dma ops)
struct Attach { u32 sid = 0; SmmuDomainKind domain = SmmuDomainKind::dma;
  friend bool operator==(const Attach&, const Attach&) = default; };
struct FqTimeout {
  friend bool operator==(const FqTimeout&, const FqTimeout&) = default; };
}  // namespace op

using OpBody = std::variant<op::MapPage, op::UnmapPage, op::UnmapPageRaw, op::MapSg, op::UnmapSg,
                            op::Alloc, op::Free, op::IommuUnmap, op::Access, op::IovaAlloc,
                            op::IovaFree, op::IovaReserve, op::PtMap, op::PtUnmap,
                            op::PtIovaToPhys, op::Attach, op::FqTimeout>;

// The name an op has in the case format ("map_page", "alloc", ...).
std::string_view op_name(const OpBody& b);

// Per-op expectations; each is checked only when present.
struct OpExpect {
  std::optional<bool> error;
  std::optional<u64> count;     // map_sg
  std::optional<bool> fault;    // access
  std::optional<u64> phys;      // access, iova_to_phys
  std::optional<u64> pfn;       // iova alloc
  std::optional<u64> mapped;    // pgtable map
  std::optional<u64> unmapped;  // pgtable unmap
  std::optional<std::string> errno_name;  // pgtable map: "EEXIST", ...
  bool empty() const {
    return !error && !count && !fault && !phys && !pfn && !mapped && !unmapped && !errno_name;
  }
  friend bool operator==(const OpExpect&, const OpExpect&) = default;
};

struct Op {
  OpBody body;
  OpExpect expect;
  friend bool operator==(const Op&, const Op&) = default;
};

struct Case {
  std::string name;
  std::string description;
  Target target = Target::dma;
  std::optional<std::string> variant;
  Config config;
  std::vector<Op> ops;
  std::vector<std::string> expect_rules;
  std::vector<std::string> allow_rules;
  nlohmann::ordered_json provenance;  // kept as written
};

}  // namespace iovet
