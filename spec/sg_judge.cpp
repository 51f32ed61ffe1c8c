#include "spec/sg_judge.h"

#include <string>

namespace iovet {
namespace {

constexpr u64 kAll = ~u64{0};

// The boundary window index of an address; masks are 2^k - 1.
u64 window(u64 addr, u64 mask) { return mask == kAll ? 0 : addr >> ilog2(mask + 1); }

bool crosses(u64 dma, u64 len, u64 mask) { return len && window(dma, mask) != window(dma + len - 1, mask); }

std::string seg_str(std::size_t j, const Scatterlist& s) {
  return "segment " + std::to_string(j) + " [" + hex(s.dma_address) + ",+" + hex(s.dma_length) + ")";
}

// Bytes of entry e worth probing: first, last, and the first byte of each granule it touches
// (at most a few dozen, spread over the entry).
std::vector<u64> probe_offsets(u64 phys, u64 len, u64 granule) {
  std::vector<u64> out{0};
  const u64 first_granule_end = granule - (phys & (granule - 1));
  const u64 granules = len > first_granule_end ? (len - first_granule_end + granule - 1) / granule : 0;
  const u64 step = granules > 32 ? granules / 32 : 1;
  for (u64 g = 0; g < granules; g += step) out.push_back(first_granule_end + g * granule);
  if (len > 1) out.push_back(len - 1);
  return out;
}

}  // namespace

bool sg_entry_must_cross(u64 phys, u64 length, u64 granule, u64 mask) {
  if (mask == kAll) return false;
  const u64 in_granule = phys & (granule - 1);
  const u64 start = in_granule & mask;  // the best placement keeps this offset in a window
  return length > mask + 1 - start;
}

SgVerdict judge_map_sg(const std::vector<SgInput>& input, const DeviceParams& dev, u64 granule, int ret,
                       const std::vector<Scatterlist>& output, const TranslateFn& translate) {
  SgVerdict v;
  auto fail = [&](const char* rule, std::string msg) { v.violations.push_back({rule, std::move(msg), -1, {}}); };
  const std::size_t nents = input.size();

  // sg.restore: the CPU fields are the caller's again, success or not.
  for (std::size_t i = 0; i < nents && i < output.size(); ++i) {
    const Scatterlist& o = output[i];
    if (o.page != input[i].page || o.offset != input[i].offset || o.length != input[i].length) {
      fail("sg.restore", "entry " + std::to_string(i) + " came back as page " + hex(o.page) + " offset " +
                             hex(o.offset) + " length " + hex(o.length) + ", was given as page " +
                             hex(input[i].page) + " offset " + hex(input[i].offset) + " length " +
                             hex(input[i].length));
      break;
    }
  }
  if (ret <= 0) {
    for (std::size_t i = 0; i < output.size(); ++i)
      if (output[i].dma_length != 0) {
        fail("sg.restore", "map_sg failed but entry " + std::to_string(i) + " still has dma_length " +
                               hex(output[i].dma_length));
        break;
      }
    return v;
  }
  if (static_cast<std::size_t>(ret) > nents) {
    fail("sg.count", "map_sg returned " + std::to_string(ret) + " segments for " + std::to_string(nents) + " entries");
    return v;
  }
  const std::size_t count = static_cast<std::size_t>(ret);

  // sg.dma_mask, and every segment non-empty.
  u64 seg_total = 0;
  for (std::size_t j = 0; j < count; ++j) {
    const Scatterlist& s = output[j];
    const u64 last = s.dma_address + (s.dma_length ? s.dma_length - 1 : 0);
    if (last < s.dma_address || last > dev.dma_mask)
      fail("sg.dma_mask", seg_str(j, s) + " is beyond the DMA mask " + hex(dev.dma_mask));
    if (s.dma_length == 0) fail("sg.length", seg_str(j, s) + " is empty");
    seg_total += s.dma_length;
  }

  // Coverage in stream order: segment j covers input bytes [seg_start[j], seg_start[j+1]).
  std::vector<u64> entry_start(nents + 1, 0);
  for (std::size_t i = 0; i < nents; ++i) entry_start[i + 1] = entry_start[i] + input[i].length;
  const u64 in_total = entry_start[nents];
  bool sound = seg_total == in_total;
  if (!sound) {
    // Name the first segment whose end is not where its entries end.
    u64 pos = 0;
    std::size_t i = 0;
    for (std::size_t j = 0; j < count; ++j) {
      const u64 end = pos + output[j].dma_length;
      const u64 begin_entry = i;
      while (i < nents && entry_start[i + 1] <= end) ++i;
      if (entry_start[i] != end || j + 1 == count) {
        const u64 covered = entry_start[std::min(i, nents)] - entry_start[begin_entry];
        fail("sg.length", seg_str(j, output[j]) + " but the entries it covers (" + std::to_string(begin_entry) +
                              ".." + std::to_string(i == begin_entry ? i : i - 1) + ") total " + hex(covered));
        break;
      }
      pos = end;
    }
  }
  // sg.order: no entry is split between segments, and each segment holds whole entries.
  std::vector<std::pair<std::size_t, std::size_t>> covers(count);  // [first, last] entry
  if (sound) {
    u64 pos = 0;
    std::size_t i = 0;
    for (std::size_t j = 0; j < count && sound; ++j) {
      const u64 end = pos + output[j].dma_length;
      const std::size_t first = i;
      while (i < nents && entry_start[i + 1] <= end) ++i;
      if (entry_start[i] != end) {
        fail("sg.order", "entry " + std::to_string(i) + " is split: " + seg_str(j, output[j]) +
                             " ends inside it");
        sound = false;
      } else if (i == first) {
        sound = false;  // an empty segment, reported above
      }
      covers[j] = {first, i - 1};
      pos = end;
    }
  }

  // sg.max_seg_size and sg.boundary, per segment.
  for (std::size_t j = 0; j < count; ++j) {
    const Scatterlist& s = output[j];
    const bool single = sound && covers[j].first == covers[j].second;
    if (sound && !single && s.dma_length > dev.max_seg_size)
      fail("sg.max_seg_size", seg_str(j, s) + " joins entries " + std::to_string(covers[j].first) + ".." +
                                  std::to_string(covers[j].second) + " and exceeds max_seg_size " +
                                  hex(dev.max_seg_size));
    if (crosses(s.dma_address, s.dma_length, dev.seg_boundary_mask)) {
      const SgInput* lone = single ? &input[covers[j].first] : nullptr;
      // Without a sound layout the entries are unknown: only a segment too long for any
      // window may be one long entry.
      const bool exempt = lone    ? sg_entry_must_cross(lone->phys(), lone->length, granule, dev.seg_boundary_mask)
                          : sound ? false
                                  : s.dma_length > dev.seg_boundary_mask + 1;
      if (!exempt) {
        const u64 b = (window(s.dma_address, dev.seg_boundary_mask) + 1) << ilog2(dev.seg_boundary_mask + 1);
        fail("sg.boundary", seg_str(j, s) + (single ? " (one entry)" : " (merged entries)") +
                                " crosses the boundary at " + hex(b) + " (seg_boundary_mask " +
                                hex(dev.seg_boundary_mask) + ")");
        v.violations.back().flavor = single ? "lone-entry" : "merged";
      }
    }
  }

  // sg.translation: probe each entry's bytes at the DMA address the segments give them.
  for (std::size_t i = 0, j = 0; i < nents; ++i) {
    bool bad = false;
    for (u64 off : probe_offsets(input[i].phys(), input[i].length, granule)) {
      const u64 k = entry_start[i] + off;  // stream position
      u64 seg_start = 0;
      j = 0;
      while (j < count && seg_start + output[j].dma_length <= k) seg_start += output[j++].dma_length;
      const u64 want = input[i].phys() + off;
      if (j == count) {
        fail("sg.translation", "byte " + hex(off) + " of entry " + std::to_string(i) +
                                   " lies beyond the last segment: the device cannot reach it");
        bad = true;
        break;
      }
      const u64 dma = output[j].dma_address + (k - seg_start);
      const Translation t = translate(dma);
      if (!t.valid || t.phys != want) {
        fail("sg.translation", "byte " + hex(off) + " of entry " + std::to_string(i) + " is at DMA " + hex(dma) +
                                   (t.valid ? " which translates to " + hex(t.phys) : std::string(" which is not mapped")) +
                                   ", expected " + hex(want));
        bad = true;
        break;
      }
    }
    if (bad) break;
  }

  // sg.contiguity (hardening): a list that could be one segment should be one.
  if (nents > 1 && count > 1) {
    bool joinable = in_total <= dev.max_seg_size;
    for (std::size_t i = 0; i < nents && joinable; ++i) {
      const u64 p = input[i].phys();
      if (i > 0 && (p & (granule - 1))) joinable = false;
      if (i + 1 < nents && ((p + input[i].length) & (granule - 1))) joinable = false;
    }
    if (joinable && dev.seg_boundary_mask != kAll) {
      const u64 start = (input[0].phys() & (granule - 1)) & dev.seg_boundary_mask;
      joinable = in_total <= dev.seg_boundary_mask + 1 - start;
    }
    if (joinable)
      fail("sg.contiguity", std::to_string(nents) + " entries that join on granule boundaries (" + hex(in_total) +
                                " bytes) were mapped as " + std::to_string(count) + " segments");
  }

  if (sound) {
    v.layout.sound = true;
    v.layout.entry_dma.resize(nents);
    for (std::size_t j = 0; j < count; ++j) {
      u64 dma = output[j].dma_address;
      for (std::size_t i = covers[j].first; i <= covers[j].second; ++i) {
        v.layout.entry_dma[i] = dma;
        dma += input[i].length;
      }
    }
  }
  return v;
}

}  // namespace iovet
