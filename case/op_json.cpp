#include "case/op_json.h"

#include <array>

#include "case/json_values.h"
#include "spec/unit/iova_allocator.h"

namespace iovet {
namespace {

using json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 10> kDmaOps = {"map_page", "unmap_page", "unmap_page_raw",
                                                      "map_sg",   "unmap_sg",   "alloc",
                                                      "free",     "iommu_unmap", "access",
                                                      "fq_timeout"};
constexpr std::array<std::string_view, 3> kIovaOps = {"alloc", "free", "reserve"};
constexpr std::array<std::string_view, 3> kPgtableOps = {"map", "unmap", "iova_to_phys"};
// target smmu: the DMA API without its misuse ops, device accesses by stream, and the SMMU's own.
constexpr std::array<std::string_view, 9> kSmmuOps = {"map_page", "unmap_page", "map_sg", "unmap_sg", "alloc",
                                                      "free", "access", "attach", "fq_timeout"};

// prot flags in the order the format lists them.
constexpr std::array<std::pair<std::string_view, int>, 6> kProt = {{{"read", prot::read},
                                                                    {"write", prot::write},
                                                                    {"noexec", prot::noexec},
                                                                    {"cache", prot::cache},
                                                                    {"mmio", prot::mmio},
                                                                    {"priv", prot::priv}}};

constexpr std::array<std::string_view, 4> kErrnos = {"EEXIST", "EINVAL", "ERANGE", "ENOMEM"};

template <size_t N>
bool in(const std::array<std::string_view, N>& a, std::string_view s) {
  for (auto x : a)
    if (x == s) return true;
  return false;
}

std::string id_req(JsonObject& o) {
  std::string id = o.string_req("id");
  if (id.empty()) o.fail("id", "id must not be empty");
  return id;
}

Dir dir_req(JsonObject& o) {
  const std::string s = o.string_req("dir");
  Dir d;
  if (!parse_dir(s, d))
    o.fail("dir", "unknown dir '" + s + "' (known: bidirectional, to_device, from_device)");
  return d;
}

u64 page_req(JsonObject& o, const Config& config) {
  const u64 page = o.u64_req("page");
  if (page % config.page_size)
    o.fail("page", hex(page) + " is not aligned to page_size " + std::to_string(config.page_size));
  return page;
}

std::vector<SgEntry> sg_req(JsonObject& o, const Config& config) {
  const json& list = o.require("sg");
  if (!list.is_array()) o.fail("sg", "expected a list of {page, offset, length}, got " + json_type_name(list));
  if (list.empty()) o.fail("sg", "a scatterlist needs at least one entry");
  std::vector<SgEntry> sg;
  for (size_t i = 0; i < list.size(); ++i) {
    JsonObject e(list[i], pointer_child(o.pointer("sg"), i), o.ctx());
    SgEntry s;
    s.page = page_req(e, config);
    s.offset = e.u64_req("offset");
    s.length = e.u64_req("length");
    if (s.length == 0) e.fail("length", "length must be > 0");
    e.finish();
    sg.push_back(s);
  }
  return sg;
}

int prot_req(JsonObject& o) {
  const json& list = o.require("prot");
  if (!list.is_array()) o.fail("prot", "expected a list of flags, got " + json_type_name(list));
  int p = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string ptr = pointer_child(o.pointer("prot"), i);
    if (!list[i].is_string()) o.ctx().fail(ptr, "expected a flag name, got " + json_type_name(list[i]));
    const auto& s = list[i].get_ref<const std::string&>();
    int bit = 0;
    for (auto [name, b] : kProt)
      if (s == name) bit = b;
    if (!bit)
      o.ctx().fail(ptr, "unknown prot flag '" + s + "' (known: read, write, noexec, cache, mmio, priv)");
    p |= bit;
  }
  return p;
}

OpBody dma_op(JsonObject& o, std::string_view name, const Config& config) {
  if (name == "fq_timeout") return op::FqTimeout{};
  if (name == "map_page") {
    op::MapPage m;
    m.id = id_req(o);
    m.page = page_req(o, config);
    m.offset = o.u64_req("offset");
    m.size = o.u64_req("size");
    m.dir = dir_req(o);
    return m;
  }
  if (name == "unmap_page") return op::UnmapPage{id_req(o)};
  if (name == "unmap_page_raw") {
    op::UnmapPageRaw u;
    u.dma = o.u64_req("dma");
    u.size = o.u64_req("size");
    u.dir = dir_req(o);
    return u;
  }
  if (name == "map_sg") {
    op::MapSg m;
    m.id = id_req(o);
    m.sg = sg_req(o, config);
    m.dir = dir_req(o);
    return m;
  }
  if (name == "unmap_sg") return op::UnmapSg{id_req(o)};
  if (name == "alloc") {
    op::Alloc a;
    a.id = id_req(o);
    a.size = o.u64_req("size");
    return a;
  }
  if (name == "free") return op::Free{id_req(o)};
  if (name == "iommu_unmap") {
    op::IommuUnmap u;
    if (o.has("id")) {
      if (o.has("iova") || o.has("size")) o.fail("id", "give either id or iova + size, not both");
      u.id = id_req(o);
    } else {
      u.iova = o.u64_req("iova");
      u.size = o.u64_req("size");
    }
    return u;
  }
  op::Access a;  // the only dma op left in kDmaOps
  if (o.has("id")) {
    if (o.has("iova")) o.fail("id", "give either id + offset or iova, not both");
    a.id = id_req(o);
    a.offset = o.u64_or("offset", 0);
  } else {
    a.iova = o.u64_req("iova");
  }
  a.write = o.bool_or("write", false);
  return a;
}

OpBody smmu_op(JsonObject& o, std::string_view name, const Config& config) {
  if (name == "attach") {
    op::Attach a;
    const u64 sid = o.u64_req("sid");
    if (sid >> config.smmu.sidsize)
      o.fail("sid", "stream id " + std::to_string(sid) + " does not fit smmu.sidsize " + std::to_string(config.smmu.sidsize));
    a.sid = static_cast<u32>(sid);
    const std::string d = o.string_req("domain");
    bool known = false;
    for (SmmuDomainKind k : {SmmuDomainKind::dma, SmmuDomainKind::identity, SmmuDomainKind::blocked, SmmuDomainKind::unmanaged})
      if (d == smmu_domain_kind_name(k)) a.domain = k, known = true;
    if (!known) o.fail("domain", "unknown domain '" + d + "' (known: dma, identity, blocked, unmanaged)");
    return a;
  }
  const bool access = name == "access";
  const u64 sid = access ? o.u64_or("sid", 0) : 0;
  if (sid >> config.smmu.sidsize)
    o.fail("sid", "stream id " + std::to_string(sid) + " does not fit smmu.sidsize " + std::to_string(config.smmu.sidsize));
  OpBody b = dma_op(o, name, config);
  if (access) std::get<op::Access>(b).sid = static_cast<u32>(sid);
  return b;
}

unsigned cpu_or_0(JsonObject& o) {
  const u64 cpu = o.u64_or("cpu", 0);
  if (cpu >= kIovaCpus) o.fail("cpu", "must be below " + std::to_string(kIovaCpus) + " (the CPUs a case runs on)");
  return static_cast<unsigned>(cpu);
}

OpBody iova_op(JsonObject& o, std::string_view name) {
  if (name == "alloc") {
    op::IovaAlloc a;
    a.id = id_req(o);
    a.size = o.u64_req("size");
    a.limit_pfn = o.u64_req("limit_pfn");
    a.aligned = o.bool_or("aligned", true);
    a.fast = o.bool_or("fast", false);
    a.cpu = cpu_or_0(o);
    return a;
  }
  if (name == "free") {
    op::IovaFree f;
    f.id = id_req(o);
    f.fast = o.bool_or("fast", false);
    f.cpu = cpu_or_0(o);
    return f;
  }
  op::IovaReserve r;
  r.lo = o.u64_req("lo");
  r.hi = o.u64_req("hi");
  return r;
}

OpBody pgtable_op(JsonObject& o, std::string_view name) {
  if (name == "map") {
    op::PtMap m;
    m.iova = o.u64_req("iova");
    m.paddr = o.u64_req("paddr");
    m.pgsize = o.u64_req("pgsize");
    m.pgcount = o.u64_or("pgcount", 1);
    m.prot = prot_req(o);
    return m;
  }
  if (name == "unmap") {
    op::PtUnmap u;
    u.iova = o.u64_req("iova");
    u.pgsize = o.u64_req("pgsize");
    u.pgcount = o.u64_or("pgcount", 1);
    return u;
  }
  return op::PtIovaToPhys{o.u64_req("iova")};
}

std::string_view owner_of(std::string_view name) {
  if (in(kDmaOps, name)) return "dma";
  if (in(kIovaOps, name)) return "iova";
  if (in(kPgtableOps, name)) return "pgtable";
  if (in(kSmmuOps, name)) return "smmu";
  return {};
}

// The expectations each op can be checked against (corpus-format 1.2-1.4); any other known
// expectation on that op would be silently unchecked, so it is an error.
struct ExpectKeys {
  bool error = false, errno_name = false, count = false, fault = false, phys = false, pfn = false,
       mapped = false, unmapped = false;
};

ExpectKeys expect_keys(const OpBody& b) {
  ExpectKeys k;
  if (std::holds_alternative<op::MapPage>(b) || std::holds_alternative<op::Alloc>(b) ||
      std::holds_alternative<op::IovaReserve>(b))
    k.error = true;
  if (std::holds_alternative<op::MapSg>(b)) k.error = k.count = true;
  if (std::holds_alternative<op::Access>(b)) k.fault = k.phys = true;
  if (std::holds_alternative<op::IovaAlloc>(b)) k.error = k.pfn = true;
  if (std::holds_alternative<op::PtMap>(b)) k.error = k.errno_name = k.mapped = true;
  if (std::holds_alternative<op::PtUnmap>(b)) k.unmapped = true;
  if (std::holds_alternative<op::PtIovaToPhys>(b)) k.phys = true;
  return k;
}

OpExpect expect_from_json(JsonObject o, const OpBody& body) {
  const ExpectKeys k = expect_keys(body);
  const std::string op(op_name(body));
  auto check = [&](std::string_view key, bool allowed) {
    if (o.has(key) && !allowed)
      o.fail(key, "expectation '" + std::string(key) + "' does not apply to op " + op);
  };
  check("error", k.error || k.errno_name);
  check("count", k.count);
  check("fault", k.fault);
  check("phys", k.phys);
  check("pfn", k.pfn);
  check("mapped", k.mapped);
  check("unmapped", k.unmapped);

  OpExpect e;
  if (auto* v = o.get("error")) {
    if (v->is_string() && k.errno_name) {
      const auto& s = v->get_ref<const std::string&>();
      if (!in(kErrnos, s))
        o.fail("error", "unknown errno '" + s + "' (known: EEXIST, EINVAL, ERANGE, ENOMEM)");
      e.errno_name = s;
    } else if (v->is_boolean()) {
      e.error = v->get<bool>();
    } else {
      o.fail("error", std::string(k.errno_name ? "expected true, false or an errno name"
                                               : "expected true or false") +
                          ", got " + json_type_name(*v));
    }
  }
  e.count = o.u64_opt("count");
  if (o.has("fault")) e.fault = o.bool_or("fault", false);
  e.phys = o.u64_opt("phys");
  e.pfn = o.u64_opt("pfn");
  e.mapped = o.u64_opt("mapped");
  e.unmapped = o.u64_opt("unmapped");
  o.finish();
  return e;
}

json expect_to_json(const OpExpect& e) {
  json j = json::object();
  if (e.errno_name) j["error"] = *e.errno_name;
  else if (e.error) j["error"] = *e.error;
  if (e.count) j["count"] = size_value(*e.count);
  if (e.fault) j["fault"] = *e.fault;
  if (e.phys) j["phys"] = hex(*e.phys);
  if (e.pfn) j["pfn"] = hex(*e.pfn);
  if (e.mapped) j["mapped"] = size_value(*e.mapped);
  if (e.unmapped) j["unmapped"] = size_value(*e.unmapped);
  return j;
}

struct BodyWriter {
  json& j;
  void operator()(const op::MapPage& m) const {
    j["id"] = m.id;
    j["page"] = hex(m.page);
    j["offset"] = size_value(m.offset);
    j["size"] = size_value(m.size);
    j["dir"] = dir_name(m.dir);
  }
  void operator()(const op::UnmapPage& u) const { j["id"] = u.id; }
  void operator()(const op::UnmapPageRaw& u) const {
    j["dma"] = hex(u.dma);
    j["size"] = size_value(u.size);
    j["dir"] = dir_name(u.dir);
  }
  void operator()(const op::MapSg& m) const {
    j["id"] = m.id;
    json sg = json::array();
    for (const SgEntry& e : m.sg)
      sg.push_back({{"page", hex(e.page)}, {"offset", size_value(e.offset)}, {"length", size_value(e.length)}});
    j["sg"] = std::move(sg);
    j["dir"] = dir_name(m.dir);
  }
  void operator()(const op::UnmapSg& u) const { j["id"] = u.id; }
  void operator()(const op::Alloc& a) const {
    j["id"] = a.id;
    j["size"] = size_value(a.size);
  }
  void operator()(const op::Free& f) const { j["id"] = f.id; }
  void operator()(const op::IommuUnmap& u) const {
    if (u.id) {
      j["id"] = *u.id;
    } else {
      j["iova"] = hex(u.iova);
      j["size"] = size_value(u.size);
    }
  }
  void operator()(const op::Access& a) const {
    if (a.id) {
      j["id"] = *a.id;
      j["offset"] = size_value(a.offset);
    } else {
      j["iova"] = hex(a.iova);
    }
    j["write"] = a.write;
    if (a.sid) j["sid"] = a.sid;
  }
  void operator()(const op::IovaAlloc& a) const {
    j["id"] = a.id;
    j["size"] = size_value(a.size);
    j["limit_pfn"] = hex(a.limit_pfn);
    j["aligned"] = a.aligned;
    j["fast"] = a.fast;
    if (a.cpu) j["cpu"] = a.cpu;
  }
  void operator()(const op::IovaFree& f) const {
    j["id"] = f.id;
    j["fast"] = f.fast;
    if (f.cpu) j["cpu"] = f.cpu;
  }
  void operator()(const op::IovaReserve& r) const {
    j["lo"] = hex(r.lo);
    j["hi"] = hex(r.hi);
  }
  void operator()(const op::PtMap& m) const {
    j["iova"] = hex(m.iova);
    j["paddr"] = hex(m.paddr);
    j["pgsize"] = size_value(m.pgsize);
    j["pgcount"] = size_value(m.pgcount);
    json p = json::array();
    for (auto [name, bit] : kProt)
      if (m.prot & bit) p.push_back(name);
    j["prot"] = std::move(p);
  }
  void operator()(const op::PtUnmap& u) const {
    j["iova"] = hex(u.iova);
    j["pgsize"] = size_value(u.pgsize);
    j["pgcount"] = size_value(u.pgcount);
  }
  void operator()(const op::PtIovaToPhys& t) const { j["iova"] = hex(t.iova); }
  void operator()(const op::Attach& a) const {
    j["sid"] = a.sid;
    j["domain"] = smmu_domain_kind_name(a.domain);
  }
  void operator()(const op::FqTimeout&) const {}
};

}  // namespace

