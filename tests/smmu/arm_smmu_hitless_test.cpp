// The hitless STE update: every intermediate STE the hardware could fetch is the old or the
// new configuration on the bits each uses, or (only when two used qwords must change) V=0.
#include <catch2/catch.hpp>

#include <bit>
#include <string>

#include "tests/smmu/smmu_rig.h"

using namespace iovet;
using namespace iovet::test;

namespace {

enum class Cfg { abort, bypass, s1a, s1b, s2 };
const char* name(Cfg c) {
  static const char* n[] = {"abort", "bypass", "s1a", "s1b", "s2"};
  return n[static_cast<int>(c)];
}

// The test's own reading of which STE bits are live: V; Config; for S1 the CD pointer, format,
// CDMax and qword 1's S1 controls; for S2 VMID, VTCR and S2TTB; SHCFG for bypass.
smmu::Entry used_bits(const smmu::Entry& e) {
  smmu::Entry u{};
  u[0] = 1;
  if (!(e[0] & 1)) return u;
  u[0] |= 0xe;
  const u64 cfg = bits(e[0], 3, 1);
  if (cfg & 1) {
    u[0] |= ~u64{0} << 4;
    u[1] |= 0xff | (3ull << 28) | (3ull << 30) | (1ull << 27) | (1ull << 19);
    u[2] |= 0xffff;
  }
  if (cfg & 2) {
    u[1] |= (3ull << 44) | (1ull << 25) | (3ull << 28) | (1ull << 19);
    u[2] |= ~u64{0} & ~(0xffffull << 16) & ((1ull << 59) - 1);
    u[3] |= ((1ull << 52) - 1) & ~0xfull;
  }
  if (cfg == 4) u[1] |= 3ull << 44;
  return u;
}

bool same_config(const smmu::Entry& a, const smmu::Entry& b) {
  const smmu::Entry ua = used_bits(a), ub = used_bits(b);
  for (unsigned i = 0; i < smmu::entry_qwords; ++i)
    if (ua[i] != ub[i] || (a[i] & ua[i]) != (b[i] & ub[i])) return false;
  return true;
}

// Qwords whose bits in use by the new STE still differ once every bit the old one ignores has
// been given its new value: more than one cannot change in a single 64-bit store.
unsigned critical_qwords(const smmu::Entry& old_ste, const smmu::Entry& new_ste) {
  const smmu::Entry uo = used_bits(old_ste), un = used_bits(new_ste);
  unsigned n = 0;
  for (unsigned i = 0; i < smmu::entry_qwords; ++i) {
    const u64 merged = (old_ste[i] & uo[i]) | (new_ste[i] & ~uo[i]);
    n += (merged & un[i]) != (new_ste[i] & un[i]);
  }
  return n;
}

// A driver on a rig with two stage-1 domains and one stage-2 domain.
struct Stack {
  SmmuRig rig;
  std::unique_ptr<ArmSmmuDevice> dev;
  ArmLpaePgtable pt_a{s1_cfg()}, pt_b{s1_cfg()}, pt_s2{s2_cfg()};
  std::unique_ptr<ArmSmmuDomain> a, b, s2;
  template <typename Device = ArmSmmuDevice>
  void init() {
    dev = rig.probe<Device>();
    a = std::make_unique<ArmSmmuDomain>(*dev, pt_a);
    b = std::make_unique<ArmSmmuDomain>(*dev, pt_b);
    s2 = std::make_unique<ArmSmmuDomain>(*dev, pt_s2);
  }
  int attach(u32 sid, Cfg c) {
    switch (c) {
      case Cfg::abort: return dev->attach(sid, SmmuDomainKind::blocked, nullptr);
      case Cfg::bypass: return dev->attach(sid, SmmuDomainKind::identity, nullptr);
      case Cfg::s1a: return dev->attach(sid, SmmuDomainKind::dma, a.get());
      case Cfg::s1b: return dev->attach(sid, SmmuDomainKind::dma, b.get());
      case Cfg::s2: return dev->attach(sid, SmmuDomainKind::dma, s2.get());
    }
    return -1;
  }
};

constexpr Cfg all[] = {Cfg::abort, Cfg::bypass, Cfg::s1a, Cfg::s1b, Cfg::s2};
constexpr u32 kSid = 0x305;

}  // namespace

