// `iovet list variants|properties|rules|proofs`
#include <iostream>

#include "case/input_error.h"
#include "cli/commands.h"
#include "props/catalog.h"
#include "run/variants.h"
#include "smt/prove.h"
#include "spec/rules.h"

namespace iovet::cli {

int list(const std::string& what) {
  if (what == "variants") {
    for (const Variant& v : variants()) {
      std::string targets;
      for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu})
        if (v.runs(t)) targets += (targets.empty() ? "" : ", ") + std::string(target_name(t));
      std::cout << "  " << v.name << "  [" << targets << "]\n      " << v.source << "\n      " << v.summary << "\n";
      if (v.tree) {
        try {
          const KernelTree t = v.tree();  // extracts Debian's tree on first use
          std::cout << "      tree: Linux " << t.version << " at " << t.root << "\n";
        } catch (const InputError& e) {
          std::cout << "      tree: not available: " << e.problem << "\n";
        }
      }
    }
  } else if (what == "properties") {
    for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu})
      for (const Property& p : properties_for(t)) std::cout << p.name << "\n";
  } else if (what == "proofs") {
    for (const smt::ObligationInfo& o : smt::list_obligations())
      std::cout << o.id << "  [" << o.variant << "]  " << o.statement << "\n      covers: " << o.covers
                << "\n      widths: " << o.widths << "\n";
  } else {
    for (const Rule& r : all_rules()) std::cout << r.id << "  [" << class_name(r.cls) << "]  " << r.text << "\n";
  }
  return 0;
}

}  // namespace iovet::cli
