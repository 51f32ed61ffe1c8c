#include "props/gen_config.h"

#include <algorithm>

namespace iovet::gen {

static u64 mask_of_bits(unsigned k) { return k >= 64 ? ~u64{0} : (u64{1} << k) - 1; }

rc::Gen<u64> granule() {
  return rc::gen::weightedOneOf<u64>({{6, rc::gen::just<u64>(4096)}, {1, rc::gen::just<u64>(16384)},
                                      {1, rc::gen::just<u64>(65536)}});
}

rc::Gen<u64> page_size() {
  return rc::gen::weightedOneOf<u64>({{6, rc::gen::just<u64>(4096)}, {1, rc::gen::just<u64>(16384)},
                                      {1, rc::gen::just<u64>(65536)}});
}

rc::Gen<u64> seg_boundary_mask() {
  return rc::gen::map(rc::gen::weightedOneOf<unsigned>({{6, rc::gen::inRange(12u, 21u)}, {3, rc::gen::inRange(21u, 65u)},
                                                        {2, rc::gen::just(64u)}}),
                      mask_of_bits);
}

rc::Gen<u64> max_seg_size(u64 granule) {
  return rc::gen::weightedOneOf<u64>({{2, rc::gen::just<u64>(65536)},
                                      {2, rc::gen::just<u64>(0xffffffff)},
                                      {2, rc::gen::map(rc::gen::inRange(1, 64), [granule](int n) { return granule * n; })},
                                      {1, rc::gen::inRange<u64>(granule, 0xffffffff)}});
}

rc::Gen<u64> dma_mask(unsigned ias) {
  return rc::gen::map(rc::gen::weightedOneOf<unsigned>({{4, rc::gen::inRange(32u, ias + 1)}, {1, rc::gen::inRange(32u, 65u)}}),
                      mask_of_bits);
}

// A device from its parts: DMA mask, segment boundary, max_seg_size, coherency.
rc::Gen<DeviceParams> device_of(rc::Gen<u64> mask, rc::Gen<u64> boundary, rc::Gen<u64> max_seg) {
  return rc::gen::apply(
      [](u64 m, u64 b, u64 seg, bool coherent) {
        DeviceParams d;
        d.dma_mask = m;
        d.seg_boundary_mask = b;
        d.max_seg_size = seg;
        d.coherent = coherent;
        return d;
      },
      std::move(mask), std::move(boundary), std::move(max_seg), rc::gen::arbitrary<bool>());
}

rc::Gen<DeviceParams> device(u64 granule, unsigned ias) {
  return device_of(
      dma_mask(ias), rc::gen::map(seg_boundary_mask(), [granule](u64 m) { return std::max(m, granule - 1); }),
      max_seg_size(granule));
}

u64 block_of(u64 granule) { return granule * (granule / 8); }

rc::Gen<DeviceParams> wide_device(u64 granule, unsigned ias) {
  const u64 block = block_of(granule);
  const u64 max = 0xffffffff;
  return device_of(
      rc::gen::map(rc::gen::weightedOneOf<unsigned>({{4, rc::gen::inRange(34u, ias + 1)}, {1, rc::gen::just(32u)}}),
                   mask_of_bits),
      rc::gen::map(rc::gen::weightedOneOf<unsigned>({{3, rc::gen::just(32u)}, {3, rc::gen::inRange(21u, 32u)},
                                                     {1, rc::gen::just(64u)}}),
                   [granule](unsigned k) { return std::max(mask_of_bits(k), granule - 1); }),
      rc::gen::weightedOneOf<u64>({{2, rc::gen::just(max)},
                                   {3, rc::gen::map(rc::gen::inRange<u64>(1, max / block + 1), [block](u64 k) { return k * block; })}}));
}

namespace {

// A granule-aligned boundary at most top + 1: a little below the top of the DMA window or
// below 4 GiB (where a PCI device's IOVAs are tried first), where allocations land, or anywhere.
rc::Gen<u64> bridge_point(u64 g, u64 top) {
  const u64 end = (top + 1) & ~(g - 1);
  const u64 anchors[] = {end, std::min(end, u64{1} << 32)};
  auto below = [g](u64 anchor) {
    return rc::gen::apply([g, anchor](u64 k, u64 scale) { return k * scale * g > anchor ? 0 : anchor - k * scale * g; },
                          rc::gen::inRange<u64>(0, 33), rc::gen::element<u64>(1, 256));
  };
  return rc::gen::weightedOneOf<u64>({{3, below(anchors[0])}, {2, below(anchors[1])},
                                      {2, rc::gen::map(rc::gen::inRange<u64>(0, end / g + 1), [g](u64 k) { return k * g; })}});
}

// How the dma-ranges are listed: as built (ascending), reversed (the kernel sorts them), with
// one CPU-to-bus offset for all, or broken: two overlapping, or one whose offset puts it
// first in CPU order but not in bus order.
enum class RangesShape { ascending, reversed, offset, overlap, cpu_out_of_order };

}  // namespace

rc::Gen<PciHostBridge> pci_host_bridge(u64 g, u64 top) {
  auto points = [=](int lo, int hi) {
    return rc::gen::mapcat(rc::gen::inRange(lo, hi), [=](int n) {
      return rc::gen::container<std::vector<u64>>(2 * static_cast<std::size_t>(n), bridge_point(g, top));
    });
  };
  const auto shape = rc::gen::weightedOneOf<RangesShape>(
      {{4, rc::gen::just(RangesShape::ascending)}, {2, rc::gen::just(RangesShape::reversed)},
       {1, rc::gen::just(RangesShape::offset)}, {1, rc::gen::just(RangesShape::overlap)},
       {1, rc::gen::just(RangesShape::cpu_out_of_order)}});
  return rc::gen::apply(
      [](const std::vector<u64>& w, std::vector<u64> d, RangesShape sh) {
        constexpr u64 kCpuOffset = u64{1} << 52;  // above every bus address generated (ias <= 52)
        PciHostBridge b;
        for (std::size_t i = 0; i + 1 < w.size(); i += 2)
          if (w[i] != w[i + 1]) b.windows.push_back({std::min(w[i], w[i + 1]), std::max(w[i], w[i + 1]) - 1});
        std::sort(d.begin(), d.end());
        for (std::size_t i = 0; i + 1 < d.size(); i += 2)
          if (d[i] != d[i + 1]) b.dma_ranges.push_back({d[i], d[i + 1] - 1, 0});
        auto& r = b.dma_ranges;
        if (r.empty()) return b;
        switch (sh) {
          case RangesShape::ascending: break;
          case RangesShape::reversed: std::reverse(r.begin(), r.end()); break;
          case RangesShape::offset:
            for (PciDmaRange& x : r) x = {x.start + kCpuOffset, x.end + kCpuOffset, kCpuOffset};
            break;
          case RangesShape::overlap:
            if (r.size() == 1) r.push_back(r[0]);
            else r[0].end = r[1].start;
            break;
          case RangesShape::cpu_out_of_order:
            // The lowest bus range moves above the others in CPU space.
            if (r.size() > 1) r[0] = {r[0].start + kCpuOffset, r[0].end + kCpuOffset, kCpuOffset};
            break;
        }
        return b;
      },
      points(0, 3), points(1, 4), shape);
}

rc::Gen<Config> dma_config(DeviceGen dev) {
  return rc::gen::mapcat(
      rc::gen::tuple(granule(), page_size(), rc::gen::element(40u, 44u, 48u, 48u, 48u)),
      [dev](const std::tuple<u64, u64, unsigned>& t) {
        // Not a structured binding: clang before 16 cannot capture one (the fuzz build uses clang 14).
        const u64 g = std::get<0>(t), ps = std::get<1>(t);
        const unsigned ias = std::get<2>(t);
        return rc::gen::mapcat(dev(g, ias), [g, ps, ias](const DeviceParams& d) {
          // One device in four is PCI, its host bridge placed within its DMA window.
          const u64 top = std::min(d.dma_mask, mask_of_bits(ias));
          const auto pci = rc::gen::weightedOneOf<std::optional<PciHostBridge>>(
              {{3, rc::gen::just(std::optional<PciHostBridge>{})},
               {1, rc::gen::map(pci_host_bridge(g, top), [](PciHostBridge b) { return std::optional<PciHostBridge>(std::move(b)); })}});
          return rc::gen::apply(
              [g, ps, ias, d](std::optional<PciHostBridge> bridge, bool ref_pgtable) {
                Config c;
                c.granule = g;
                c.page_size = ps;
                c.ias = ias;
                c.oas = ias;
                c.device = d;
                c.device.pci = std::move(bridge);
                c.pgtable = ref_pgtable ? PgtableKind::ref : PgtableKind::impl;
                return c;
              },
              pci, rc::gen::weightedOneOf<bool>({{3, rc::gen::just(false)}, {1, rc::gen::just(true)}}));
        });
      });
}

}  // namespace iovet::gen