TEST_CASE("smmu hitless: every transition passes only through old, new or V=0", "[smmu]") {
  for (Cfg from : all)
    for (Cfg to : all) {
      Stack st;
      st.init();
      REQUIRE(st.attach(kSid, from) == 0);
      const u64 ste_pa = st.dev->ste_pa(kSid);
      const smmu::Entry old_ste = st.rig.entry_at(ste_pa);
      std::vector<smmu::Entry> states;
      st.dev->on_entry_store = [&](u32 sid) {
        REQUIRE(sid == kSid);
        states.push_back(st.rig.entry_at(ste_pa));
      };
      REQUIRE(st.attach(kSid, to) == 0);
      const smmu::Entry new_ste = st.rig.entry_at(ste_pa);
      INFO(name(from) << " -> " << name(to));
      const bool breaking = critical_qwords(old_ste, new_ste) >= 2;
      for (std::size_t i = 0; i < states.size(); ++i) {
        INFO("store " << i);
        const smmu::Entry& s = states[i];
        const bool ok = same_config(s, old_ste) || same_config(s, new_ste) ||
                        (breaking && !(s[0] & 1));
        CHECK(ok);
      }
      if (from != to) CHECK_FALSE(states.empty());  // stores happened and were all seen
      // Stage 1 <-> stage 2 changes Config and S2VMID/S2TTB: the one disruptive case.
      const bool s1_s2 = (from == Cfg::s2) != (to == Cfg::s2) &&
                         (from == Cfg::s1a || from == Cfg::s1b || to == Cfg::s1a || to == Cfg::s1b);
      CHECK(breaking == s1_s2);
      // At most three steps (each followed by a CFGI + SYNC): qword stores are bounded too.
      CHECK(states.size() <= 2 * smmu::entry_qwords);
    }
}

namespace {
// A planted fault: writes the new qword 0 (V, Config) before everything else.
class QwordZeroFirst : public ArmSmmuDevice {
 public:
  using ArmSmmuDevice::ArmSmmuDevice;

 protected:
  void write_entry(const EntryWriter& w, u64 entry_pa, const smmu::Entry& target) override {
    store_qword(w, entry_pa, 0, target[0]);
    for (unsigned i = 1; i < smmu::entry_qwords; ++i) store_qword(w, entry_pa, i, target[i]);
    entry_sync(w);
  }
};
}  // namespace

TEST_CASE("smmu hitless: a subclass writing qword 0 first is caught", "[smmu]") {
  Stack st;
  st.init<QwordZeroFirst>();
  REQUIRE(st.attach(kSid, Cfg::bypass) == 0);
  const u64 ste_pa = st.dev->ste_pa(kSid);
  const smmu::Entry old_ste = st.rig.entry_at(ste_pa);
  std::vector<smmu::Entry> states;
  st.dev->on_entry_store = [&](u32) { states.push_back(st.rig.entry_at(ste_pa)); };
  REQUIRE(st.attach(kSid, Cfg::s2) == 0);
  const smmu::Entry new_ste = st.rig.entry_at(ste_pa);
  REQUIRE(!states.empty());
  const smmu::Entry& first = states.front();
  // Qword 0 already says "stage 2" while S2TTB and the VTCR still hold bypass's zeros.
  CHECK(first[0] == new_ste[0]);
  CHECK(first[2] == old_ste[2]);
  CHECK(first[3] == old_ste[3]);
  CHECK_FALSE(same_config(first, old_ste));
  CHECK_FALSE(same_config(first, new_ste));
  CHECK(first[0] & 1);  // and it is valid: the hardware would use it
}
