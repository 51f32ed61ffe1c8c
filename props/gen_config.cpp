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

rc::Gen<Config> dma_config(DeviceGen dev) {
  return rc::gen::mapcat(rc::gen::tuple(granule(), page_size(), rc::gen::element(40u, 44u, 48u, 48u, 48u)),
                         [dev](const std::tuple<u64, u64, unsigned>& t) {
                           const auto [g, ps, ias] = t;
                           return rc::gen::apply(
                               [g, ps, ias](DeviceParams d, bool ref_pgtable) {
                                 Config c;
                                 c.granule = g;
                                 c.page_size = ps;
                                 c.ias = ias;
                                 c.oas = ias;
                                 c.device = d;
                                 c.pgtable = ref_pgtable ? PgtableKind::ref : PgtableKind::impl;
                                 return c;
                               },
                               dev(g, ias), rc::gen::weightedOneOf<bool>({{3, rc::gen::just(false)}, {1, rc::gen::just(true)}}));
                         });
}

}  // namespace iovet::gen
