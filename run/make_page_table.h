// The page table behind a domain: the optimised LPAE tables (impl) or the reference one.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "spec/config.h"
#include "spec/unit/page_table.h"

namespace iovet {

PgtableCfg pgtable_cfg(const Config& c);
std::unique_ptr<PageTable> make_page_table(const Config& c);

using PgtableFactory = std::function<std::unique_ptr<PageTable>(const PgtableCfg&)>;

// Test-only: planted-fault page tables that a --variant name selects for target pgtable.
void register_pgtable_variant(std::string name, PgtableFactory make);

// The table a pgtable --variant names: "impl", "ref" or a registered one; nullptr for any
// other name (then config.pgtable decides).
const PgtableFactory* find_pgtable_variant(std::string_view name);

}  // namespace iovet
