// The configuration of one case (shared/corpus-format.md section 1.1).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "spec/types.h"

namespace iovet {

enum class Format { arm64_lpae_s1, arm64_lpae_s2 };
enum class PgtableKind { impl, ref };
enum class PartialUnmap { refuse, split };

std::string_view format_name(Format f);
std::string_view pgtable_name(PgtableKind k);
std::string_view partial_unmap_name(PartialUnmap p);

// One inbound window of a PCI host bridge (a resource_entry of bridge->dma_ranges): CPU
// addresses [start, end]; the device reaches them at bus address = CPU address - offset.
struct PciDmaRange {
  u64 start = 0;
  u64 end = 0;
  u64 offset = 0;
  u64 bus_start() const { return start - offset; }
  u64 bus_end() const { return end - offset; }
  friend bool operator==(const PciDmaRange&, const PciDmaRange&) = default;
};

// The host bridge a PCI device sits behind (an iovet addition to the format): what
// iova_reserve_pci_windows() reads.
struct PciHostBridge {
  std::vector<Range> windows;             // outbound MEM windows (bridge->windows), CPU == bus address
  std::vector<PciDmaRange> dma_ranges;    // bridge->dma_ranges, in the order firmware listed them
  friend bool operator==(const PciHostBridge&, const PciHostBridge&) = default;
};

struct DeviceParams {
  u64 dma_mask = 0xffffffff;
  std::optional<u64> coherent_dma_mask;  // defaults to dma_mask
  u64 seg_boundary_mask = ~u64{0};
  u64 max_seg_size = 65536;
  bool coherent = true;
  std::optional<PciHostBridge> pci;  // nullopt: a platform (non-PCI) device
  u64 coherent_mask() const { return coherent_dma_mask.value_or(dma_mask); }
};

struct DomainParams {
  std::optional<Range> aperture;  // defaults to the whole ias range
  std::vector<Range> reserved;
};

// The SMMU behind target smmu: driver mode and the hardware's parameters (ID registers and
// implementation choices a real SMMU makes differently).
enum class TlbReplacement { lru, fifo, random };
std::string_view replacement_name(TlbReplacement r);
struct SmmuParams {
  bool lazy = false;            // DMA-FQ flush queue (iommu.strict=0) or strict
  unsigned fq_size = 256;       // IOVA_FQ_SIZE
  unsigned sidsize = 8;         // IDR1.SIDSIZE
  bool st_2lvl = false;         // 2-level stream table
  bool ril = true;              // IDR3.RIL: range invalidation
  unsigned cmdq_log2 = 8;       // IDR1.CMDQS
  unsigned cmdq_per_poll = 4;   // commands the hardware consumes per CMDQ_CONS read
  unsigned iotlb_entries = 64;
  TlbReplacement replacement = TlbReplacement::lru;
  friend bool operator==(const SmmuParams&, const SmmuParams&) = default;
};

struct Config {
  u64 page_size = 4096;
  u64 granule = 4096;
  Format format = Format::arm64_lpae_s1;
  unsigned ias = 48;
  unsigned oas = 48;
  PgtableKind pgtable = PgtableKind::impl;
  PartialUnmap partial_unmap = PartialUnmap::refuse;
  DomainParams domain;
  DeviceParams device;
  u64 start_pfn = 1;  // target iova only
  SmmuParams smmu;    // target smmu only

  Range aperture() const;
  unsigned granule_shift() const { return ilog2(granule); }
};

// A problem with a configuration: the JSON pointer below /config and what is wrong.
struct ConfigProblem {
  std::string pointer;
  std::string message;
};
// Checks the combinations the case format allows; empty when the config is usable.
std::vector<ConfigProblem> validate(const Config& c);

}  // namespace iovet
