#include "smt/smmu_witness.h"

namespace iovet::smt {

Case smmu_unmap_case(const std::string& id, const std::string& description, u64 size) {
  Case c;
  c.name = "proof-" + id;  // also its file name under --corpus-out
  c.description = description;
  c.target = Target::smmu;
  c.variant = "mainline";  // the smmu target's only stack: impl/ under mainline dma-iommu
  c.config.device.dma_mask = kSmmuWitnessDmaMask;
  const std::string buf = "buf";
  // Physical memory at `size`: aligned to it, so the table maps it with its largest blocks.
  const u64 page = size, middle = size / 2;
  c.ops.push_back({op::Attach{0, SmmuDomainKind::dma}, {}});
  c.ops.push_back({op::MapPage{buf, page, 0, size, Dir::bidirectional}, {}});
  OpExpect reaches;
  reaches.fault = false;
  reaches.phys = page + middle;
  c.ops.push_back({op::Access{buf, middle}, reaches});
  c.ops.push_back({op::UnmapPage{buf}, {}});
  // After a strict unmap returns no translation may remain: the smmu rules judge this one.
  c.ops.push_back({op::Access{buf, middle}, {}});
  c.provenance = {{"found_by", "smt"}, {"obligation", id}, {"tool_version", IOVET_VERSION}};
  return c;
}

}  // namespace iovet::smt
