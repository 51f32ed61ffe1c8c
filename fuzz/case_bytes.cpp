#include "fuzz/case_bytes.h"

#include <algorithm>
#include <initializer_list>

#include "case/input_error.h"
#include "fuzz/byte_stream.h"
#include "impl/lpae_geometry.h"
#include "props/gen_dma.h"
#include "run/make_page_table.h"
#include "run/variants.h"
#include "spec/unit/iova_allocator.h"

namespace iovet::fuzz {
namespace {

// Bounds that keep one input cheap to run (a map of 2^40 bytes would take the whole budget of
// one execution); the generators stay far below them too.
constexpr u64 kMaxBytes = u64{1} << 21;   // map_page, alloc, raw unmaps: gen::length()'s largest
constexpr u64 kMaxPgcount = 1024;
constexpr std::size_t kMaxOps = 64;
constexpr std::size_t kMaxSg = 16;

u64 fill_mask(u64 v) {
  for (unsigned s = 1; s < 64; s *= 2) v |= v >> s;
  return v;
}
u64 one_of(u64 v, std::initializer_list<u64> legal) {
  for (u64 x : legal)
    if (x == v) return v;
  return legal.begin()[v % legal.size()];
}
// 1..max, identity inside.
u64 within(u64 v, u64 max) { return v >= 1 && v <= max ? v : 1 + v % max; }

// The ids ops create, in order: references index them.
struct Made {
  std::string id;
  gen::MappingCall call = gen::MappingCall::map_page;
  u64 size = 0;
  bool fast = false;  // iova: alloc_iova_fast, freed with free_iova_fast
  bool live = true;
};
struct Ids {
  std::vector<Made> made;
  // The ids a reference may name: all, or the live ones.
  std::vector<std::size_t> pool(bool any) const {
    std::vector<std::size_t> p;
    for (std::size_t k = 0; k < made.size(); ++k)
      if (any || made[k].live) p.push_back(k);
    return p;
  }
};

// Reads fields: a field missing from the input keeps its default.
struct Decoder {
  ByteReader r;
  void num(u64& v) { v = r.varint(v); }
  void num(unsigned& v) { v = static_cast<unsigned>(r.varint(v)); }
  void flag(bool& b) { b = r.flag(b); }
  template <class E> void choice(E& e, unsigned n) { e = static_cast<E>(r.pick(n, static_cast<unsigned>(e))); }
  std::size_t count(std::size_t n, std::size_t cap) { return std::min<u64>(r.varint(n), cap); }
  // The index of made[] a reference names, or nullopt when there is nothing to name.
  std::optional<std::size_t> ref(const std::string&, const Ids& ids, bool any) {
    const auto pool = ids.pool(any);
    const u64 k = r.varint(0);
    if (pool.empty()) return std::nullopt;
    return pool[k % pool.size()];
  }
};

struct Encoder {
  ByteWriter w;
  void num(u64& v) { w.varint(v); }
  void num(unsigned& v) { w.varint(v); }
  void flag(bool& b) { w.flag(b); }
  template <class E> void choice(E& e, unsigned) { w.varint(static_cast<unsigned>(e)); }
  std::size_t count(std::size_t n, std::size_t) {
    w.varint(n);
    return n;
  }
  std::optional<std::size_t> ref(const std::string& id, const Ids& ids, bool any) {
    const auto pool = ids.pool(any);
    for (std::size_t k = pool.size(); k-- > 0;)
      if (ids.made[pool[k]].id == id) {
        w.varint(k);
        return pool[k];
      }
    throw InputError("", "/ops", "no earlier op created '" + id + "' (or it is released)");
  }
};

template <class IO, class T, class F> void list(IO& io, std::vector<T>& v, std::size_t cap, F each) {
  v.resize(io.count(v.size(), cap));
  for (T& x : v) each(x);
}
template <class IO, class T, class F> void optional(IO& io, std::optional<T>& o, F each) {
  bool has = o.has_value();
  io.flag(has);
  if (!has) o.reset();
  else if (!o) o.emplace();
  if (o) each(*o);
}

template <class IO> void config_fields(IO& io, Config& c) {
  auto range = [&io](Range& x) {
    io.num(x.first);
    io.num(x.last);
  };
  io.num(c.page_size);
  io.num(c.granule);
  io.choice(c.format, 2);
  io.num(c.ias);
  io.num(c.oas);
  io.choice(c.pgtable, 2);
  io.choice(c.partial_unmap, 2);
  optional(io, c.domain.aperture, range);
  list(io, c.domain.reserved, 4, range);
  DeviceParams& d = c.device;
  io.num(d.dma_mask);
  optional(io, d.coherent_dma_mask, [&io](u64& m) { io.num(m); });
  io.num(d.seg_boundary_mask);
  io.num(d.max_seg_size);
  io.flag(d.coherent);
  optional(io, d.pci, [&](PciHostBridge& b) {
    list(io, b.windows, 3, range);
    list(io, b.dma_ranges, 4, [&io](PciDmaRange& x) {
      io.num(x.start);
      io.num(x.end);
      io.num(x.offset);
    });
  });
  io.num(c.start_pfn);
  SmmuParams& s = c.smmu;
  io.flag(s.lazy);
  io.num(s.fq_size);
  io.num(s.sidsize);
  io.flag(s.st_2lvl);
  io.flag(s.ril);
  io.num(s.cmdq_log2);
  io.num(s.cmdq_per_poll);
  io.num(s.iotlb_entries);
  io.choice(s.replacement, 3);
}

void order(Range& r) {
  if (r.first > r.last) std::swap(r.first, r.last);
}

// Legal values for what validate() does not bound, and the generators' constraints: a boundary
// window of at least a granule (gen::device), queues and TLBs of the sizes gen::smmu_params draws.
void legalise(Config& c) {
  c.page_size = one_of(c.page_size, {4096, 16384, 65536});
  c.granule = one_of(c.granule, {4096, 16384, 65536});
  for (unsigned* bits : {&c.ias, &c.oas})
    if (*bits < 32 || *bits > 52) *bits = static_cast<unsigned>(one_of(*bits, {32, 36, 40, 42, 44, 48}));
  if (c.domain.aperture) {
    // Whole granules, as every aperture is: the IOVA domain ends at its last whole pfn.
    order(*c.domain.aperture);
    c.domain.aperture->first &= ~(c.granule - 1);
    c.domain.aperture->last |= c.granule - 1;
  }
  for (Range& r : c.domain.reserved) order(r);
  DeviceParams& d = c.device;
  d.dma_mask = fill_mask(d.dma_mask);
  if (d.coherent_dma_mask) d.coherent_dma_mask = fill_mask(*d.coherent_dma_mask);
  d.seg_boundary_mask = std::max(fill_mask(d.seg_boundary_mask), c.granule - 1);
  d.max_seg_size = within(d.max_seg_size, 0xffffffff);
  if (d.pci) {
    for (Range& r : d.pci->windows) order(r);
    for (PciDmaRange& r : d.pci->dma_ranges)
      if (r.start > r.end) std::swap(r.start, r.end);
  }
  SmmuParams& s = c.smmu;
  s.fq_size = std::max(2u, std::bit_floor(static_cast<unsigned>(within(s.fq_size, 1024))));  // a ring of 1 holds nothing
  s.iotlb_entries = static_cast<unsigned>(within(s.iotlb_entries, 1024));
  s.cmdq_per_poll = static_cast<unsigned>(within(s.cmdq_per_poll, 64));
}

// Where the page table's allocator would refuse the configuration (alloc_io_pgtable_ops()
// returning NULL): the field to blame, or empty.
std::string lpae_refuses(const Config& c) {
  try {
    arm_lpae_geometry(arm_lpae_restrict_cfg(pgtable_cfg(c)));
  } catch (const LpaeCfgError& e) {
    return e.field;
  }
  return {};
}

// A configuration validate() or the page table rejects loses the section its first problem
// names, until none is left (the defaults are valid).
void repair(Config& c) {
  for (int tries = 0; tries < 8; ++tries) {
    auto problems = validate(c);
    if (problems.empty()) {
      const std::string field = lpae_refuses(c);
      if (field.empty()) return;
      problems.push_back({"/" + field, ""});
    }
    const std::string& p = problems.front().pointer;
    auto under = [&p](std::string_view s) { return p.starts_with(s); };
    if (under("/device/pci")) c.device.pci.reset();
    else if (under("/device/coherent_dma_mask")) c.device.coherent_dma_mask.reset();
    else if (under("/device")) c.device = {};
    else if (under("/domain")) c.domain = {};
    else if (under("/smmu")) c.smmu = {};
    else if (under("/start_pfn")) c.start_pfn = 1;
    else if (under("/ias") || under("/oas")) c.ias = c.oas = Config{}.ias;
    else c = {};
  }
  c = {};
}

// What ops a target's input chooses from, in the order of the kind byte.
enum class Kind { map_page, map_sg, alloc, release, access, iommu_unmap, unmap_page_raw, fq_timeout, attach,
                  iova_alloc, iova_free, iova_reserve, pt_map, pt_unmap, pt_lookup };
std::vector<Kind> kinds(Target t) {
  switch (t) {
    case Target::dma:
      return {Kind::map_page, Kind::map_sg, Kind::alloc, Kind::release, Kind::access, Kind::iommu_unmap,
              Kind::unmap_page_raw, Kind::fq_timeout};
    case Target::smmu:
      return {Kind::map_page, Kind::map_sg, Kind::alloc, Kind::release, Kind::access, Kind::attach, Kind::fq_timeout};
    case Target::iova: return {Kind::iova_alloc, Kind::iova_free, Kind::iova_reserve};
    case Target::pgtable: return {Kind::pt_map, Kind::pt_unmap, Kind::pt_lookup};
  }
  return {};
}

OpBody blank(Kind k) {
  switch (k) {
    case Kind::map_page: return op::MapPage{};
    case Kind::map_sg: return op::MapSg{};
    case Kind::alloc: return op::Alloc{};
    case Kind::release: return op::UnmapPage{};
    case Kind::access: return op::Access{};
    case Kind::iommu_unmap: return op::IommuUnmap{};
    case Kind::unmap_page_raw: return op::UnmapPageRaw{};
    case Kind::fq_timeout: return op::FqTimeout{};
    case Kind::attach: return op::Attach{};
    case Kind::iova_alloc: return op::IovaAlloc{};
    case Kind::iova_free: return op::IovaFree{};
    case Kind::iova_reserve: return op::IovaReserve{};
    case Kind::pt_map: return op::PtMap{};
    case Kind::pt_unmap: return op::PtUnmap{};
    case Kind::pt_lookup: return op::PtIovaToPhys{};
  }
  return op::FqTimeout{};
}

Kind kind_of(const OpBody& b) {
  struct V {
    Kind operator()(const op::MapPage&) const { return Kind::map_page; }
    Kind operator()(const op::UnmapPage&) const { return Kind::release; }
    Kind operator()(const op::UnmapPageRaw&) const { return Kind::unmap_page_raw; }
    Kind operator()(const op::MapSg&) const { return Kind::map_sg; }
    Kind operator()(const op::UnmapSg&) const { return Kind::release; }
    Kind operator()(const op::Alloc&) const { return Kind::alloc; }
    Kind operator()(const op::Free&) const { return Kind::release; }
    Kind operator()(const op::IommuUnmap&) const { return Kind::iommu_unmap; }
    Kind operator()(const op::Access&) const { return Kind::access; }
    Kind operator()(const op::IovaAlloc&) const { return Kind::iova_alloc; }
    Kind operator()(const op::IovaFree&) const { return Kind::iova_free; }
    Kind operator()(const op::IovaReserve&) const { return Kind::iova_reserve; }
    Kind operator()(const op::PtMap&) const { return Kind::pt_map; }
    Kind operator()(const op::PtUnmap&) const { return Kind::pt_unmap; }
    Kind operator()(const op::PtIovaToPhys&) const { return Kind::pt_lookup; }
    Kind operator()(const op::Attach&) const { return Kind::attach; }
    Kind operator()(const op::FqTimeout&) const { return Kind::fq_timeout; }
  };
  return std::visit(V{}, b);
}

// The id an op releases (one kind encodes the three release calls).
std::string released_id(const OpBody& b) {
  if (auto* o = std::get_if<op::UnmapPage>(&b)) return o->id;
  if (auto* o = std::get_if<op::UnmapSg>(&b)) return o->id;
  return std::get<op::Free>(b).id;
}

// What the ops so far have made, for the references and constraints of the next.
struct Ctx {
  const Config& cfg;
  Target target;
  bool trusting;  // pgtable of a variant that trusts its caller: keep to the IOMMU core's contract
  Ids ids;
  std::vector<op::PtMap> maps;  // trusting: the live maps
};

u64 top_of(unsigned bits) { return bits >= 64 ? ~u64{0} : u64{1} << bits; }

// A map or unmap as the IOMMU core issues it: a page size of the format, iova and paddr
// aligned to it, the range within ias and oas.
void core_request(const Config& c, u64& iova, u64* paddr, u64& pgsize, u64 pgcount) {
  if (std::popcount(pgsize) != 1 || !(lpae_pgsize_bitmap(c.granule, c.oas) & pgsize)) pgsize = c.granule;
  const u64 span = pgsize * pgcount;
  auto fit = [span, pgsize](u64 a, u64 top) { return (top > span ? a % (top - span + 1) : 0) & ~(pgsize - 1); };
  iova = fit(iova, top_of(std::min(c.ias, 63u)));
  if (paddr) *paddr = fit(*paddr, top_of(std::min(c.oas, 63u)));
}

// A page-aligned physical address, never page 0: unmap_page takes phys 0 for "not mapped"
// (corpus/mainline/mainline-fuzz-unmap-page-of-phys-0-leaks.json), which would stop every
// campaign at once; gen::page_addr keeps it out too.
u64 page_of(u64 a, const Config& cfg) {
  a &= ~(cfg.page_size - 1);
  return a ? a : cfg.page_size;
}

bool overlaps(const op::PtMap& m, u64 iova, u64 span) {
  return iova < m.iova + m.pgsize * m.pgcount && m.iova < iova + span;
}

// The fields of one op of kind k; false drops the op (a reference with nothing to name, a map
// a trusting variant must not be given). Decoding also makes each value legal, leaving legal
// values as they are.
template <class IO> bool op_fields(IO& io, Kind k, OpBody& b, Ctx& x) {
  constexpr bool decoding = std::is_same_v<IO, Decoder>;
  const Config& cfg = x.cfg;
  auto made_id = [&x] { return "m" + std::to_string(x.ids.made.size()); };
  switch (k) {
    case Kind::map_page: {
      auto& o = std::get<op::MapPage>(b);
      io.num(o.page);
      io.num(o.offset);
      io.num(o.size);
      io.choice(o.dir, 3);
      if (decoding) {
        o.id = made_id();
        o.page = page_of(o.page, cfg);
        o.offset &= 0xffffffff;
        o.size = within(o.size, kMaxBytes);
      }
      x.ids.made.push_back({o.id, gen::MappingCall::map_page, o.size});
      return true;
    }
    case Kind::map_sg: {
      auto& o = std::get<op::MapSg>(b);
      list(io, o.sg, kMaxSg, [&io](SgEntry& e) {
        io.num(e.page);
        io.num(e.offset);
        io.num(e.length);
      });
      io.choice(o.dir, 3);
      if (decoding) {
        o.id = made_id();
        if (o.sg.empty()) o.sg.push_back({});
        for (SgEntry& e : o.sg) {
          e.page = page_of(e.page, cfg);
          e.offset &= 0xffffffff;
        }
        o.sg = gen::respect_dma_parms(std::move(o.sg), cfg, false);
      }
      u64 total = 0;
      for (const SgEntry& e : o.sg) total += e.length;
      x.ids.made.push_back({o.id, gen::MappingCall::map_sg, total});
      return true;
    }
    case Kind::alloc: {
      auto& o = std::get<op::Alloc>(b);
      io.num(o.size);
      if (decoding) {
        o.id = made_id();
        o.size = within(o.size, kMaxBytes);
      }
      x.ids.made.push_back({o.id, gen::MappingCall::alloc, o.size});
      return true;
    }
    case Kind::release: {
      // Releasing twice is misuse the dma target judges; the smmu workload is a correct driver.
      const auto m = io.ref(decoding ? std::string() : released_id(b), x.ids, x.target == Target::dma);
      if (!m) return false;
      Made& made = x.ids.made[*m];
      made.live = false;
      if (decoding) b = gen::release_op(made.id, made.call).body;
      return true;
    }
    case Kind::access: {
      auto& o = std::get<op::Access>(b);
      bool by_id = o.id.has_value();
      io.flag(by_id);
      if (by_id) {
        // A released id is a stale DMA address: the device may still use it.
        const auto m = io.ref(o.id.value_or(""), x.ids, true);
        if (!m) return false;
        io.num(o.offset);
        if (decoding) {
          o.id = x.ids.made[*m].id;
          if (const u64 size = x.ids.made[*m].size) o.offset %= size;
        }
      } else {
        io.num(o.iova);
      }
      io.flag(o.write);
      if (x.target == Target::smmu) {
        io.num(o.sid);
        if (decoding) o.sid %= 1u << std::min(cfg.smmu.sidsize, 16u);
      }
      return true;
    }
    case Kind::iommu_unmap: {
      auto& o = std::get<op::IommuUnmap>(b);
      bool by_id = o.id.has_value();
      io.flag(by_id);
      if (by_id) {
        const auto m = io.ref(o.id.value_or(""), x.ids, false);
        if (!m) return false;
        if (decoding) o.id = x.ids.made[*m].id;
      } else {
        io.num(o.iova);
        io.num(o.size);
        if (decoding) o.size = within(o.size, kMaxBytes);
      }
      return true;
    }
    case Kind::unmap_page_raw: {
      auto& o = std::get<op::UnmapPageRaw>(b);
      io.num(o.dma);
      io.num(o.size);
      io.choice(o.dir, 3);
      if (decoding) o.size = within(o.size, kMaxBytes);
      return true;
    }
    case Kind::fq_timeout: return true;
    case Kind::attach: {
      auto& o = std::get<op::Attach>(b);
      io.num(o.sid);
      io.choice(o.domain, 4);
      if (decoding) o.sid %= 1u << std::min(cfg.smmu.sidsize, 16u);
      return true;
    }
    case Kind::iova_alloc: {
      auto& o = std::get<op::IovaAlloc>(b);
      io.num(o.size);
      io.num(o.limit_pfn);
      io.flag(o.aligned);
      io.flag(o.fast);
      io.num(o.cpu);
      if (decoding) {
        o.id = made_id();
        o.size = std::max<u64>(o.size, 1);
        o.cpu %= kIovaCpus;
        // As gen_iova's limits: within the aperture (iommu_dma_alloc_iova() clamps the mask to
        // it), never below the 32-pfn sizes the rcache serves.
        const u64 end = cfg.aperture().last >> cfg.granule_shift();
        o.limit_pfn = std::clamp(o.limit_pfn, std::min<u64>(end, 32), end);
      }
      x.ids.made.push_back({o.id, gen::MappingCall::alloc, o.size, o.fast});
      return true;
    }
    case Kind::iova_free: {
      auto& o = std::get<op::IovaFree>(b);
      const auto m = io.ref(o.id, x.ids, false);
      if (!m) return false;
      io.num(o.cpu);
      Made& made = x.ids.made[*m];
      made.live = false;
      if (decoding) {
        o.id = made.id;
        o.fast = made.fast;  // freed the way it was allocated
        o.cpu %= kIovaCpus;
      }
      return true;
    }
    case Kind::iova_reserve: {
      auto& o = std::get<op::IovaReserve>(b);
      io.num(o.lo);
      io.num(o.hi);
      if (decoding && o.lo > o.hi) std::swap(o.lo, o.hi);
      // Reservations are the domain's set-up (reserved regions, PCI windows), made before any
      // allocation: one after would take back IOVAs the rcaches still hold, which no caller does.
      return x.ids.made.empty();
    }
    case Kind::pt_map: {
      auto& o = std::get<op::PtMap>(b);
      io.num(o.iova);
      io.num(o.paddr);
      io.num(o.pgsize);
      io.num(o.pgcount);
      u64 prot = static_cast<u64>(o.prot);
      io.num(prot);
      if (decoding) {
        o.pgcount = within(o.pgcount, kMaxPgcount);
        o.prot = static_cast<int>(prot & 0x3f);
      }
      if (!x.trusting) return true;
      if (decoding) core_request(cfg, o.iova, &o.paddr, o.pgsize, o.pgcount);
      // No map over a live one.
      for (const op::PtMap& m : x.maps)
        if (overlaps(m, o.iova, o.pgsize * o.pgcount)) return false;
      x.maps.push_back(o);
      return true;
    }
    case Kind::pt_unmap: {
      auto& o = std::get<op::PtUnmap>(b);
      io.num(o.iova);
      io.num(o.pgsize);
      io.num(o.pgcount);
      if (decoding) o.pgcount = within(o.pgcount, kMaxPgcount);
      if (!x.trusting) return true;
      // Only what an earlier map mapped, whole: the map at the same place, else one picked by iova.
      if (x.maps.empty()) return false;
      auto same = [&o](const op::PtMap& m) { return m.iova == o.iova && m.pgsize == o.pgsize && m.pgcount == o.pgcount; };
      auto it = std::find_if(x.maps.begin(), x.maps.end(), same);
      if (it == x.maps.end()) {
        if (!decoding) return true;
        it = x.maps.begin() + static_cast<std::ptrdiff_t>(o.iova % x.maps.size());
        o = {it->iova, it->pgsize, it->pgcount};
      }
      x.maps.erase(it);
      return true;
    }
    case Kind::pt_lookup: io.num(std::get<op::PtIovaToPhys>(b).iova); return true;
  }
  return false;
}

bool trusts_caller(Target t, const std::string& variant) {
  const Variant* v = find_variant(variant);
  return t == Target::pgtable && v && v->trusts_caller;
}

}  // namespace

Case decode_case(Target t, const std::uint8_t* data, std::size_t size, const DecodeOptions& opt) {
  Decoder io{ByteReader(data, size)};
  Case c;
  c.name = "fuzz";
  c.target = t;
  if (!opt.variant.empty()) c.variant = opt.variant;
  config_fields(io, c.config);
  legalise(c.config);
  if (t == Target::smmu) {
    c.config.pgtable = PgtableKind::impl;  // the stack runs impl/'s table
    c.config.ias = std::min(c.config.ias, 48u);  // the SMMU model's IDR5: 48-bit addresses
    c.config.oas = std::min(c.config.oas, 48u);
  }
  repair(c.config);
  // The IOVA domain starts inside the aperture, as iommu_dma_init_domain() starts it.
  if (t == Target::iova && c.config.domain.aperture)
    c.config.start_pfn = std::max(c.config.start_pfn, c.config.domain.aperture->first >> c.config.granule_shift());
  Ctx x{c.config, t, trusts_caller(t, opt.variant), {}, {}};
  const std::vector<Kind> ks = kinds(t);
  // Every round reads at least one byte: the loop ends.
  while (!io.r.done() && c.ops.size() < kMaxOps) {
    const Kind k = ks[io.r.pick(static_cast<unsigned>(ks.size()))];
    OpBody b = blank(k);
    if (op_fields(io, k, b, x)) c.ops.push_back({std::move(b), {}});
  }
  return c;
}

std::string encode_case(const Case& c) {
  Encoder io;
  Config cfg = c.config;
  config_fields(io, cfg);
  Ctx x{c.config, c.target, trusts_caller(c.target, c.variant.value_or("")), {}, {}};
  const std::vector<Kind> ks = kinds(c.target);
  for (std::size_t n = 0; n < c.ops.size(); ++n) {
    const std::string at = "/ops/" + std::to_string(n);
    const Kind k = kind_of(c.ops[n].body);
    const auto it = std::find(ks.begin(), ks.end(), k);
    if (it == ks.end())
      throw InputError(c.name, at + "/op", "op '" + std::string(op_name(c.ops[n].body)) + "' is not fuzzed on target " +
                                               std::string(target_name(c.target)));
    io.w.varint(static_cast<u64>(it - ks.begin()));
    OpBody b = c.ops[n].body;
    try {
      op_fields(io, k, b, x);
    } catch (const InputError& e) {
      throw InputError(c.name, at + "/id", e.problem);
    }
  }
  return io.w.bytes();
}

}  // namespace iovet::fuzz
