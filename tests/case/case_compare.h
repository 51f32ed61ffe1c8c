// Structural comparison of two Cases for the round-trip tests: the first difference, or "".
// (Config has no operator==; spreading one field by field here keeps spec/ untouched.)
#pragma once
#include <string>

#include "case/case.h"

namespace iovet::test {

inline std::string config_difference(const Config& a, const Config& b) {
  if (a.page_size != b.page_size) return "page_size";
  if (a.granule != b.granule) return "granule";
  if (a.format != b.format) return "format";
  if (a.ias != b.ias) return "ias";
  if (a.oas != b.oas) return "oas";
  if (a.pgtable != b.pgtable) return "pgtable";
  if (a.partial_unmap != b.partial_unmap) return "partial_unmap";
  if (a.start_pfn != b.start_pfn) return "start_pfn";
  if (a.domain.aperture != b.domain.aperture) return "domain.aperture";
  if (a.domain.reserved != b.domain.reserved) return "domain.reserved";
  const DeviceParams &x = a.device, &y = b.device;
  if (x.dma_mask != y.dma_mask) return "device.dma_mask";
  if (x.coherent_dma_mask != y.coherent_dma_mask) return "device.coherent_dma_mask";
  if (x.seg_boundary_mask != y.seg_boundary_mask) return "device.seg_boundary_mask";
  if (x.max_seg_size != y.max_seg_size) return "device.max_seg_size";
  if (x.coherent != y.coherent) return "device.coherent";
  if (x.pci != y.pci) return "device.pci";
  return "";
}

inline std::string case_difference(const Case& a, const Case& b) {
  if (a.name != b.name) return "name";
  if (a.description != b.description) return "description";
  if (a.target != b.target) return "target";
  if (a.variant != b.variant) return "variant";
  if (auto d = config_difference(a.config, b.config); !d.empty()) return "config." + d;
  if (a.ops.size() != b.ops.size()) return "ops.size";
  for (size_t i = 0; i < a.ops.size(); ++i) {
    if (!(a.ops[i].body == b.ops[i].body)) return "ops[" + std::to_string(i) + "].body";
    if (!(a.ops[i].expect == b.ops[i].expect)) return "ops[" + std::to_string(i) + "].expect";
  }
  if (a.expect_rules != b.expect_rules) return "expect.rules";
  if (a.allow_rules != b.allow_rules) return "expect.allow";
  if (a.provenance != b.provenance) return "provenance";
  return "";
}

}  // namespace iovet::test
