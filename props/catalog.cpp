#include "props/catalog.h"

#include "props/gen_dma.h"
#include "props/gen_iova.h"
#include "props/gen_pgtable.h"
#include "props/gen_smmu.h"

namespace iovet {
namespace {

void add_all(std::vector<Property>& out, const std::string& workload, Target t, Phase phase,
             std::initializer_list<const char*> rules, std::function<rc::Gen<Case>(const std::string&)> gen) {
  for (const char* r : rules) out.push_back({workload + "/" + r, t, r, phase, "", gen});
}

auto dma_gen(gen::DmaWorkload w) {
  return [w](const std::string& v) { return gen::dma_case(w, v); };
}

}  // namespace

std::vector<Property> properties_for(Target t) {
  using gen::DmaWorkload;
  std::vector<Property> p;
  if (t == Target::dma) {
    const auto sg_rules = {"sg.translation", "sg.length", "sg.order", "sg.max_seg_size", "sg.boundary",
                           "sg.dma_mask", "sg.count", "sg.restore", "sg.contiguity", "dma.spurious_failure"};
    const auto misuse_rules = {"dma.crash", "dma.bug", "dma.hang", "dma.misuse"};
    add_all(p, "dma.sg", t, Phase::valid_use, sg_rules, dma_gen(DmaWorkload::sg));
    add_all(p, "dma.sg_aligned", t, Phase::valid_use, sg_rules, dma_gen(DmaWorkload::sg_aligned));
    // The 2015 review's straddle: a lone entry laid out across a boundary, not a bad merge.
    p.push_back({"dma.sg_aligned/sg.boundary.lone-entry", t, "sg.boundary", Phase::valid_use, "lone-entry",
                 dma_gen(DmaWorkload::sg_aligned)});
    add_all(p, "dma.stateful", t, Phase::valid_use,
            {"dma.crash", "dma.bug", "dma.hang", "dma.offset", "dma.leak", "sg.dma_mask", "pt.translation",
             "pt.permission", "dma.spurious_failure", "dma.init", "dma.reserved"},
            dma_gen(DmaWorkload::stateful));
    add_all(p, "dma.double_unmap", t, Phase::misuse, misuse_rules, dma_gen(DmaWorkload::double_unmap));
    add_all(p, "dma.iommu_unmap", t, Phase::misuse, misuse_rules, dma_gen(DmaWorkload::iommu_unmap));
    add_all(p, "dma.bogus_unmap", t, Phase::misuse, misuse_rules, dma_gen(DmaWorkload::bogus_unmap));
  } else if (t == Target::iova) {
    add_all(p, "iova.stateful", t, Phase::valid_use,
            {"iova.overlap", "iova.alignment", "iova.window", "iova.zero", "iova.spurious_failure", "dma.crash",
             "dma.bug", "dma.hang"},
            [](const std::string& v) { return gen_iova_case(v); });
  } else if (t == Target::pgtable) {
    // The same workload over the optimised table and, as a second set, the reference one.
    for (PgtableKind k : {PgtableKind::impl, PgtableKind::ref})
      add_all(p, "pgtable." + std::string(pgtable_name(k)), t, Phase::valid_use,
              {"pt.translation", "pt.permission", "pt.exists", "pt.range", "pt.partial", "pt.leak", "dma.crash",
               "dma.bug", "dma.hang"},
              [k](const std::string& v) { return gen::pgtable_case(k, v); });
  } else if (t == Target::smmu) {
    for (bool lazy : {false, true}) {
      std::vector<const char*> rules = {"smmu.translation", "smmu.stale", "smmu.hitless", "smmu.config",
                                        "smmu.cmdq", "smmu.event", "smmu.walk", "pt.translation",
                                        "pt.permission", "dma.crash"};
      // Lazy mode defers leaves, never a freed table's walk-cache entries: smmu.invalidation too.
      rules.push_back("smmu.invalidation");
      if (lazy) rules.push_back("smmu.flush_queue");
      for (const char* r : rules)
        p.push_back({std::string(lazy ? "smmu.lazy/" : "smmu.strict/") + r, t, r, Phase::valid_use, "",
                     [lazy](const std::string& v) { return gen::smmu_case(lazy, v); }});
    }
  }
  return p;
}

}  // namespace iovet
