#include "case/config_json.h"

#include "case/json_values.h"

namespace iovet {
namespace {

template <class E>
E enum_field(JsonObject& o, std::string_view key, E dflt, std::initializer_list<E> all,
             std::string_view (*name)(E)) {
  auto s = o.string_opt(key);
  if (!s) return dflt;
  std::string known;
  for (E e : all) {
    if (*s == name(e)) return e;
    known += (known.empty() ? "" : ", ") + std::string(name(e));
  }
  o.fail(key, "unknown " + std::string(key) + " '" + *s + "' (known: " + known + ")");
}

// An optional list of [first, last].
std::vector<Range> ranges_field(JsonObject& o, std::string_view key) {
  std::vector<Range> out;
  if (auto* r = o.get(key)) {
    const std::string ptr = o.pointer(key);
    if (!r->is_array()) o.fail(key, "expected a list of [first, last], got " + json_type_name(*r));
    for (size_t i = 0; i < r->size(); ++i) out.push_back(json_range((*r)[i], pointer_child(ptr, i), o.ctx()));
  }
  return out;
}

void read_domain(JsonObject o, DomainParams& d) {
  if (auto* a = o.get("aperture")) d.aperture = json_range(*a, o.pointer("aperture"), o.ctx());
  d.reserved = ranges_field(o, "reserved");
  o.finish();
}

// {"windows": [[first, last]...], "dma_ranges": [{"start", "end", "offset"=0}...]}
PciHostBridge read_pci(JsonObject o) {
  PciHostBridge b;
  b.windows = ranges_field(o, "windows");
  if (auto* r = o.get("dma_ranges")) {
    const std::string ptr = o.pointer("dma_ranges");
    if (!r->is_array()) o.fail("dma_ranges", "expected a list of {start, end, offset}, got " + json_type_name(*r));
    for (size_t i = 0; i < r->size(); ++i) {
      JsonObject e((*r)[i], pointer_child(ptr, i), o.ctx());
      b.dma_ranges.push_back({e.u64_req("start"), e.u64_req("end"), e.u64_or("offset", 0)});
      e.finish();
    }
  }
  o.finish();
  return b;
}

void read_device(JsonObject o, DeviceParams& d) {
  d.dma_mask = o.u64_or("dma_mask", d.dma_mask);
  d.coherent_dma_mask = o.u64_opt("coherent_dma_mask");
  d.seg_boundary_mask = o.u64_or("seg_boundary_mask", d.seg_boundary_mask);
  d.max_seg_size = o.u64_or("max_seg_size", d.max_seg_size);
  d.coherent = o.bool_or("coherent", d.coherent);
  if (auto* p = o.get("pci")) d.pci = read_pci(JsonObject(*p, o.pointer("pci"), o.ctx()));
  o.finish();
}

void read_smmu(JsonObject o, SmmuParams& s) {
  if (auto m = o.string_opt("mode")) {
    if (*m != "strict" && *m != "lazy") o.fail("mode", "unknown mode '" + *m + "' (known: strict, lazy)");
    s.lazy = *m == "lazy";
  }
  s.fq_size = o.small_or("fq_size", s.fq_size);
  s.sidsize = o.small_or("sidsize", s.sidsize);
  s.st_2lvl = o.bool_or("st_2lvl", s.st_2lvl);
  s.ril = o.bool_or("ril", s.ril);
  s.cmdq_log2 = o.small_or("cmdq_log2", s.cmdq_log2);
  s.cmdq_per_poll = o.small_or("cmdq_per_poll", s.cmdq_per_poll);
  s.iotlb_entries = o.small_or("iotlb_entries", s.iotlb_entries);
  s.replacement = enum_field(o, "replacement", s.replacement,
                             {TlbReplacement::lru, TlbReplacement::fifo, TlbReplacement::random}, replacement_name);
  o.finish();
}

}  // namespace

Config config_from_json(JsonObject o) {
  Config c;
  c.page_size = o.u64_or("page_size", c.page_size);
  c.granule = o.u64_or("granule", c.granule);
  c.format = enum_field(o, "format", c.format, {Format::arm64_lpae_s1, Format::arm64_lpae_s2},
                        format_name);
  c.ias = o.small_or("ias", c.ias);
  c.oas = o.small_or("oas", c.oas);
  c.pgtable = enum_field(o, "pgtable", c.pgtable, {PgtableKind::impl, PgtableKind::ref},
                         pgtable_name);
  c.partial_unmap = enum_field(o, "partial_unmap", c.partial_unmap,
                               {PartialUnmap::refuse, PartialUnmap::split}, partial_unmap_name);
  c.start_pfn = o.u64_or("start_pfn", c.start_pfn);
  if (auto* d = o.get("domain")) read_domain(JsonObject(*d, o.pointer("domain"), o.ctx()), c.domain);
  if (auto* d = o.get("device")) read_device(JsonObject(*d, o.pointer("device"), o.ctx()), c.device);
  if (auto* d = o.get("smmu")) read_smmu(JsonObject(*d, o.pointer("smmu"), o.ctx()), c.smmu);
  o.finish();
  if (auto problems = validate(c); !problems.empty())
    o.ctx().fail(o.pointer() + problems.front().pointer, problems.front().message);
  return c;
}

nlohmann::ordered_json config_to_json(const Config& c) {
  const Config d;
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  if (c.page_size != d.page_size) j["page_size"] = size_value(c.page_size);
  if (c.granule != d.granule) j["granule"] = size_value(c.granule);
  if (c.format != d.format) j["format"] = format_name(c.format);
  if (c.ias != d.ias) j["ias"] = c.ias;
  if (c.oas != d.oas) j["oas"] = c.oas;
  if (c.pgtable != d.pgtable) j["pgtable"] = pgtable_name(c.pgtable);
  if (c.partial_unmap != d.partial_unmap) j["partial_unmap"] = partial_unmap_name(c.partial_unmap);
  if (c.start_pfn != d.start_pfn) j["start_pfn"] = hex(c.start_pfn);

  nlohmann::ordered_json dom = nlohmann::ordered_json::object();
  if (c.domain.aperture) dom["aperture"] = range_value(*c.domain.aperture);
  if (!c.domain.reserved.empty()) {
    dom["reserved"] = nlohmann::ordered_json::array();
    for (const Range& r : c.domain.reserved) dom["reserved"].push_back(range_value(r));
  }
  if (!dom.empty()) j["domain"] = std::move(dom);

  nlohmann::ordered_json dev = nlohmann::ordered_json::object();
  const DeviceParams& a = c.device;
  const DeviceParams& b = d.device;
  if (a.dma_mask != b.dma_mask) dev["dma_mask"] = hex(a.dma_mask);
  if (a.coherent_dma_mask) dev["coherent_dma_mask"] = hex(*a.coherent_dma_mask);
  if (a.seg_boundary_mask != b.seg_boundary_mask) dev["seg_boundary_mask"] = hex(a.seg_boundary_mask);
  if (a.max_seg_size != b.max_seg_size) dev["max_seg_size"] = size_value(a.max_seg_size);
  if (a.coherent != b.coherent) dev["coherent"] = a.coherent;
  if (a.pci) {
    nlohmann::ordered_json pci = nlohmann::ordered_json::object();
    if (!a.pci->windows.empty()) {
      pci["windows"] = nlohmann::ordered_json::array();
      for (const Range& w : a.pci->windows) pci["windows"].push_back(range_value(w));
    }
    if (!a.pci->dma_ranges.empty()) {
      pci["dma_ranges"] = nlohmann::ordered_json::array();
      for (const PciDmaRange& r : a.pci->dma_ranges) {
        nlohmann::ordered_json e = {{"start", hex(r.start)}, {"end", hex(r.end)}};
        if (r.offset) e["offset"] = hex(r.offset);
        pci["dma_ranges"].push_back(std::move(e));
      }
    }
    dev["pci"] = std::move(pci);
  }
  if (!dev.empty()) j["device"] = std::move(dev);

  nlohmann::ordered_json sm = nlohmann::ordered_json::object();
  const SmmuParams& x = c.smmu;
  const SmmuParams& y = d.smmu;
  if (x.lazy != y.lazy) sm["mode"] = x.lazy ? "lazy" : "strict";
  if (x.fq_size != y.fq_size) sm["fq_size"] = x.fq_size;
  if (x.sidsize != y.sidsize) sm["sidsize"] = x.sidsize;
  if (x.st_2lvl != y.st_2lvl) sm["st_2lvl"] = x.st_2lvl;
  if (x.ril != y.ril) sm["ril"] = x.ril;
  if (x.cmdq_log2 != y.cmdq_log2) sm["cmdq_log2"] = x.cmdq_log2;
  if (x.cmdq_per_poll != y.cmdq_per_poll) sm["cmdq_per_poll"] = x.cmdq_per_poll;
  if (x.iotlb_entries != y.iotlb_entries) sm["iotlb_entries"] = x.iotlb_entries;
  if (x.replacement != y.replacement) sm["replacement"] = replacement_name(x.replacement);
  if (!sm.empty()) j["smmu"] = std::move(sm);
  return j;
}

}  // namespace iovet
