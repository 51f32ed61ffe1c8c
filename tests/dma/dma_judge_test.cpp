// DmaJudge on hand-made observations: dma.offset, dma.leak, device accesses (pt.translation,
// pt.permission), misuse handling and dma.misuse.
#include <catch2/catch.hpp>

#include "spec/dma_judge.h"
#include "tests/dma/dma_test_util.h"

using namespace iovet;
using namespace iovet::dmatest;

namespace {

std::vector<std::string> rules(std::vector<Violation> v) {
  std::vector<std::string> r;
  for (const Violation& x : v) r.push_back(x.rule);
  return r;
}

Translation rw(u64 phys) { return {true, phys, true, true}; }
Translation ro(u64 phys) { return {true, phys, true, false}; }
Translation wo(u64 phys) { return {true, phys, false, true}; }
const Translation fault{};

}  // namespace

TEST_CASE("dma judge: dma.offset fires when map_page loses the in-granule offset") {
  DmaJudge j(config(), true);
  j.set_op(0);
  j.map_page("a", 0x40000123, 0x100, Dir::bidirectional, 0xfffff000);
  const auto v = j.take();
  REQUIRE(rules(v) == std::vector<std::string>{"dma.offset"});
  CHECK(v[0].op == 0);
  j.map_page("b", 0x40000123, 0x100, Dir::bidirectional, 0xffffe123);
  CHECK(j.take().empty());
  // A failed mapping records nothing; with IOVA space free it is a spurious failure.
  j.map_page("c", 0x40000123, 0x100, Dir::bidirectional, DMA_MAPPING_ERROR);
  CHECK(rules(j.take()) == std::vector<std::string>{"dma.spurious_failure"});
  CHECK(j.live("c") == nullptr);
}

TEST_CASE("dma judge: dma.spurious_failure only where an aligned run of twice the need is free") {
  Config c = config();
  c.domain.aperture = Range{0, 0x7fff};  // pfns 1..7 (pfn 0 is never handed out)
  DmaJudge j(c, true);
  const u64 fail = DMA_MAPPING_ERROR;
  j.map_page("x", 0x40000000, 0x1000, Dir::bidirectional, fail);
  CHECK(rules(j.take()) == std::vector<std::string>{"dma.spurious_failure"});
  // Live mappings at pfns 2, 4 and 6: no aligned pair of free pfns is left.
  for (u64 pfn : {2, 4, 6}) j.map_page("m" + std::to_string(pfn), 0x40000000, 0x1000, Dir::bidirectional, pfn << 12);
  j.take();
  j.map_page("x", 0x40000000, 0x1000, Dir::bidirectional, fail);
  CHECK(j.take().empty());
  REQUIRE(j.release("m4"));
  SECTION("a released IOVA is free again") {
    j.map_page("x", 0x40000000, 0x1000, Dir::bidirectional, fail);
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.spurious_failure"});
  }
  SECTION("unless it waits in the flush queue") {
    j.set_queued({{4, 4}});
    j.map_page("x", 0x40000000, 0x1000, Dir::bidirectional, fail);
    CHECK(j.take().empty());
  }
  SECTION("two granules need an aligned run of four") {
    j.map_page("x", 0x40000000, 0x1001, Dir::bidirectional, fail);
    CHECK(j.take().empty());
  }
  SECTION("nothing is judged after misuse") {
    j.set_op(1);
    j.misuse("test");
    j.map_page("x", 0x40000000, 0x1000, Dir::bidirectional, fail);
    CHECK(j.take().empty());
  }
}

TEST_CASE("dma judge: dma.leak fires when IOVA or leaves remain after every release") {
  DmaJudge j(config(), true);
  j.map_page("a", 0x40000000, 0x1000, Dir::bidirectional, 0xfffff000);
  SECTION("still live: nothing to say yet") {
    j.finish({{{0xfffff, 0xfffff}}, {}, {{0xfffff000, 0x1000, 0x40000000, 3}}});
    CHECK(j.take().empty());
  }
  REQUIRE(j.release("a"));
  SECTION("IOVA still allocated") {
    j.finish({{{0xfffff, 0xfffff}}, {}, {}});
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.leak"});
  }
  SECTION("IOVA cached for reuse counts as free") {
    j.finish({{{0xfffff, 0xfffff}}, {{0xfffff, 0xfffff}}, {}});
    CHECK(j.take().empty());
  }
  SECTION("a leaf still mapped") {
    j.finish({{}, {}, {{0xfffff000, 0x1000, 0x40000000, 3}}});
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.leak"});
  }
  SECTION("clean") {
    j.finish({{}, {}, {}});
    CHECK(j.take().empty());
  }
}

