#include "case_gen.h"

#include "spec/rules.h"

namespace iovet::test {
namespace {

class Gen {
 public:
  explicit Gen(std::mt19937_64& rng) : rng_(rng) {}

  u64 below(u64 n) { return std::uniform_int_distribution<u64>(0, n - 1)(rng_); }
  bool coin() { return below(2) == 0; }
  // Any 64-bit value, edges included.
  u64 any() {
    static constexpr u64 edges[] = {0, 1, 0xfff, 0x1000, (u64{1} << 53) - 1, u64{1} << 53,
                                    (u64{1} << 53) + 1, 0xffffffff, ~u64{0} - 1, ~u64{0}};
    return coin() ? edges[below(std::size(edges))] : rng_();
  }
  u64 mask() { return below(5) == 0 ? ~u64{0} : (u64{1} << (12 + below(52))) - 1; }
  template <class T, size_t N>
  T pick(const T (&a)[N]) { return a[below(N)]; }
  Dir dir() { return pick({Dir::bidirectional, Dir::to_device, Dir::from_device}); }
  Range range() {
    u64 a = any(), b = any();
    return {std::min(a, b), std::max(a, b)};
  }

 private:
  std::mt19937_64& rng_;
};

Config random_config(Gen& g) {
  Config c;
  if (g.coin()) return c;  // the default, written without a config object
  c.page_size = g.pick({u64{4096}, u64{16384}, u64{65536}});
  c.granule = g.pick({u64{4096}, u64{16384}, u64{65536}});
  c.format = g.coin() ? Format::arm64_lpae_s1 : Format::arm64_lpae_s2;
  c.pgtable = g.coin() ? PgtableKind::impl : PgtableKind::ref;
  c.partial_unmap = g.coin() ? PartialUnmap::refuse : PartialUnmap::split;
  c.ias = static_cast<unsigned>(32 + g.below(17));
  c.oas = g.pick({32u, 36u, 40u, 42u, 44u, 48u});  // what TCR.IPS encodes (validate())
  c.start_pfn = 1 + g.below(1000);
  if (g.coin()) c.domain.aperture = g.range();
  for (u64 i = g.below(3); i > 0; --i) c.domain.reserved.push_back(g.range());
  c.device.dma_mask = g.mask();
  if (g.coin()) c.device.coherent_dma_mask = g.mask();
  c.device.seg_boundary_mask = g.mask();
  c.device.max_seg_size = 1 + g.below(0xffffffff);
  c.device.coherent = g.coin();
  if (g.coin()) {
    PciHostBridge& b = c.device.pci.emplace();
    for (u64 i = g.below(3); i > 0; --i) b.windows.push_back(g.range());
    for (u64 i = g.below(4); i > 0; --i) {
      const Range r = g.range();
      const u64 offset = g.coin() || r.first == ~u64{0} ? 0 : g.below(r.first + 1);
      if (r.last - offset != ~u64{0}) b.dma_ranges.push_back({r.first, r.last, offset});
    }
  }
  return c;
}

// Ids are fresh names, so none is created twice while live; references only name ids of the
// right kind that exist (unmapping one twice is legal input).
std::vector<Op> dma_ops(Gen& g, const Config& c) {
  std::vector<Op> ops;
  std::vector<std::string> pages, sgs, allocs, all;
  auto page = [&] { return g.any() / c.page_size * c.page_size; };
  for (u64 n = g.below(12); n > 0; --n) {
    Op op;
    const std::string id = "h" + std::to_string(ops.size());
    switch (g.below(9)) {
      case 0:
        op.body = op::MapPage{id, page(), g.any(), g.any(), g.dir()};
        if (g.coin()) op.expect.error = g.coin();
        pages.push_back(id), all.push_back(id);
        break;
      case 1: {
        op::MapSg m{id, {}, g.dir()};
        for (u64 k = 1 + g.below(4); k > 0; --k) m.sg.push_back({page(), g.any(), 1 + g.below(1 << 20)});
        op.body = m;
        if (g.coin()) op.expect.count = g.below(5);
        if (g.coin()) op.expect.error = g.coin();
        sgs.push_back(id), all.push_back(id);
        break;
      }
      case 2:
        op.body = op::Alloc{id, g.any()};
        allocs.push_back(id), all.push_back(id);
        break;
      case 3:
        if (pages.empty()) continue;
        op.body = op::UnmapPage{pages[g.below(pages.size())]};
        break;
      case 4:
        if (sgs.empty()) continue;
        op.body = op::UnmapSg{sgs[g.below(sgs.size())]};
        break;
      case 5:
        if (allocs.empty()) continue;
        op.body = op::Free{allocs[g.below(allocs.size())]};
        break;
      case 6:
        op.body = op::UnmapPageRaw{g.any(), g.any(), g.dir()};
        break;
      case 7:
        if (!all.empty() && g.coin()) op.body = op::IommuUnmap{all[g.below(all.size())], 0, 0};
        else op.body = op::IommuUnmap{std::nullopt, g.any(), g.any()};
        break;
      default:
        if (!all.empty() && g.coin()) op.body = op::Access{all[g.below(all.size())], g.any(), 0, g.coin()};
        else op.body = op::Access{std::nullopt, 0, g.any(), g.coin()};
        if (g.coin()) op.expect.fault = g.coin();
        if (g.coin()) op.expect.phys = g.any();
        break;
    }
    ops.push_back(op);
  }
  return ops;
}

std::vector<Op> iova_ops(Gen& g) {
  std::vector<Op> ops;
  std::vector<std::string> live;
  for (u64 n = g.below(12); n > 0; --n) {
    Op op;
    switch (g.below(3)) {
      case 0: {
        const std::string id = "a" + std::to_string(ops.size());
        op.body = op::IovaAlloc{id, g.any(), g.any(), g.coin(), g.coin()};
        if (g.coin()) op.expect.pfn = g.any();
        else if (g.coin()) op.expect.error = true;
        live.push_back(id);
        break;
      }
      case 1:
        if (live.empty()) continue;
        op.body = op::IovaFree{live[g.below(live.size())], g.coin()};
        break;
      default:
        op.body = op::IovaReserve{g.any(), g.any()};
        if (g.coin()) op.expect.error = g.coin();
        break;
    }
    ops.push_back(op);
  }
  return ops;
}

std::vector<Op> pgtable_ops(Gen& g) {
  std::vector<Op> ops;
  for (u64 n = g.below(12); n > 0; --n) {
    Op op;
    switch (g.below(3)) {
      case 0:
        op.body = op::PtMap{g.any(), g.any(), g.any(), g.any(), static_cast<int>(g.below(64))};
        if (g.coin()) op.expect.mapped = g.any();
        if (g.coin()) op.expect.errno_name = g.pick({"EEXIST", "EINVAL", "ERANGE", "ENOMEM"});
        else if (g.coin()) op.expect.error = g.coin();
        break;
      case 1:
        op.body = op::PtUnmap{g.any(), g.any(), g.any()};
        if (g.coin()) op.expect.unmapped = g.any();
        break;
      default:
        op.body = op::PtIovaToPhys{g.any()};
        if (g.coin()) op.expect.phys = g.any();
        break;
    }
    ops.push_back(op);
  }
  return ops;
}

}  // namespace

Case random_case(std::mt19937_64& rng, int index) {
  Gen g(rng);
  Case c;
  c.name = "gen-" + std::to_string(index) + ".x_y";
  if (g.coin()) c.description = "generated case \"" + std::to_string(index) + "\"\n\twith escapes";
  c.target = g.pick({Target::dma, Target::iova, Target::pgtable});
  if (g.coin()) c.variant = g.pick({"mainline", "seed-v5"});
  c.config = random_config(g);
  switch (c.target) {
    case Target::dma: c.ops = dma_ops(g, c.config); break;
    case Target::iova: c.ops = iova_ops(g); break;
    default: c.ops = pgtable_ops(g); break;
  }
  const auto rules = all_rules();
  for (u64 n = g.below(3); n > 0; --n) c.expect_rules.emplace_back(rules[g.below(rules.size())].id);
  for (u64 n = g.below(2); n > 0; --n) c.allow_rules.emplace_back(rules[g.below(rules.size())].id);
  if (g.coin())
    c.provenance = {{"found_by", "check"}, {"seed", g.any()}, {"tool_version", "0.1.0"}};
  return c;
}

}  // namespace iovet::test
