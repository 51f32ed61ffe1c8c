// How the case writer spells numbers: addresses, masks and pfns as hex strings ("0x1000");
// sizes and counts as JSON numbers while every JSON reader holds them exactly (below 2^53),
// as hex strings above that.
#pragma once
#include <nlohmann/json.hpp>

#include "spec/types.h"

namespace iovet {

inline nlohmann::ordered_json size_value(u64 v) {
  if (v < (u64{1} << 53)) return v;
  return hex(v);
}

inline nlohmann::ordered_json range_value(const Range& r) {
  return nlohmann::ordered_json::array({hex(r.first), hex(r.last)});
}

}  // namespace iovet
