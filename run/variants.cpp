#include "run/variants.h"

#include "impl/io_pgtable_arm.h"
#include "kernel/kernel_dma.h"
#include "kernel/kernel_iova.h"
#include "kernel/kernel_pgtable.h"
#include "kernel/kernel_smmu.h"
#include "ref/pgtable/ref_page_table.h"
#include "run/make_page_table.h"
#include "run/smmu_stack.h"

namespace iovet {
namespace {

unsigned page_shift(const Config& c) { return ilog2(c.page_size); }

// A hand DMA model with the allocator its kernel ran on, over the page table config.pgtable
// names (impl or ref); mainline also drives the simulated SMMU stack.
Variant hand_variant(const DmaModel& m) {
  Variant v{m.name, m.kernel_source, m.summary};
  v.iova = [make = find_iova_model(m.iova_model)->make](const Config& c, u64 start_pfn, u64 end_pfn) {
    return make(c.granule, start_pfn, end_pfn);
  };
  v.dma = [&m](const Config& c) { return m.make(c, make_page_table(c)); };
  v.pgtable = make_page_table;
  if (m.name == "mainline")
    v.smmu = [](const Config& c, bool observe) { return make_smmu_stack(c, SmmuVariant{}, observe); };
  else
    v.refuses = [](const Config& c, Target t) -> std::optional<std::string> {
      if (t == Target::dma && c.smmu.lazy) return "the 2015 dma-iommu.c has no flush queue (DMA-FQ)";
      return std::nullopt;
    };
  return v;
}

// A kernel tree's own iova.c, io-pgtable-arm.c and dma-iommu.c, built on first use.
Variant tree_variant(std::string name, std::string source, std::function<KernelTree()> tree) {
  Variant v{std::move(name), std::move(source),
            "the tree's iova.c, io-pgtable-arm.c, dma-iommu.c (strict or DMA-FQ) and arm-smmu-v3.c, compiled against iovet's shim"};
  v.tree = tree;
  v.trusts_caller = true;
  v.iova = [tree](const Config& c, u64 start_pfn, u64) -> std::unique_ptr<IovaAllocator> {
    return std::make_unique<KernelIova>(load_kernel_library(tree(), page_shift(c)), c.granule, start_pfn);
  };
  v.refuses = [](const Config& c, Target) -> std::optional<std::string> {
    if (c.granule != 4096 && c.granule != 16384 && c.granule != 65536)
      return "io-pgtable-arm.c has no " + std::to_string(c.granule) + "-byte granule";
    if (c.granule > c.page_size) return "init_iova_domain() BUG()s on a granule larger than PAGE_SIZE";
    if (c.smmu.lazy && c.smmu.fq_size != 256) return "the tree's flush queue has IOVA_FQ_SIZE (256) entries";
    return std::nullopt;
  };
  v.pgtable = [tree](const Config& c) -> std::unique_ptr<PageTable> {
    return std::make_unique<KernelPgtable>(load_kernel_library(tree(), page_shift(c)), pgtable_cfg(c));
  };
  v.dma = [tree](const Config& c) -> std::unique_ptr<DmaLayer> {
    return std::make_unique<KernelDma>(load_kernel_library(tree(), page_shift(c)), c, pgtable_cfg(c));
  };
  // The SMMU the case describes, offering only the case's granule and, for a stage-2 case, no
  // stage 1: arm_smmu_domain_finalise() then picks the case's stage and granule itself.
  v.smmu = [tree](const Config& c, bool observe) -> std::unique_ptr<SmmuStack> {
    SmmuHwParams hw = smmu_hw_params(c);
    hw.s1 = c.format == Format::arm64_lpae_s1;
    hw.gran4k = c.granule == 4096;
    hw.gran16k = c.granule == 16384;
    hw.gran64k = c.granule == 65536;
    return std::make_unique<KernelSmmuStack>(load_kernel_library(tree(), page_shift(c)), c, hw, observe);
  };
  return v;
}

std::deque<Variant> builtin() {
  std::deque<Variant> v;
  for (const DmaModel& m : dma_models()) v.push_back(hand_variant(m));
  for (const IovaModel& m : iova_models())
    if (!find_dma_model(m.name)) {
      Variant iova{m.name, m.kernel_source, "IOVA allocator only"};
      iova.iova = [make = m.make](const Config& c, u64 start_pfn, u64 end_pfn) { return make(c.granule, start_pfn, end_pfn); };
      v.push_back(std::move(iova));
    }
  Variant impl{"impl", "drivers/iommu/io-pgtable-arm.c (impl/: the optimised ARM LPAE tables)", "page table only"};
  impl.pgtable = [](const Config& c) { return make_arm_lpae_pgtable(pgtable_cfg(c)); };
  v.push_back(std::move(impl));
  Variant ref{"ref", "the reference page table of ref/pgtable/", "page table only"};
  ref.pgtable = [](const Config& c) { return make_ref_page_table(pgtable_cfg(c)); };
  v.push_back(std::move(ref));
  v.push_back(tree_variant("linux-6.1", "Linux 6.1 from Debian's linux-source-6.1, compiled at run time", [] {
    static const KernelTree t = debian_kernel_tree();
    return t;
  }));
  return v;
}

// A deque: registering must not move the variants already handed out.
std::deque<Variant>& catalogue() {
  static std::deque<Variant> v = builtin();
  return v;
}

}  // namespace

bool Variant::runs(Target t) const {
  switch (t) {
    case Target::dma: return bool(dma);
    case Target::iova: return bool(iova);
    case Target::pgtable: return bool(pgtable);
    case Target::smmu: return bool(smmu);
  }
  return false;
}

const std::deque<Variant>& variants() { return catalogue(); }

const Variant* find_variant(std::string_view name) {
  for (const Variant& v : catalogue())
    if (v.name == name) return &v;
  return nullptr;
}

void register_variant(Variant v) {
  for (Variant& old : catalogue())
    if (old.name == v.name) return void(old = std::move(v));
  catalogue().push_back(std::move(v));
}

void register_kernel_tree(const std::string& dir, const std::string& name) {
  const KernelTree t = open_kernel_tree(dir);
  register_variant(tree_variant(name, "Linux " + t.version + " from " + t.root, [t] { return t; }));
}

std::optional<std::string> kernel_provenance(const Variant& v, const Config& cfg) {
  if (!v.tree) return std::nullopt;
  const KernelLibrary& lib = load_kernel_library(v.tree(), page_shift(cfg));
  return "Linux " + lib.tree.version + ", sources " + lib.source_hash;
}

}  // namespace iovet