TEST_CASE("dma judge: a list outside dma_parms, or memory beyond oas, may fail") {
  DmaJudge j(config(), true);  // max_seg_size 64 KiB, boundary none
  const auto none = [](u64) { return Translation{}; };
  j.map_sg("x", {{0x40000000, 0, 0x10001}}, Dir::bidirectional, -22, {{0x40000000, 0, 0x10001}}, none);
  j.map_page("y", u64{1} << 48, 0x1000, Dir::bidirectional, DMA_MAPPING_ERROR);
  CHECK(j.take().empty());
  j.map_sg("x", {{0x40000000, 0, 0x10000}}, Dir::bidirectional, -22, {{0x40000000, 0, 0x10000}}, none);
  CHECK(rules(j.take()) == std::vector<std::string>{"dma.spurious_failure"});
}

TEST_CASE("dma judge: a to_device mapping must not be writable by the device") {
  DmaJudge j(config(), false);
  j.map_page("a", 0x40000000, 0x1000, Dir::to_device, 0xfffff000);
  j.access(0xfffff010, true, rw(0x40000010));
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.permission"});
  j.access(0xfffff010, true, ro(0x40000010));  // the write faults: right
  j.access(0xfffff010, false, ro(0x40000010));  // reads are its purpose
  CHECK(j.take().empty());
  j.access(0xfffff010, false, fault);  // but a read that faults is wrong
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.translation"});
}

TEST_CASE("dma judge: a from_device read faults only where the format can express write-only") {
  SECTION("write-only expressible (stage 2, reference table)") {
    DmaJudge j(config(), true);
    j.map_page("a", 0x40000000, 0x1000, Dir::from_device, 0xfffff000);
    j.access(0xfffff000, false, rw(0x40000000));
    CHECK(rules(j.take()) == std::vector<std::string>{"pt.permission"});
    j.access(0xfffff000, false, wo(0x40000000));
    j.access(0xfffff000, true, wo(0x40000000));
    CHECK(j.take().empty());
  }
  SECTION("not expressible (stage 1 LPAE): readable is fine") {
    DmaJudge j(config(), false);
    j.map_page("a", 0x40000000, 0x1000, Dir::from_device, 0xfffff000);
    j.access(0xfffff000, false, rw(0x40000000));
    CHECK(j.take().empty());
  }
}

TEST_CASE("dma judge: pt.translation inside a live mapping: the right phys, or a fault is wrong") {
  DmaJudge j(config(), true);
  j.map_page("a", 0x40000100, 0x200, Dir::bidirectional, 0xfffff100);
  j.access(0xfffff180, true, rw(0x40000180));
  CHECK(j.take().empty());
  j.access(0xfffff180, false, rw(0x40001180));
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.translation"});
  j.access(0xfffff180, true, fault);
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.translation"});
  j.access(0xfffff180, true, ro(0x40000180));  // granted write refused
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.permission"});
  // Granule rounding outside the caller's bytes: anything goes but extra permissions.
  j.access(0xfffff000, true, rw(0x40000000));
  j.access(0xfffff000, false, fault);
  CHECK(j.take().empty());
}

TEST_CASE("dma judge: an access outside every live mapping must fault") {
  DmaJudge j(config(), true);
  j.access(0x1000, false, rw(0x40000000));
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.translation"});
  j.access(0x1000, true, fault);
  CHECK(j.take().empty());
}

TEST_CASE("dma judge: a stale access after unmap must fault") {
  DmaJudge j(config(), true);
  j.map_page("a", 0x40000000, 0x1000, Dir::bidirectional, 0xfffff000);
  REQUIRE(j.release("a"));
  // The id still resolves to where it was, for the runner's access-by-id.
  CHECK(j.dma_of("a", 0x10) == std::optional<u64>(0xfffff010));
  j.access(0xfffff010, false, rw(0x40000010));
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.translation"});
  j.access(0xfffff010, false, fault);
  CHECK(j.take().empty());
}

