#include <catch2/catch.hpp>

#include "case/c_integer.h"

using namespace iovet;

TEST_CASE("C integer syntax", "[case][number]") {
  CHECK(parse_c_integer("0") == 0u);
  CHECK(parse_c_integer("4096") == 4096u);
  CHECK(parse_c_integer("0x40001000") == 0x40001000u);
  CHECK(parse_c_integer("0XfF") == 0xffu);
  CHECK(parse_c_integer("010") == 8u);  // octal, as in C
  CHECK(parse_c_integer("0xffffffffffffffff") == ~u64{0});
  CHECK(parse_c_integer("18446744073709551615") == ~u64{0});
  CHECK(parse_c_integer("01777777777777777777777") == ~u64{0});
  std::string why;
  CHECK_FALSE(parse_c_integer("18446744073709551616", &why));
  CHECK(why == "\"18446744073709551616\" does not fit in 64 bits");
  CHECK_FALSE(parse_c_integer("0x1ffffffffffffffff", &why));
  CHECK_FALSE(parse_c_integer("02000000000000000000000", &why));
  CHECK_FALSE(parse_c_integer("-1", &why));
  CHECK(why == "negative number");
  CHECK_FALSE(parse_c_integer("+1"));
  CHECK_FALSE(parse_c_integer("1 "));
  CHECK_FALSE(parse_c_integer("4096UL"));
}
