#include "smt/sg_witness.h"

#include "smt/bv.h"

namespace iovet::smt {

z3::expr dma_mask_var(z3::context& ctx) { return u64var(ctx, "dma_mask"); }

std::vector<z3::expr> sg_realise(const SgSymbols& s, const SgLayout& l, const z3::expr& dma_mask,
                                 bool within_max_seg_size) {
  z3::context& ctx = s.granule_mask.ctx();
  std::vector<z3::expr> r{
      s.granule_mask == u64c(ctx, 0xfff),
      z3::uge(s.seg_mask, u64c(ctx, 0xfff)) && z3::ule(s.seg_mask, u64c(ctx, (u64{1} << 40) - 1)),
      is_low_mask(dma_mask) && z3::uge(dma_mask, u64c(ctx, 0xffffffff)) &&
          z3::ule(dma_mask, u64c(ctx, (u64{1} << 47) - 1)),
      s.alloc_start == dma_mask + u64c(ctx, 1) - roundup_pow_of_two(l.iova_len),
  };
  for (std::size_t i = 0; i < s.offset.size(); ++i) {
    r.push_back(z3::ule(s.offset[i], u32c(ctx, 0xffff)));
    r.push_back(z3::ule(s.length[i], u32c(ctx, 0x100000)));
    if (within_max_seg_size) r.push_back(z3::ule(s.length[i], s.max_seg_size));
  }
  return r;
}

Case sg_case(const std::string& id, std::string_view variant, const std::string& description,
             const ModelValues& m, int nents) {
  Case c;
  c.name = "proof-" + id;  // also its file name under --corpus-out
  c.description = description;
  c.target = Target::dma;
  c.variant = std::string(variant);
  c.config.granule = m.at("granule_mask") + 1;
  c.config.device.seg_boundary_mask = m.at("seg_boundary_mask");
  c.config.device.max_seg_size = m.at("max_seg_size");
  c.config.device.dma_mask = m.at("dma_mask");
  op::MapSg map{"sg", {}, Dir::bidirectional};
  for (int i = 0; i < nents; ++i) {
    const std::string n = std::to_string(i);
    // 4 GiB apart: no two entries share physical memory.
    map.sg.push_back({u64(i + 1) << 32, m.at("offset" + n), m.at("length" + n)});
  }
  c.ops.push_back({std::move(map), {}});
  c.provenance = {{"found_by", "smt"}, {"obligation", id}, {"tool_version", IOVET_VERSION}};
  return c;
}

}  // namespace iovet::smt