TEST_CASE("dma judge: after the first misuse only dma.crash, dma.bug and dma.misuse are reported") {
  DmaJudge j(config(), true);
  j.set_op(0);
  j.map_page("a", 0x40000123, 0x100, Dir::bidirectional, 0xfffff000);  // dma.offset, before misuse
  j.set_op(1);
  REQUIRE(j.release("a"));
  CHECK_FALSE(j.in_misuse());
  j.set_op(2);
  CHECK_FALSE(j.release("a"));  // double release
  CHECK(j.in_misuse());
  CHECK(j.misuse_from() == 2);
  j.set_op(3);
  j.access(0x1000, false, rw(0x40000000));                              // pt.translation: dropped
  j.map_page("b", 0x40000123, 0x100, Dir::bidirectional, 0xffffe000);  // dma.offset: dropped
  j.kernel_died("dma.bug", "BUG_ON");
  j.set_op(4);
  j.release_raw(0x1234000, 0x1000);  // more misuse does not move misuse_from
  j.kernel_died("dma.crash", "NULL");
  j.finish({{{0x1, 0x1}}, {}, {}});  // no leak verdict after misuse
  const auto v = j.take();
  REQUIRE(rules(v) == std::vector<std::string>{"dma.offset", "dma.bug", "dma.crash"});
  CHECK(v[0].op == 0);
  CHECK(v[1].op == 3);
  CHECK(v[2].op == 4);
  CHECK(j.misuse_from() == 2);
}

// BUG (spec/dma_judge.cpp:42 and :72): `DmaMapping m{dir, extents, {}, true, size, handle, false}`
// skips the `tampered` member, so tampered = (size != 0), size = handle, handle = 0 (and for
// alloc: handle = 1, coherent_alloc = false). release_raw() then never recognises a live
// handle. This test fails until the initialisers name their members.
TEST_CASE("dma judge: unmap_page_raw of a live handle is a release, of anything else misuse (BUG spec/dma_judge.cpp:42)", "[bug]") {
  DmaJudge j(config(), true);
  j.set_op(0);
  j.map_page("a", 0x40000000, 0x1000, Dir::bidirectional, 0xfffff000);
  j.release_raw(0xfffff000, 0x1000);
  CHECK_FALSE(j.in_misuse());
  CHECK(j.live("a") == nullptr);
  j.map_page("b", 0x40000000, 0x1000, Dir::bidirectional, 0xfffff000);
  j.release_raw(0xfffff000, 0x800);  // wrong size
  CHECK(j.in_misuse());
  CHECK(j.live("b") != nullptr);
}

TEST_CASE("dma judge: dma.misuse fires when misuse frees, caches twice or unmaps something live (BUG spec/dma_judge.cpp:42 in one section)", "[bug]") {
  DmaJudge j(config(), true);
  j.set_op(0);
  j.map_page("a", 0x40000000, 0x1000, Dir::bidirectional, 0xffffe000);
  j.set_op(1);
  j.misuse("test");
  const FakeIommu mapped = FakeIommu{}.map(0xffffe000, 0x40000000, 0x1000);
  const FakeIommu unmapped{};
  const std::vector<IovaRange> held{{0xffffe, 0xffffe}};

  SECTION("consistent: nothing to report") {
    j.check_consistency({held, {}, {}}, mapped.fn());
    CHECK(j.take().empty());
  }
  SECTION("the live IOVA was freed") {
    j.check_consistency({{}, {}, {}}, mapped.fn());
    const auto v = j.take();
    REQUIRE(rules(v) == std::vector<std::string>{"dma.misuse"});
    CHECK(v[0].op == 1);
  }
  SECTION("the live IOVA was put in the rcache") {
    j.check_consistency({held, held, {}}, mapped.fn());
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.misuse"});
  }
  SECTION("a range cached for reuse twice") {
    j.check_consistency({held, {{0x5, 0x5}, {0x5, 0x5}}, {}}, mapped.fn());
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.misuse"});
  }
  // Fails with the same bug: every map_page mapping is recorded as tampered (see above), so
  // its translations are never checked after misuse.
  SECTION("the live mapping no longer translates (BUG spec/dma_judge.cpp:42)") {
    j.check_consistency({held, {}, {}}, unmapped.fn());
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.misuse"});
  }
  SECTION("reported once per case") {
    j.check_consistency({{}, {}, {}}, mapped.fn());
    j.check_consistency({{}, {}, {}}, mapped.fn());
    CHECK(j.take().size() == 1);
  }
}

