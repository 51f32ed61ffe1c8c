// The SMMUv3 programming interface as a driver reaches it: 32- and 64-bit accesses to the
// register pages (page 1 registers at offset 0x10000, as the architecture lays them out).
#pragma once
#include "spec/types.h"

namespace iovet {

class SmmuMmio {
 public:
  virtual ~SmmuMmio() = default;
  virtual u32 readl(u64 off) = 0;
  virtual void writel(u64 off, u32 v) = 0;
  virtual u64 readq(u64 off) = 0;
  virtual void writeq(u64 off, u64 v) = 0;
};

}  // namespace iovet
