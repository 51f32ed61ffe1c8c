// smmu_queue arithmetic against a model of unbounded prod/cons counters.
#include <catch2/catch.hpp>

#include "impl/smmu/queue.h"

using namespace iovet;
namespace q = iovet::smmu_queue;

namespace {
// A counter as the queue registers hold it: index and wrap bit, plus an overflow flag.
u32 enc(unsigned shift, u64 counter, bool ovf) {
  return static_cast<u32>(counter % (u64{2} << shift)) | (ovf ? q::overflow_flag : 0);
}
}  // namespace

TEST_CASE("queue: idx, wrp and ovf split a register value", "[smmu]") {
  CHECK(q::idx(3, 0x8000000d) == 5);
  CHECK(q::wrp(3, 0x8000000d) == 8);
  CHECK(q::ovf(0x8000000d) == q::overflow_flag);
  CHECK(q::ovf(0x7fffffff) == 0);
  CHECK(q::wrp(0, 1) == 1);
  CHECK(q::idx(0, 1) == 0);
}

TEST_CASE("queue: full, empty, has_space exhaustively for small queues", "[smmu]") {
  for (unsigned shift = 0; shift <= 5; ++shift) {
    const u64 size = u64{1} << shift;
    for (u64 cons = 0; cons < 2 * size; ++cons)
      for (u64 used = 0; used <= size; ++used)
        for (int flags = 0; flags < 4; ++flags) {
          const u32 p = enc(shift, cons + used, flags & 1), c = enc(shift, cons, flags & 2);
          INFO("shift " << shift << " cons " << cons << " used " << used);
          REQUIRE(q::full(shift, p, c) == (used == size));
          REQUIRE(q::empty(shift, p, c) == (used == 0));
          for (u64 n = 0; n <= size + 1; ++n)
            REQUIRE(q::has_space(shift, p, c, static_cast<u32>(n)) == (size - used >= n));
        }
  }
}

TEST_CASE("queue: inc_prod_n carries into the wrap bit and keeps OVF", "[smmu]") {
  for (unsigned shift = 0; shift <= 5; ++shift) {
    const u64 size = u64{1} << shift;
    for (u64 prod = 0; prod < 2 * size; ++prod)
      for (u64 n = 0; n <= 2 * size; ++n)
        for (bool ovf : {false, true}) {
          INFO("shift " << shift << " prod " << prod << " n " << n);
          REQUIRE(q::inc_prod_n(shift, enc(shift, prod, ovf), static_cast<u32>(n)) ==
                  enc(shift, prod + n, ovf));
        }
  }
}

TEST_CASE("queue: consumed means cons passed the entry by at most a queue's length", "[smmu]") {
  for (unsigned shift = 0; shift <= 5; ++shift) {
    const u64 size = u64{1} << shift;
    for (u64 entry = 0; entry < 2 * size; ++entry)
      // cons - entry ranges over one full period of the wrapped counters.
      for (long d = 1 - static_cast<long>(size); d <= static_cast<long>(size); ++d) {
        const u64 cons = entry + 4 * size + d;
        INFO("shift " << shift << " entry " << entry << " d " << d);
        REQUIRE(q::consumed(shift, enc(shift, cons, d & 1), enc(shift, entry, false)) ==
                (d >= 1));
      }
  }
}