TEST_CASE("dma judge: mappings hit by iommu_unmap behind the back need only keep their allocation (BUG spec/dma_judge.cpp:42 in two checks)", "[bug]") {
  DmaJudge j(config(), true);
  j.set_op(0);
  j.map_page("a", 0x40000000, 0x1000, Dir::bidirectional, 0xffffe000);
  j.map_page("b", 0x50000000, 0x1000, Dir::bidirectional, 0xfffff000);
  j.iommu_unmapped(0xffffe000, 0x1000);
  REQUIRE(j.in_misuse());
  REQUIRE(j.live("a") != nullptr);
  CHECK(j.live("a")->tampered);
  CHECK_FALSE(j.live("b")->tampered);  // fails with the spec/dma_judge.cpp:42 bug
  const std::vector<IovaRange> both{{0xffffe, 0xffffe}, {0xfffff, 0xfffff}};
  const FakeIommu only_b = FakeIommu{}.map(0xfffff000, 0x50000000, 0x1000);
  SECTION("a no longer translates, as the misuse made it: not reported") {
    j.check_consistency({both, {}, {}}, only_b.fn());
    CHECK(j.take().empty());
  }
  // Fails with the spec/dma_judge.cpp:42 bug: b is recorded as tampered, so never checked.
  SECTION("b, untouched, must still translate (BUG spec/dma_judge.cpp:42)") {
    j.check_consistency({both, {}, {}}, FakeIommu{}.fn());
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.misuse"});
  }
  SECTION("a's allocation must survive") {
    j.check_consistency({{{0xfffff, 0xfffff}}, {}, {}}, only_b.fn());
    CHECK(rules(j.take()) == std::vector<std::string>{"dma.misuse"});
  }
}

TEST_CASE("dma judge: map_sg records the entries' extents so accesses by offset find them") {
  DmaJudge j(config(), true);
  const std::vector<SgInput> in{{0x40000000, 0, 0x1000}, {0x50000000, 0x10, 0x100}};
  std::vector<Scatterlist> out{{0x40000000, 0, 0x1000, 0xffffe000, 0x1000}, {0x50000000, 0x10, 0x100, 0xfffff010, 0x100}};
  const FakeIommu iommu = FakeIommu{}.map(0xffffe000, 0x40000000, 0x1000).map(0xfffff000, 0x50000000, 0x1000);
  j.map_sg("s", in, Dir::bidirectional, 2, out, iommu.fn());
  CHECK(j.take().empty());
  CHECK(j.dma_of("s", 0x1000) == std::optional<u64>(0xfffff010));  // byte 0 of entry 1
  CHECK(j.dma_of("s", 0x1100) == std::nullopt);                    // past the end
  j.access(0xfffff020, false, rw(0x50000020));
  CHECK(j.take().empty());
  j.access(0xfffff020, false, rw(0x50000000));
  CHECK(rules(j.take()) == std::vector<std::string>{"pt.translation"});
}

TEST_CASE("dma judge: a map_page mapping records its handle, size and an untampered state (BUG spec/dma_judge.cpp:42 and 72)", "[bug]") {
  DmaJudge j(config(), true);
  j.set_op(0);
  j.map_page("a", 0x40000123, 0x100, Dir::to_device, 0xfffff123);
  const DmaMapping* a = j.live("a");
  REQUIRE(a != nullptr);
  CHECK(a->handle == 0xfffff123);
  CHECK(a->size == 0x100);
  CHECK_FALSE(a->tampered);
  CHECK_FALSE(a->coherent_alloc);
  CHECK(a->hull == Range{0xfffff000, 0xffffffff});
  j.alloc("b", 0x1800, CoherentBuffer{0xffffe000, {0x100000000, 0x100001000}});
  const DmaMapping* b = j.live("b");
  REQUIRE(b != nullptr);
  CHECK(b->handle == 0xffffe000);
  CHECK(b->size == 0x1800);
  CHECK_FALSE(b->tampered);
  CHECK(b->coherent_alloc);
  REQUIRE(b->extents.size() == 2);
  CHECK(b->extents[1].dma == 0xfffff000);
  CHECK(b->extents[1].len == 0x800);
}
