#include "impl/lpae_geometry.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace iovet {

using namespace lpae;

u64 lpae_pgsize_bitmap(u64 granule, unsigned oas) {
  switch (granule) {
    case 4096: return (u64{1} << 12) | (u64{1} << 21) | (u64{1} << 30);
    case 16384: return (u64{1} << 14) | (u64{1} << 25);
    case 65536: return (u64{1} << 16) | (u64{1} << 29) | (oas > 48 ? u64{1} << 42 : 0);
  }
  return 0;
}

PgtableCfg arm_lpae_restrict_cfg(PgtableCfg cfg) {
  // The kernel prefers PAGE_SIZE; with no CPU page size here, take the smallest granule.
  u64 granule = 0;
  for (u64 g : {u64{4096}, u64{16384}, u64{65536}})
    if (cfg.pgsize_bitmap & g) {
      granule = g;
      break;
    }
  const unsigned max_addr_bits = granule == 65536 ? 52 : 48;
  cfg.pgsize_bitmap &= lpae_pgsize_bitmap(granule, cfg.oas);
  cfg.ias = std::min(cfg.ias, max_addr_bits);
  cfg.oas = std::min(cfg.oas, max_addr_bits);
  return cfg;
}

int LpaeGeometry::leaf_level(u64 pgsize) const {
  if (!is_pow2(pgsize) || pgsize < granule()) return -1;
  const unsigned above = ilog2(pgsize) - pg_shift();
  if (above % bits_per_level) return -1;
  const int lvl = ARM_LPAE_MAX_LEVELS - 1 - static_cast<int>(above / bits_per_level);
  return lvl >= start_level ? lvl : -1;
}

bool arm_lpae_concat_mandatory(const LpaeGeometry& g) {
  // R_DXBSH, and R_SRKBC for a 48-bit PA size with 16K.
  if (g.granule() == 16384 && g.start_level == 0) return g.oas == 48 || g.ias == 48;
  // R_SRKBC: 40- and 42-bit PA sizes with 4K cannot start at level 0.
  if (g.granule() == 4096 && g.start_level == 0) return g.oas == 40 || g.oas == 42;
  // R_SRKBC: a 40-bit PA size with 16K cannot start at level 1.
  return g.granule() == 16384 && g.start_level == 1 && g.oas == 40;
}

LpaeGeometry arm_lpae_geometry(const PgtableCfg& cfg) {
  if (!(cfg.pgsize_bitmap & (4096 | 16384 | 65536)))
    throw LpaeCfgError("pgsize_bitmap", "arm-lpae: pgsize_bitmap has no 4K, 16K or 64K granule");
  if (cfg.ias > ARM_LPAE_MAX_ADDR_BITS || cfg.oas > ARM_LPAE_MAX_ADDR_BITS)
    throw LpaeCfgError(cfg.ias > ARM_LPAE_MAX_ADDR_BITS ? "ias" : "oas", "arm-lpae: ias/oas above 52 bits");
  // The TCR/VTCR (I)PS field encodes only these output sizes.
  static constexpr unsigned ps[] = {32, 36, 40, 42, 44, 48, 52};
  if (std::find(std::begin(ps), std::end(ps), cfg.oas) == std::end(ps))
    throw LpaeCfgError("oas", "arm-lpae: oas " + std::to_string(cfg.oas) +
                                " has no TCR.IPS encoding");

  LpaeGeometry g;
  g.fmt = cfg.format;
  g.ias = cfg.ias;
  g.oas = cfg.oas;
  const unsigned pg_shift = static_cast<unsigned>(__builtin_ctzll(cfg.pgsize_bitmap));
  g.bits_per_level = pg_shift - 3;
  if (cfg.ias <= pg_shift) throw LpaeCfgError("ias", "arm-lpae: ias below the granule");
  const unsigned va_bits = cfg.ias - pg_shift;
  const unsigned levels = (va_bits + g.bits_per_level - 1) / g.bits_per_level;
  g.start_level = ARM_LPAE_MAX_LEVELS - static_cast<int>(levels);
  // The pgd's own size, without concatenation.
  g.pgd_bits = va_bits - g.bits_per_level * (levels - 1);

  if (cfg.format == Format::arm64_lpae_s2 && arm_lpae_concat_mandatory(g)) {
    if ((u64{1} << g.pgd_bits) > ARM_LPAE_S2_MAX_CONCAT_PAGES)
      throw LpaeCfgError("ias", "arm-lpae: more than 16 concatenated stage-2 tables (ias too large for a stage-2 walk that must start one level lower with this oas)");
    g.pgd_bits += g.bits_per_level;
    g.start_level++;
    g.concatenated = true;
  }
  return g;
}

}  // namespace iovet
