#include "export/kunit.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <type_traits>
#include <variant>

#include "export/kunit_helpers.h"
#include "run/make_page_table.h"

namespace iovet {
namespace {

// A case name as a C identifier: lower case, '_' for anything else.
std::string c_ident(const std::string& name) {
  std::string s;
  for (char ch : name) s += std::isalnum(static_cast<unsigned char>(ch)) ? static_cast<char>(std::tolower(ch)) : '_';
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) s = "case_" + s;
  return s;
}

// Text inside a C comment or string: no comment end, no quote or backslash surprises.
std::string c_safe(std::string s) {
  for (std::size_t p; (p = s.find("*/")) != std::string::npos;) s.replace(p, 2, "* /");
  std::replace(s.begin(), s.end(), '"', '\'');
  std::replace(s.begin(), s.end(), '\\', '/');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

// Words wrapped into " * " comment lines of at most 96 columns.
void comment_wrapped(std::ostringstream& o, const std::string& text) {
  std::istringstream in(c_safe(text));
  std::string line, w;
  while (in >> w) {
    if (!line.empty() && line.size() + 1 + w.size() > 92) {
      o << " * " << line << "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + w;
  }
  if (!line.empty()) o << " * " << line << "\n";
}

std::string u64_c(u64 v) { return hex(v) + "ULL"; }
std::string b(bool v) { return v ? "true" : "false"; }

std::string prot_c(int p) {
  static constexpr std::pair<int, const char*> names[] = {{prot::read, "IOMMU_READ"},     {prot::write, "IOMMU_WRITE"},
                                                          {prot::cache, "IOMMU_CACHE"},   {prot::noexec, "IOMMU_NOEXEC"},
                                                          {prot::mmio, "IOMMU_MMIO"},     {prot::priv, "IOMMU_PRIV"}};
  std::string s;
  for (const auto& [bit, name] : names)
    if (p & bit) s += (s.empty() ? "" : " | ") + std::string(name);
  return s.empty() ? "0" : s;
}

std::string list(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ", ") + x;
  return s.empty() ? "none" : s;
}

bool uses_cpus(const Case& c) {
  for (const Op& op : c.ops) {
    if (const auto* a = std::get_if<op::IovaAlloc>(&op.body); a && a->cpu) return true;
    if (const auto* f = std::get_if<op::IovaFree>(&op.body); f && f->cpu) return true;
  }
  return false;
}

// The comment above a case's function: where it comes from and what iovet judged.
void case_comment(std::ostringstream& o, const KunitSource& s) {
  const Case& c = s.c;
  o << "/*\n * " << c_safe(c.name) << "\n * from " << c_safe(s.file) << "\n";
  if (!c.description.empty()) {
    o << " *\n";
    comment_wrapped(o, c.description);
  }
  o << " *\n * Variant: " << c_safe(c.variant.value_or("(none)")) << "; target " << target_name(c.target)
    << ".\n * Rules iovet judged broken: " << list(c.expect_rules) << ".\n";
  if (!c.allow_rules.empty()) o << " * Rules allowed: " << list(c.allow_rules) << ".\n";
  if (!c.provenance.empty()) {
    std::string prov;
    for (const auto& [k, v] : c.provenance.items())
      prov += (prov.empty() ? "" : ", ") + k + " " + (v.is_string() ? v.get<std::string>() : v.dump());
    comment_wrapped(o, "Provenance: " + prov + ".");
  }
  if (c.target == Target::pgtable)
    o << " * Not checked through the API: pt.leak (the table-page count is not visible).\n";
  else
    o << " * Not checked through the API: iova.spurious_failure and the rcache's own state.\n";
  o << " */\n";
}

// The kernel's page size decides how big its table and rcache allocations are: a case runs
// on the page size iovet judged it with.
void page_size_guard(std::ostringstream& o, const Case& c) {
  o << "\tif (PAGE_SIZE != " << c.config.page_size << "UL)\n\t\tkunit_skip(test, \"iovet judged this case with "
    << c.config.page_size << "-byte pages\");\n";
}

// "alloc a0", "free a0", "map", ...: the op as the case names it.
std::string op_title(const OpBody& body) {
  std::string t(op_name(body));
  if (const auto* a = std::get_if<op::IovaAlloc>(&body)) t += " " + c_safe(a->id) + (a->fast ? " (fast)" : "");
  if (const auto* f = std::get_if<op::IovaFree>(&body)) t += " " + c_safe(f->id) + (f->fast ? " (fast)" : "");
  return t;
}

class IovaCase {
 public:
  IovaCase(std::ostringstream& o, const Case& c) : o_(o), c_(c) {}

  void emit() {
    std::vector<std::string> ids;
    for (const Op& op : c_.ops)
      if (const auto* a = std::get_if<op::IovaAlloc>(&op.body); a && slot(a->id) == ids.size()) ids.push_back(a->id);
    o_ << "\tstruct iovet_iova *d = kunit_kzalloc(test, sizeof(*d), GFP_KERNEL);\n";
    if (!ids.empty()) {
      o_ << "\tstruct iovet_iova_id id[" << ids.size() << "] = {\n";
      for (const std::string& i : ids) o_ << "\t\t{ .name = \"" << c_safe(i) << "\" },\n";
      o_ << "\t};\n";
    }
    o_ << "\n";
    page_size_guard(o_, c_);
    o_ << "\tKUNIT_ASSERT_NOT_NULL(test, d);\n";
    const bool cpus = uses_cpus(c_);
    if (cpus) {
      unsigned max_cpu = 0;
      for (const Op& op : c_.ops) {
        if (const auto* a = std::get_if<op::IovaAlloc>(&op.body)) max_cpu = std::max(max_cpu, a->cpu);
        if (const auto* f = std::get_if<op::IovaFree>(&op.body)) max_cpu = std::max(max_cpu, f->cpu);
      }
      o_ << "\tiovet_need_cpus(test, " << max_cpu << ");\n";
    }
    const Range ap = c_.config.aperture();
    o_ << "\tiovet_iova_init(test, d, " << c_.config.granule << "UL, " << hex(c_.config.start_pfn) << "UL, "
       << u64_c(ap.first) << ", " << u64_c(ap.last) << ");\n";
    const unsigned shift = c_.config.granule_shift();
    for (const Range& r : c_.config.domain.reserved)
      o_ << "\tiovet_iova_reserve(d, " << hex(r.first >> shift) << "UL, " << hex(r.last >> shift)
         << "UL); /* config.domain.reserved */\n";
    unsigned cpu = 0;
    for (std::size_t n = 0; n < c_.ops.size(); ++n) {
      const Op& op = c_.ops[n];
      o_ << "\n\t/* op " << n << ": " << op_title(op.body) << " */\n";
      std::visit([&](const auto& body) { step(body, op.expect, cpus, cpu); }, op.body);
    }
    if (cpus) o_ << "\n\tKUNIT_EXPECT_EQ(test, set_cpus_allowed_ptr(current, cpu_possible_mask), 0);\n";
    o_ << "\tiovet_iova_exit(d);\n";
  }

 private:
  std::size_t slot(const std::string& id) {
    auto it = std::find(slots_.begin(), slots_.end(), id);
    if (it != slots_.end()) return static_cast<std::size_t>(it - slots_.begin());
    slots_.push_back(id);
    return slots_.size() - 1;
  }

  void pin(bool cpus, unsigned want, unsigned& cpu) {
    if (!cpus || (want == cpu && pinned_)) return;
    o_ << "\tiovet_on_cpu(test, " << want << ");\n";
    cpu = want;
    pinned_ = true;
  }

  void step(const op::IovaAlloc& a, const OpExpect& e, bool cpus, unsigned& cpu) {
    pin(cpus, a.cpu, cpu);
    const std::string ref = "&id[" + std::to_string(slot(a.id)) + "]";
    const std::string call = "iovet_iova_alloc(d, " + ref + ", " + std::to_string(a.size) + "UL, " + hex(a.limit_pfn) +
                             "UL, " + b(a.aligned) + ", " + b(a.fast) + ")";
    if (e.error)
      o_ << "\tKUNIT_EXPECT_" << (*e.error ? "FALSE" : "TRUE") << "(test, " << call << ");\n";
    else
      o_ << "\t" << call << ";\n";
    if (e.pfn) o_ << "\tKUNIT_EXPECT_EQ(test, id[" << slot(a.id) << "].pfn, " << hex(*e.pfn) << "UL);\n";
  }
  void step(const op::IovaFree& f, const OpExpect&, bool cpus, unsigned& cpu) {
    pin(cpus, f.cpu, cpu);
    o_ << "\tiovet_iova_free(d, &id[" << slot(f.id) << "], " << b(f.fast) << ");\n";
  }
  void step(const op::IovaReserve& r, const OpExpect&, bool, unsigned&) {
    o_ << "\tiovet_iova_reserve(d, " << hex(r.lo) << "UL, " << hex(r.hi) << "UL);\n";
  }
  template <class Other>
  void step(const Other&, const OpExpect&, bool, unsigned&) {
    o_ << "\tKUNIT_FAIL(test, \"not an op of target iova\");\n";
  }

  std::ostringstream& o_;
  const Case& c_;
  std::vector<std::string> slots_;
  bool pinned_ = false;
};

class PgtableCase {
 public:
  PgtableCase(std::ostringstream& o, const Case& c) : o_(o), c_(c) {}

  void emit() {
    const PgtableCfg cfg = pgtable_cfg(c_.config);
    o_ << "\tstruct iovet_pt *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);\n\n";
    page_size_guard(o_, c_);
    o_ << "\tKUNIT_ASSERT_NOT_NULL(test, p);\n"
       << "\tiovet_pt_init(test, p, " << (cfg.format == Format::arm64_lpae_s2 ? "ARM_64_LPAE_S2" : "ARM_64_LPAE_S1")
       << ", " << hex(cfg.pgsize_bitmap) << "UL, " << cfg.ias << ", " << cfg.oas << ");\n";
    for (std::size_t n = 0; n < c_.ops.size(); ++n) {
      const Op& op = c_.ops[n];
      o_ << "\n\t/* op " << n << ": " << op_title(op.body) << " */\n";
      std::visit([&](const auto& body) { step(body, op.expect); }, op.body);
    }
    o_ << "\tiovet_pt_exit(p);\n";
  }

 private:
  void step(const op::PtMap& m, const OpExpect& e) {
    const std::string call = "iovet_pt_map(p, " + u64_c(m.iova) + ", " + u64_c(m.paddr) + ", " + u64_c(m.pgsize) +
                             ", " + std::to_string(m.pgcount) + ", " + prot_c(m.prot) + ")";
    if (e.errno_name)
      o_ << "\tKUNIT_EXPECT_EQ(test, " << call << ", " << (*e.errno_name == "success" ? "0" : "-" + *e.errno_name)
         << ");\n";
    else if (e.error)
      o_ << "\tKUNIT_EXPECT_" << (*e.error ? "NE" : "EQ") << "(test, " << call << ", 0);\n";
    else
      o_ << "\t" << call << ";\n";
    if (e.mapped) o_ << "\tKUNIT_EXPECT_EQ(test, p->mapped, (size_t)" << u64_c(*e.mapped) << ");\n";
  }
  void step(const op::PtUnmap& u, const OpExpect& e) {
    const std::string call = "iovet_pt_unmap(p, " + u64_c(u.iova) + ", " + u64_c(u.pgsize) + ", " +
                             std::to_string(u.pgcount) + ")";
    if (e.unmapped)
      o_ << "\tKUNIT_EXPECT_EQ(test, " << call << ", (size_t)" << u64_c(*e.unmapped) << ");\n";
    else
      o_ << "\t" << call << ";\n";
  }
  void step(const op::PtIovaToPhys& t, const OpExpect& e) {
    o_ << "\tiovet_expect_pt_at(p, " << u64_c(t.iova) << ");\n";
    if (e.phys)
      o_ << "\tKUNIT_EXPECT_EQ(test, p->ops->iova_to_phys(p->ops, " << u64_c(t.iova) << "),\n\t\t\t(phys_addr_t)"
         << u64_c(*e.phys) << ");\n";
  }
  template <class Other>
  void step(const Other&, const OpExpect&) {
    o_ << "\tKUNIT_FAIL(test, \"not an op of target pgtable\");\n";
  }

  std::ostringstream& o_;
  const Case& c_;
};

}  // namespace

std::string kunit_case_name(const std::string& case_name) { return c_ident(case_name); }

bool kunit_checks_rule(const std::string& rule) {
  static const std::set<std::string> checked = {"iova.zero", "iova.window",   "iova.alignment", "iova.overlap",
                                                "pt.range",  "pt.exists",     "pt.translation", "pt.permission"};
  return checked.count(rule) != 0;
}

std::string kunit_not_exportable(const Case& c) {
  if (c.target == Target::iova || c.target == Target::pgtable) return "";
  return "dma and smmu cases run dma-iommu.c, which needs a device, an IOMMU domain and an IOMMU driver; a KUnit "
         "test cannot set those up without a fake IOMMU driver of its own. Only iova and pgtable cases export";
}

std::string kunit_suite_c(const std::vector<KunitSource>& sources, const std::string& suite) {
  bool iova = false, pgtable = false, cpus = false;
  for (const KunitSource& s : sources) {
    iova |= s.c.target == Target::iova;
    pgtable |= s.c.target == Target::pgtable;
    cpus |= s.c.target == Target::iova && uses_cpus(s.c);
  }
  std::ostringstream o;
  o << "// SPDX-License-Identifier: GPL-2.0\n/*\n * KUnit suite " << c_safe(suite)
    << ", exported by iovet " IOVET_VERSION " (iovet export --kunit).\n"
    << " *\n"
    << " * Each case replays an iovet case against the kernel's own iova and io-pgtable code and\n"
    << " * checks, call by call, what iovet's specification requires (the rule each check stands\n"
    << " * for starts its message). A case iovet found a bug with fails where the kernel has it.\n"
    << " */\n"
    << "#include <kunit/test.h>\n";
  if (pgtable) o << "#include <linux/io-pgtable.h>\n#include <linux/iommu.h>\n";
  if (iova) o << "#include <linux/iova.h>\n";
  if (cpus) o << "#include <linux/cpumask.h>\n#include <linux/sched.h>\n";
  if (iova) o << "\n" << kunit_iova_helpers();
  if (cpus) o << "\n" << kunit_cpu_helpers();
  if (pgtable) o << "\n" << kunit_pgtable_helpers();

  std::set<std::string> used;
  std::vector<std::string> fns;
  for (const KunitSource& s : sources) {
    std::string fn = kunit_case_name(s.c.name);
    for (int k = 2; used.count(fn); ++k) fn = c_ident(s.c.name) + "_" + std::to_string(k);
    used.insert(fn);
    fns.push_back(fn);
    o << "\n";
    case_comment(o, s);
    o << "static void " << fn << "(struct kunit *test)\n{\n";
    if (s.c.target == Target::iova)
      IovaCase(o, s.c).emit();
    else
      PgtableCase(o, s.c).emit();
    o << "}\n";
  }
  o << "\nstatic struct kunit_case " << c_ident(suite) << "_cases[] = {\n";
  for (const std::string& fn : fns) o << "\tKUNIT_CASE(" << fn << "),\n";
  o << "\t{}\n};\n\nstatic struct kunit_suite " << c_ident(suite) << "_suite = {\n\t.name = \"" << c_safe(suite)
    << "\",\n\t.test_cases = " << c_ident(suite) << "_cases,\n};\nkunit_test_suite(" << c_ident(suite)
    << "_suite);\n\nMODULE_LICENSE(\"GPL\");\n";
  return o.str();
}

}  // namespace iovet
