#include "spec/rules.h"

#include <array>

namespace iovet {
namespace {
using C = RuleClass;
constexpr std::array kRules = {
    Rule{"sg.translation", C::contract, "dma",
         "every byte of every input entry is reachable at the right DMA address and translates to its own physical byte"},
    Rule{"sg.length", C::contract, "dma",
         "each output segment's dma length equals the sum of the input lengths it covers"},
    Rule{"sg.order", C::contract, "dma",
         "output segments cover the input entries in order, each input entry in exactly one segment"},
    Rule{"sg.max_seg_size", C::contract, "dma",
         "a segment made of more than one input entry is at most max_seg_size"},
    Rule{"sg.boundary", C::contract, "dma",
         "an output segment never contains both k*(mask+1)-1 and k*(mask+1), unless it is a single input entry that is longer than mask+1 or whose own physical extent already crosses such a boundary modulo the granule"},
    Rule{"sg.dma_mask", C::contract, "dma", "every DMA address of a mapping is within the device's mask"},
    Rule{"sg.count", C::contract, "dma", "map_sg returns 1..nents on success, 0 (or an error) on failure"},
    Rule{"sg.restore", C::contract, "dma",
         "after map_sg (success or failure) page/offset/length of every entry are as the caller gave them; on failure dma fields are invalid"},
    Rule{"sg.contiguity", C::hardening, "dma",
         "where every entry but the first starts on a granule boundary and every entry but the last ends on one, boundary and max_seg_size permitting, the list maps to one segment"},
    Rule{"dma.crash", C::contract, "dma",
         "no call may crash (null dereference, out-of-range access) on any input"},
    Rule{"dma.bug", C::contract, "dma",
         "no call may BUG() on a recoverable condition (misuse must warn and return)"},
    Rule{"dma.hang", C::contract, "dma",
         "every call returns: no runaway loop (iovet addition; kernel-tree variants report it after a CPU-time limit)"},
    Rule{"dma.offset", C::contract, "dma",
         "map_page returns an address with the same offset inside the granule as the physical address"},
    Rule{"dma.misuse", C::hardening, "dma",
         "misuse (unmapping a handle twice or one never mapped) leaves the allocator and page tables consistent: nothing live is freed, nothing is cached for reuse twice"},
    Rule{"dma.leak", C::contract, "dma",
         "after every mapping is unmapped, no IOVA is allocated (ranges cached for reuse count as free) and no page-table entry remains"},
    Rule{"dma.spurious_failure", C::hardening, "dma",
         "map_page and map_sg of a request within dma_parms succeed while IOVA space is clearly free: an aligned run of twice the power-of-two size any layout needs, below min(dma_mask, aperture end), clear of live mappings, reserved regions and the flush queue (the rcache counts as free: alloc_iova_fast() flushes it and retries). Hardening: the DMA API lets any mapping fail (drivers check dma_mapping_error(); dma_map_sgtable's -ENOMEM is 'insufficient resources like memory or IOVA space') and the judge sees no memory, yet a layer that fails such requests fails every driver"},
    Rule{"dma.init", C::contract, "dma",
         "iommu_dma_init_domain() fails with -EINVAL exactly when a PCI host bridge's dma-ranges, taken in CPU-address order, do not ascend disjointly in bus space, and succeeds otherwise (iovet addition)"},
    Rule{"dma.reserved", C::contract, "dma",
         "no mapping's IOVA granules lie in domain.reserved, a PCI host bridge's outbound window, or a bus-address gap outside its dma-ranges (iovet addition)"},
    Rule{"iova.overlap", C::contract, "iova", "live allocations and reserved ranges never overlap"},
    Rule{"iova.alignment", C::contract, "iova",
         "a size-aligned allocation of n pfns starts at a multiple of roundup_pow_of_two(n)"},
    Rule{"iova.window", C::contract, "iova",
         "allocations lie in [start_pfn, limit_pfn] and inside the domain's aperture"},
    Rule{"iova.zero", C::contract, "iova", "IOVA 0 is never handed out"},
    Rule{"iova.spurious_failure", C::hardening, "iova",
         "an allocation fails only when no legal place exists"},
    Rule{"pt.translation", C::contract, "pgtable",
         "the page table translates exactly the live mappings, with their physical addresses"},
    Rule{"pt.permission", C::contract, "pgtable",
         "a device can never write through a mapping made without write permission, nor read through one made without read where the format can express it"},
    Rule{"pt.exists", C::contract, "pgtable",
         "mapping over a live mapping fails with EEXIST and changes nothing"},
    Rule{"pt.range", C::contract, "pgtable", "addresses outside ias/oas are refused with ERANGE"},
    Rule{"pt.partial", C::contract, "pgtable",
         "unmapping part of a block either splits it exactly or refuses; it never loses the rest"},
    Rule{"pt.leak", C::hardening, "pgtable",
         "once everything is unmapped, every table page but the top one is freed (Linux's io-pgtable-arm.c keeps emptied tables until the domain dies: hardening)"},
    Rule{"smmu.translation", C::contract, "smmu",
         "a device access through a stream attached to the DMA domain reaches what the page table maps, with its permissions"},
    Rule{"smmu.stale", C::contract, "smmu",
         "no device access reaches memory through a translation that was unmapped and whose invalidation completed (or, in strict mode, whose unmap returned)"},
    Rule{"smmu.invalidation", C::contract, "smmu",
         "in strict mode an unmap returns only after invalidations covering every unmapped leaf (by address, range and the TG/TTL hints), followed by a CMD_SYNC, completed; in both modes a freed table's walk-cache entries are gone (a non-leaf TLBI) before the unmap returns"},
    Rule{"smmu.flush_queue", C::contract, "smmu",
         "in lazy mode an IOVA waiting in the flush queue is neither freed nor handed out again before its invalidation completed"},
    Rule{"smmu.hitless", C::contract, "smmu",
         "every state of a live STE or CD the hardware can fetch during an update equals the old or the new configuration in every field in use, or is invalid while moving between two translating configurations (a breaking update)"},
    Rule{"smmu.config", C::contract, "smmu",
         "once attach returns, the stream uses the new domain: DMA translation, unmanaged (another context, nothing mapped), identity (bypass) or blocked (abort); and the configuration the SMMU may keep cached (fetched at any store or CFGI) is the one in memory"},
    Rule{"smmu.cmdq", C::contract, "smmu",
         "the hardware consumes exactly the commands the driver issued, in order, none illegal; the queue never overflows; every CMD_SYNC completes before the op returns"},
    Rule{"smmu.event", C::contract, "smmu",
         "a faulting access through a translating stream records one event of the right type with its stream id, address and direction; an aborting stream records none, a stream with no stream table entry a configuration error"},
    Rule{"smmu.walk", C::contract, "smmu",
         "the hardware's table walk and the io-pgtable's iova_to_phys agree on every address"},
};
}  // namespace

std::span<const Rule> all_rules() { return kRules; }

const Rule* find_rule(std::string_view id) {
  for (const Rule& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

std::string_view class_name(RuleClass c) { return c == C::contract ? "contract" : "hardening"; }

}  // namespace iovet
