#include "fuzz/reduce.h"

#include <algorithm>

namespace iovet::fuzz {

Case reduce_ops(Case c, const std::function<bool(const Case&)>& still_fails) {
  for (std::size_t chunk = std::max<std::size_t>(c.ops.size() / 2, 1); chunk >= 1;) {
    bool removed = false;
    for (std::size_t at = 0; at < c.ops.size();) {
      Case t = c;
      const auto first = t.ops.begin() + static_cast<std::ptrdiff_t>(at);
      t.ops.erase(first, first + static_cast<std::ptrdiff_t>(std::min(chunk, t.ops.size() - at)));
      if (still_fails(t)) {
        c = std::move(t);
        removed = true;
      } else {
        at += chunk;
      }
    }
    // Down to single ops, then again until no single op can go.
    if (chunk == 1 && !removed) break;
    if (chunk > 1) chunk /= 2;
  }
  return c;
}

}  // namespace iovet::fuzz
