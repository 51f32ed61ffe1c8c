// A driver on a FakeSmmuMmio, with its trace collected, for the driver tests.
#pragma once
#include <memory>
#include <vector>

#include "impl/io_pgtable_arm.h"
#include "impl/smmu/arm_smmu_domain.h"
#include "impl/smmu/arm_smmu_v3.h"
#include "tests/smmu/fake_smmu_mmio.h"

namespace iovet::test {

// Bits [hi:lo] of v, positions as the architecture's tables give them.
inline u64 bits(u64 v, unsigned hi, unsigned lo) {
  return (v >> lo) & (hi - lo == 63 ? ~u64{0} : (u64{1} << (hi - lo + 1)) - 1);
}

struct SmmuRig {
  PhysMem mem{4096, u64{1} << 36};  // away from the page tables' default base
  FakeSmmuMmio mmio{mem};
  std::vector<SmmuTrace> trace;

  template <typename Device = ArmSmmuDevice>
  std::unique_ptr<Device> probe() {
    return std::make_unique<Device>(mmio, mem, [this](SmmuTrace t) { trace.push_back(t); });
  }
  std::vector<SmmuCommand> issued() const {
    std::vector<SmmuCommand> out;
    for (const SmmuTrace& t : trace)
      if (const auto* i = std::get_if<SmmuTrace::Issued>(&t.item)) out.push_back(i->cmd);
    return out;
  }
  smmu::Entry entry_at(u64 pa) const {
    smmu::Entry e;
    for (unsigned i = 0; i < smmu::entry_qwords; ++i) e[i] = mem.read(pa + 8 * i);
    return e;
  }
};

inline PgtableCfg s1_cfg(u64 pgsizes = (u64{1} << 12) | (u64{1} << 21) | (u64{1} << 30),
                         unsigned ias = 48, unsigned oas = 48) {
  PgtableCfg c;
  c.format = Format::arm64_lpae_s1;
  c.pgsize_bitmap = pgsizes;
  c.ias = ias;
  c.oas = oas;
  return c;
}
inline PgtableCfg s2_cfg(u64 pgsizes = (u64{1} << 12) | (u64{1} << 21) | (u64{1} << 30),
                         unsigned ias = 40, unsigned oas = 48) {
  PgtableCfg c = s1_cfg(pgsizes, ias, oas);
  c.format = Format::arm64_lpae_s2;
  return c;
}

}  // namespace iovet::test
