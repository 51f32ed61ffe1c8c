// The physical address space a device-side model reads: several PhysMem regions (the
// driver's coherent allocations, each page table's arena), and host windows where the physical
// address is the process address (the page pool kernel code under test allocates its queues,
// stream and CD tables and page tables from). An address outside every region is an external
// abort.
#pragma once
#include <vector>

#include "impl/phys_mem.h"

namespace iovet {

class SystemMemory {
 public:
  void add(const PhysMem& m) { regions_.push_back(&m); }
  void add_host_window(u64 base, u64 size) { windows_.push_back({base, base + size}); }
  // 64-bit aligned accesses; false when no region holds pa.
  bool read64(u64 pa, u64* v) const {
    for (const PhysMem* m : regions_)
      if (m->contains(pa)) return *v = m->read(pa), true;
    if (u64* p = host(pa)) return *v = *p, true;
    return false;
  }
  bool write64(u64 pa, u64 v) const {
    for (const PhysMem* m : regions_)
      if (m->contains(pa)) return m->write(pa, v), true;
    if (u64* p = host(pa)) return *p = v, true;
    return false;
  }

 private:
  struct Window {
    u64 lo, end;
  };
  u64* host(u64 pa) const {
    for (const Window& w : windows_)
      if (pa >= w.lo && pa < w.end) return reinterpret_cast<u64*>(static_cast<std::uintptr_t>(pa));
    return nullptr;
  }
  std::vector<const PhysMem*> regions_;
  std::vector<Window> windows_;
};

}  // namespace iovet
