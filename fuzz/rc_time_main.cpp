// iovet_fuzz_rc_time VARIANT TARGET RULE SEEDS: RapidCheck's side of README "Fuzzing": for each
// seed 1..SEEDS, the seconds until `iovet check`'s first property hunting RULE found a case
// (PropertyResult::found_s, before shrinking; the properties of a rule run side by side, so the
// first to find it is when check has it), then their median. "-" for a seed that found nothing.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "props/catalog.h"

using namespace iovet;

int main(int argc, char** argv) {
  Target t{};
  if (argc != 5 || !parse_target(argv[2], t)) {
    std::fprintf(stderr, "usage: iovet_fuzz_rc_time VARIANT TARGET RULE SEEDS\n");
    return 2;
  }
  const std::string variant = argv[1], rule = argv[3];
  const int seeds = std::stoi(argv[4]);
  std::vector<double> times;
  for (int seed = 1; seed <= seeds; ++seed) {
    double best = -1;
    for (const Property& p : properties_for(t)) {
      if (p.rule != rule) continue;
      const PropertyResult r = check_property(p, CampaignOptions{static_cast<u64>(seed), 200, 0, variant, {}});
      if (r.found_after && (best < 0 || r.found_s < best)) best = r.found_s;
    }
    if (best >= 0) times.push_back(best);
    std::printf("seed %d: %s\n", seed, best >= 0 ? std::to_string(best).c_str() : "-");
  }
  std::sort(times.begin(), times.end());
  if (times.empty()) std::printf("median: -\n");
  else std::printf("median: %.4f s (%zu of %d seeds found it)\n", times[times.size() / 2], times.size(), seeds);
  return 0;
}
