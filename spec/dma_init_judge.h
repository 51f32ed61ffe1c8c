// What iommu_dma_init_domain() must do with the case's device, from the configuration alone:
// whether it must fail (dma.init) and which IOVAs it must keep from the allocator
// (dma.reserved). Both rules are iovet additions; they follow iova_reserve_iommu_regions()
// and iova_reserve_pci_windows() as Linux 6.1 and current mainline share them.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "spec/config.h"
#include "spec/rules.h"

namespace iovet {

// Why init must fail: the kernel sorts the host bridge's dma_ranges by CPU address
// (res->start) and refuses, with -EINVAL, a range that then starts in bus space at or below
// the end of the one before it. nullopt when init must succeed.
std::optional<std::string> dma_init_must_fail(const Config& cfg);

// An IOVA range no mapping may use, and why.
struct ReservedIova {
  Range range;  // bytes, inclusive
  std::string what;
  friend bool operator==(const ReservedIova&, const ReservedIova&) = default;
};

// Every IOVA no mapping may use: domain.reserved, the host bridge's outbound windows and,
// when init must succeed and the bridge has dma-ranges, every bus address outside them (below
// the first, between two, above the last), in that order. The kernel reserves whole granules
// around these bytes; that is allowed, not required.
std::vector<ReservedIova> reserved_iova(const Config& cfg);

// dma.init: err is 0 when init succeeded, else its -errno.
std::optional<Violation> judge_dma_init(const Config& cfg, int err);

// dma.reserved for one live mapping: the granules it occupies (its hull) must not touch a
// reserved IOVA. check() says which reservation they touch.
class ReservedJudge {
 public:
  explicit ReservedJudge(const Config& cfg) : reserved_(reserved_iova(cfg)) {}
  std::optional<std::string> check(const Range& hull) const;

 private:
  std::vector<ReservedIova> reserved_;
};

}  // namespace iovet
