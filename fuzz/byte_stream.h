// The byte streams fuzz inputs are made of: unsigned LEB128 varints, so a value of any width
// costs one byte when small and mutations of one byte stay local. A reader past the end
// returns the caller's default, so every prefix of an input decodes (an empty input is the
// default case).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "spec/types.h"

namespace iovet::fuzz {

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ == end_; }
  u64 varint(u64 dflt) {
    if (done()) return dflt;
    u64 v = 0;
    for (unsigned shift = 0; p_ != end_ && shift < 64; shift += 7) {
      const std::uint8_t b = *p_++;
      v |= u64{b & 0x7fu} << shift;
      if (!(b & 0x80)) break;
    }
    return v;
  }
  // One of n choices (n > 0).
  unsigned pick(unsigned n, unsigned dflt = 0) { return static_cast<unsigned>(varint(dflt) % n); }
  bool flag(bool dflt) { return varint(dflt ? 1 : 0) & 1; }

 private:
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

class ByteWriter {
 public:
  void varint(u64 v) {
    do {
      const auto b = static_cast<char>(v & 0x7f);
      v >>= 7;
      out_.push_back(static_cast<char>(b | (v ? 0x80 : 0)));
    } while (v);
  }
  void flag(bool b) { varint(b ? 1 : 0); }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

}  // namespace iovet::fuzz
