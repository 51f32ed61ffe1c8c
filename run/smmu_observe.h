// What `iovet diff` compares of an SMMU stack, op by op: the effects of the commands the
// hardware consumed, not their sequence (drivers batch, split ranges and sync differently and
// still invalidate the same things), the configuration memory holds after the op, and the
// events a device access raised. docs/kernel.md says what is left out and why.
#pragma once
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "spec/types.h"
#include "spec/unit/smmu.h"

namespace iovet {

class SmmuObserver {
 public:
  void trace(const SmmuTrace& t);
  // The op's effects in words every SMMU stack shares, and the streams whose configuration
  // changed since the last call; resets the op's command effects.
  std::vector<std::string> take(const std::map<u32, StreamView>& views);
  static std::string event_line(const SmmuEvent& e);

 private:
  // Configuration and by-context invalidations, deduplicated; a CFGI_CD with its StreamID
  // (~0u for the others), left out when a CFGI_STE of that stream came in the same op.
  std::set<std::pair<u32, std::string>> commands_;
  std::set<u32> ste_sids_;
  // By-address TLBIs as the pages they cover, per context (asid or vmid) and leaf hint.
  std::map<std::string, std::vector<Range>> ranges_;
  std::map<u32, StreamView> views_;
};

}  // namespace iovet
