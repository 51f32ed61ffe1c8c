// The linux-6.1 variant runs the tree's own iova.c, io-pgtable-arm.c and dma-iommu.c, judged
// by the same spec as the hand models.
#include <catch2/catch.hpp>

#include "case/case_files.h"
#include "case/case_json.h"
#include "case/input_error.h"
#include "kernel/kernel_iova.h"
#include "kernel/library.h"
#include "props/diff.h"
#include "run/run.h"
#include "run/variants.h"
#include "tests/kernel/mainline_sac_variant.h"
#include "tests/kernel/scratch_tree.h"

using namespace iovet;

TEST_CASE("linux-6.1: the tree's iova.c allocates top-down, size-aligned, below the limit", "[kernel]") {
  KernelIova iova(load_kernel_library(kerneltest::linux_6_1(), 12), 4096, 1);
  const auto a = iova.alloc(4, 0xfffff, true);
  REQUIRE(a);
  CHECK(a->pfn_lo == 0xffffc);
  CHECK(a->pfn_hi == 0xfffff);
  CHECK(iova.find(0xffffd) == a);
  iova.free(0xffffc);
  CHECK(!iova.find(0xffffd));
  CHECK(iova.reserve(0x100, 0x1ff));
  CHECK(iova.reserved() == std::vector<IovaRange>{{0x100, 0x1ff}});
  const u64 fast = iova.alloc_fast(1, 0xfffff, true);
  CHECK(fast == 0xfffff);
  iova.free_fast(fast, 1);
  CHECK(iova.cached() == std::vector<IovaRange>{{0xfffff, 0xfffff}});  // in the rcache, not freed
  CHECK(iova.allocated().empty());
}

TEST_CASE("linux-6.1: every mainline corpus case of dma, iova and pgtable replays with mainline's verdict", "[kernel]") {
  int replayed = 0;
  for (const std::string& file : list_case_files({std::string(IOVET_SOURCE_DIR) + "/corpus/mainline"})) {
    const Case c = load_case(file, false, nullptr);
    const RunOptions on_tree{"linux-6.1"};
    // SMMU cases differ where 6.1's driver is not hitless (tests/kernel/smmu_driver_test.cpp); a
    // granule above PAGE_SIZE is refused by 6.1's init_iova_domain() (mainline allows it).
    if (c.target == Target::smmu || refused(c, on_tree)) continue;
    INFO(file);
    const Verdict model = judge_replay(c, run_case(c, {}));
    const Verdict tree = judge_replay(c, run_case(c, on_tree));
    CHECK(status_name(tree.status) == status_name(model.status));
    CHECK(tree.message == model.message);
    ++replayed;
  }
  CHECK(replayed >= 6);
}

TEST_CASE("linux-6.1: iovet diff against the mainline model finds no divergence in iova and dma", "[kernel]") {
  CampaignOptions opt;
  opt.seed = 7;
  opt.runs = 300;
  // For dma, the model as of 6.1's PCI SAC behaviour: that documented version difference
  // (pinned by corpus/linux-6.1/linux-6.1-pci-sac-retries-below-4g.json, tests/kernel/pci_windows_test.cpp)
  // would be every PCI workload's first divergence and hide any other.
  for (Target t : {Target::iova, Target::dma}) {
    const std::string model = t == Target::dma ? kerneltest::mainline_sac_every_time() : "mainline";
    for (const DiffResult& d : diff_target(t, model, "linux-6.1", opt)) {
      INFO(d.workload << ": " << (d.divergence ? describe_sides(*d.divergence, model, "linux-6.1") : d.error));
      CHECK(d.error.empty());
      CHECK(!d.divergence);
      CHECK(d.runs > 0);
    }
  }
}

TEST_CASE("a directory that is not a kernel tree is an input error naming it", "[kernel]") {
  const auto dir = std::filesystem::temp_directory_path() / "iovet-kernel-tests" / "not-a-tree";
  std::filesystem::create_directories(dir);
  try {
    register_kernel_tree(dir.string());
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find(dir.string()) != std::string::npos);
    CHECK(std::string(e.what()).find("not a kernel tree") != std::string::npos);
  }
}

TEST_CASE("a tree that does not compile is an input error with the compiler's message", "[kernel]") {
  const std::string dir = kerneltest::scratch_tree("syntax-error", {"iova-syntax-error"});
  register_kernel_tree(dir);
  Case c;
  c.name = "t";
  c.target = Target::iova;
  c.ops.push_back({op::IovaAlloc{"a", 1, 0xfffff, true, false}, {}});
  try {
    run_case(c, {kKernelTreeVariant});
    FAIL("no error");
  } catch (const InputError& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(what.find(dir) != std::string::npos);
    CHECK(what.find("does not compile") != std::string::npos);
    CHECK(what.find("iova.c") != std::string::npos);
    CHECK(what.find("error") != std::string::npos);
  }
}
