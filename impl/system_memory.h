// The physical address space a device-side model reads: several PhysMem regions (the
// driver's coherent allocations, each page table's arena). An address outside every region
// is an external abort.
#pragma once
#include <vector>

#include "impl/phys_mem.h"

namespace iovet {

class SystemMemory {
 public:
  void add(const PhysMem& m) { regions_.push_back(&m); }
  // 64-bit aligned accesses; false when no region holds pa.
  bool read64(u64 pa, u64* v) const {
    for (const PhysMem* m : regions_)
      if (m->contains(pa)) return *v = m->read(pa), true;
    return false;
  }
  bool write64(u64 pa, u64 v) const {
    for (const PhysMem* m : regions_)
      if (m->contains(pa)) return m->write(pa, v), true;
    return false;
  }

 private:
  std::vector<const PhysMem*> regions_;
};

}  // namespace iovet
