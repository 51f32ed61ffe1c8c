// `iovet list variants|properties|rules`
#include <iostream>

#include "cli/commands.h"
#include "props/catalog.h"
#include "ref/registry.h"
#include "run/smmu_stack.h"
#include "smt/prove.h"
#include "spec/rules.h"

namespace iovet::cli {

int list(const std::string& what) {
  if (what == "variants") {
    std::cout << "dma variants (target dma):\n";
    for (const DmaVariant& v : dma_variants())
      std::cout << "  " << v.name << "\n      models: " << v.kernel_source << "\n      " << v.summary
                << "\n      iova allocator: " << v.iova_variant << "\n";
    std::cout << "iova allocators (target iova; a dma variant's name selects the allocator it ran on):\n";
    for (const IovaVariant& v : iova_variants()) std::cout << "  " << v.name << "\n      models: " << v.kernel_source << "\n";
    std::cout << "page tables (target pgtable; a dma variant name leaves the choice to config.pgtable):\n"
                 "  impl\n      the ARM LPAE io-pgtable of impl/ (drivers/iommu/io-pgtable-arm.c)\n"
                 "  ref\n      the reference page table of ref/pgtable/\n";
    std::cout << "smmu stacks (target smmu; config.smmu.mode picks strict or lazy):\n";
    for (const SmmuVariant& v : smmu_variants()) std::cout << "  " << v.name << "\n      " << v.summary << "\n";
  } else if (what == "properties") {
    for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu})
      for (const Property& p : properties_for(t)) std::cout << p.name << "\n";
  } else if (what == "proofs") {
    for (const smt::ObligationInfo& o : smt::list_obligations())
      std::cout << o.id << "  [" << o.variant << "]  " << o.statement << "\n      covers: " << o.covers
                << "\n      widths: " << o.widths << "\n";
  } else {
    for (const Rule& r : all_rules()) std::cout << r.id << "  [" << class_name(r.cls) << "]  " << r.text << "\n";
  }
  return 0;
}

}  // namespace iovet::cli