Op op_from_json(JsonObject o, Target target, const Config& config) {
  const std::string name = o.string_req("op");
  const std::string_view tname = target_name(target);
  bool known = false;
  switch (target) {
    case Target::dma: known = in(kDmaOps, name); break;
    case Target::iova: known = in(kIovaOps, name); break;
    case Target::pgtable: known = in(kPgtableOps, name); break;
    case Target::smmu: known = in(kSmmuOps, name); break;
  }
  if (!known) {
    const std::string_view owner = owner_of(name);
    if (!owner.empty())
      o.fail("op", "op '" + name + "' belongs to target " + std::string(owner) + ", not " + std::string(tname));
    o.fail("op", "unknown op '" + name + "' for target " + std::string(tname));
  }
  Op op;
  switch (target) {
    case Target::dma: op.body = dma_op(o, name, config); break;
    case Target::iova: op.body = iova_op(o, name); break;
    case Target::pgtable: op.body = pgtable_op(o, name); break;
    case Target::smmu: op.body = smmu_op(o, name, config); break;
  }
  if (auto* e = o.get("expect")) op.expect = expect_from_json(JsonObject(*e, o.pointer("expect"), o.ctx()), op.body);
  o.finish();
  return op;
}

json op_to_json(const Op& op) {
  json j = json::object();
  j["op"] = op_name(op.body);
  std::visit(BodyWriter{j}, op.body);
  if (!op.expect.empty()) j["expect"] = expect_to_json(op.expect);
  return j;
}

}  // namespace iovet
