// The one variant catalogue: every `--variant` name, the source it runs, and a factory per
// target it can run. run_case resolves a case's variant here once; `iovet list variants`
// prints it. Hand models (ref/, impl/), kernel trees compiled at run time (kernel/) and the
// planted-fault variants tests register all live here.
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "kernel/tree.h"
#include "ref/models.h"
#include "case/case.h"
#include "spec/config.h"
#include "spec/unit/dma_layer.h"
#include "spec/unit/iova_allocator.h"
#include "spec/unit/page_table.h"
#include "spec/unit/smmu.h"

namespace iovet {

struct Variant {
  // Named, with no factory yet: the caller sets those of the targets it runs.
  Variant(std::string n, std::string src, std::string sum)
      : name(std::move(n)), source(std::move(src)), summary(std::move(sum)) {}

  std::string name;
  std::string source;   // the kernel source it runs (a tree) or models (a hand transcription)
  std::string summary;
  // Empty when the variant does not run that target. Factories throw std::invalid_argument
  // for a configuration the implementation cannot take.
  // init_iova_domain(cfg.granule, start_pfn); end_pfn is the 2015 API's dma_32bit_pfn.
  std::function<std::unique_ptr<IovaAllocator>(const Config&, u64 start_pfn, u64 end_pfn)> iova;
  std::function<std::unique_ptr<DmaLayer>(const Config&)> dma;
  std::function<std::unique_ptr<PageTable>(const Config&)> pgtable;
  std::function<std::unique_ptr<SmmuStack>(const Config&, bool observe)> smmu;
  // Kernel-tree variants: the tree (found, extracted and built on first use).
  std::function<KernelTree()> tree;
  // Why the implementation cannot take a configuration at all (a kernel's BUG_ON at init on a
  // setup no real system makes); empty when it can. Campaigns discard such cases.
  std::function<std::optional<std::string>(const Config&, Target)> refuses;

  // Its page table checks nothing the IOMMU core checks before calling io-pgtable (alignment,
  // ias/oas, overlap, unmapping what is not mapped), as Linux's own: the pgtable workload then
  // keeps to that contract (docs/kernel.md lists what happens outside it).
  bool trusts_caller = false;

  bool runs(Target t) const;  // has a factory for t
};

const std::deque<Variant>& variants();
const Variant* find_variant(std::string_view name);
// Adds a variant, or replaces the one of that name (tests: planted faults).
void register_variant(Variant v);

// `--kernel-tree DIR`: variant "kernel-tree" runs that tree; `iovet vet` names its two trees
// "base" and "patched". Throws InputError for a directory that is not a kernel tree.
inline constexpr const char* kKernelTreeVariant = "kernel-tree";
void register_kernel_tree(const std::string& dir, const std::string& name = kKernelTreeVariant);

// What a case found on a kernel-tree variant records: "Linux 6.1.192, sources 3f2a...".
std::optional<std::string> kernel_provenance(const Variant& v, const Config& cfg);

}  // namespace iovet
