// fuzz/case_bytes.h: corpus cases round-trip through bytes, and any bytes decode to a case that
// is valid JSON-wise and runs.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "case/case_files.h"
#include "case/case_json.h"
#include "case/input_error.h"
#include "fuzz/case_bytes.h"
#include "run/run.h"

using namespace iovet;

namespace {

Case decode(Target t, const std::string& bytes, const std::string& variant) {
  return fuzz::decode_case(t, reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), {variant});
}

template <class T> constexpr bool kCreates = std::is_same_v<T, op::MapPage> || std::is_same_v<T, op::MapSg> ||
                                             std::is_same_v<T, op::Alloc> || std::is_same_v<T, op::IovaAlloc>;

// What the decoder gives back for a case: ids m0, m1, ... in creation order, no expectations,
// named "fuzz".
Case as_decoded(Case c) {
  std::map<std::string, std::string> names;
  for (Op& o : c.ops) {
    o.expect = {};
    std::visit(
        [&names](auto& b) {
          using T = std::decay_t<decltype(b)>;
          if constexpr (kCreates<T>) {
            const std::string m = "m" + std::to_string(names.size());
            names[b.id] = m;
            b.id = m;
          } else if constexpr (requires { b.id.has_value(); }) {
            if (b.id) b.id = names.at(*b.id);
          } else if constexpr (requires { b.id; }) {
            b.id = names.at(b.id);
          }
        },
        o.body);
  }
  c.name = "fuzz";
  c.description.clear();
  c.expect_rules.clear();
  c.allow_rules.clear();
  c.provenance = nlohmann::ordered_json();
  return c;
}

// Cases the decoder changes on purpose: outside the contract it keeps, or too costly for one
// execution.
bool in_contract(const std::string& file) {
  for (const char* why : {
           "-ril-scale-overflow",  // a 16 TiB map_page, above the decoder's 2 MiB
           "linux-6.1-pgtable-",   // maps over live ones and unmaps of nothing, which a trusting variant is not given
           "-oversized-entry-",    // an entry longer than max_seg_size
           "map_sg.slot_within_boundary",  // an entry longer than its boundary window
           "-of-phys-0-",                  // physical page 0, which the decoder keeps out
       })
    if (file.find(why) != std::string::npos) return false;
  return true;
}

}  // namespace

TEST_CASE("every corpus case encodes, and decodes back to itself when in contract", "[fuzz]") {
  int exact = 0;
  for (const std::string& file : list_case_files({IOVET_SOURCE_DIR "/corpus"})) {
    const Case c = load_case(file, false, nullptr);
    INFO(file);
    const std::string bytes = fuzz::encode_case(c);
    const Case back = decode(c.target, bytes, c.variant.value_or(""));
    // Decoding is a fixpoint: what the decoder gave encodes to itself.
    CHECK(case_to_text(decode(c.target, fuzz::encode_case(back), c.variant.value_or(""))) == case_to_text(back));
    if (in_contract(file)) {
      CHECK(case_to_text(back) == case_to_text(as_decoded(c)));
      ++exact;
    }
  }
  CHECK(exact >= 30);
}

TEST_CASE("any bytes decode to a case that writes, parses back and runs", "[fuzz]") {
  std::mt19937_64 rng(15);
  for (Target t : {Target::dma, Target::iova, Target::pgtable, Target::smmu}) {
    for (int k = 0; k < 300; ++k) {
      std::string bytes(rng() % 200, '\0');
      for (char& ch : bytes) ch = static_cast<char>(rng());
      const Case c = decode(t, bytes, "mainline");
      const std::string text = case_to_text(c);
      INFO(text);
      CHECK(case_to_text(parse_case_text(text, "decoded", true, nullptr)) == text);
      CHECK(case_to_text(decode(t, fuzz::encode_case(c), "mainline")) == text);
      if (!refused(c, RunOptions{"mainline"})) CHECK_NOTHROW(run_case(c, RunOptions{"mainline"}));
    }
  }
}

TEST_CASE("the empty input is the default configuration with no ops", "[fuzz]") {
  const Case c = decode(Target::dma, "", "");
  CHECK(c.ops.empty());
  CHECK(case_to_text(c) == case_to_text([] {
          Case d;
          d.name = "fuzz";
          return d;
        }()));
}

TEST_CASE("an op of another target does not encode", "[fuzz]") {
  Case c;
  c.name = "mixed";
  c.target = Target::iova;
  c.ops.push_back({op::MapPage{"a", 0x1000, 0, 4096, Dir::bidirectional}, {}});
  CHECK_THROWS_AS(fuzz::encode_case(c), InputError);
}
