// The page table behind a hand model's domain: the optimised LPAE tables (impl) or the
// reference one, as config.pgtable says.
#pragma once
#include <memory>

#include "spec/config.h"
#include "spec/unit/page_table.h"

namespace iovet {

PgtableCfg pgtable_cfg(const Config& c);
std::unique_ptr<PageTable> make_page_table(const Config& c);

}  // namespace iovet
