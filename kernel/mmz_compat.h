/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between kernel versions and architectures lives here,
 * so the rest of the module reads as plain current kernel code.
 */
#ifndef MMZ_COMPAT_H
#define MMZ_COMPAT_H

#include <linux/version.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/cacheflush.h>
#include <linux/mmzone.h>
#include <linux/pageblock-flags.h>
#include <linux/device.h>
#include <linux/dma-map-ops.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#include <linux/iommu-dma.h>
#endif

#if defined(CONFIG_X86)
#include <linux/set_memory.h>
#include <asm/cacheflush.h>
#include <asm/smp.h>
#elif defined(CONFIG_ARM64)
#include <linux/libnvdimm.h>
#ifndef CONFIG_ARCH_HAS_PMEM_API
#error "mmz: arm64 cache maintenance needs CONFIG_ARCH_HAS_PMEM_API"
#endif
#elif defined(CONFIG_ARM)
#include <asm/outercache.h>
#endif

/* vm_flags became read-only with accessors in 6.3. */
static inline void mmz_vm_flags_set(struct vm_area_struct *vma,
				    unsigned long flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

/*
 * Clean + invalidate the data cache lines of carve-out memory, given a
 * kernel mapping @va of the physical range [@phys, @phys + @size).
 *
 * Carve-out memory has no linear-map alias (ARM no-map, x86 memmap=), so
 * the DMA API cannot maintain it: dma_sync_* works on phys_to_virt(). The
 * maintenance is done by virtual address on a kernel mapping instead; the
 * data caches of the supported CPUs are physically tagged (PIPT, or VIPT
 * non-aliasing), so this also cleans lines dirtied through user aliases.
 *
 * x86:   coherent with device DMA, nothing is needed for correctness;
 *        clflush_cache_range() is still issued so that a block leaves no
 *        line behind for a later write-combine alias.
 * arm64: dcache_clean_inval_poc() is not exported; the pmem helpers are:
 *        clean to the point of persistence (>= PoC), then invalidate to PoC.
 * arm:   L1 by virtual address, then the outer cache (L2) by physical range.
 */
static inline void mmz_arch_clean_inval(void *va, phys_addr_t phys,
					size_t size)
{
#if defined(CONFIG_X86)
	clflush_cache_range(va, size);
#elif defined(CONFIG_ARM64)
	arch_wb_cache_pmem(va, size);
	arch_invalidate_pmem(va, size);
#elif defined(CONFIG_ARM)
	__cpuc_flush_dcache_area(va, size);
	outer_flush_range(phys, phys + size);
#else
#error "mmz: no cache maintenance for this architecture in mmz_compat.h"
#endif
}

/*
 * Invalidate only (generation 3's ot_mmb_invalid_cache_byaddr()): lines
 * the CPU dirtied are dropped, so a device's writes are read. arm64's
 * pmem helper invalidates to PoC (partial lines at the ends are cleaned
 * first). 32-bit ARM exports no invalidate-only call to modules (its
 * dmac_inv_range is private to arch/arm/mm): clean + invalidate there.
 * x86 is coherent: clflush.
 */
static inline void mmz_arch_inval(void *va, phys_addr_t phys, size_t size)
{
#if defined(CONFIG_ARM64)
	arch_invalidate_pmem(va, size);
#else
	mmz_arch_clean_inval(va, phys, size);
#endif
}

/*
 * Clean + invalidate everything ("flush all", IOC_MMB_FLUSH_DCACHE with 0).
 * Returns false when the architecture has no whole-cache operation that a
 * module may call; the caller then flushes block by block.
 */
static inline bool mmz_arch_clean_inval_all(void)
{
#if defined(CONFIG_X86)
	wbinvd_on_all_cpus();
	return true;
#else
	return false;
#endif
}

/*
 * The physical address where low memory ends: high memory (32-bit kernels
 * with CONFIG_HIGHMEM) starts here. Without high memory, no border.
 */
static inline u64 mmz_lowmem_end(void)
{
#ifdef CONFIG_HIGHMEM
	return (u64)virt_to_phys(high_memory - 1) + 1;
#else
	return U64_MAX;
#endif
}

/*
 * The largest block the buddy allocator hands out, in bytes. dma-direct
 * falls back to the buddy allocator when CMA fails, but only up to this
 * size: a CMA request bigger than this can only be served by CMA. MAX_ORDER
 * became inclusive in 6.4 and was renamed MAX_PAGE_ORDER in 6.8.
 */
#if defined(MAX_PAGE_ORDER)
#define MMZ_BUDDY_MAX_BYTES	(PAGE_SIZE << MAX_PAGE_ORDER)
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MMZ_BUDDY_MAX_BYTES	(PAGE_SIZE << MAX_ORDER)
#else
#define MMZ_BUDDY_MAX_BYTES	(PAGE_SIZE << (MAX_ORDER - 1))
#endif

/*
 * Is the pageblock of @pfn in a CMA area (migratetype MIGRATE_CMA)?
 *
 * The kernel exports neither get_pfnblock_flags_mask() nor the CMA areas'
 * bounds (cma_get_base()/cma_get_size() and dma_contiguous_default_area are
 * not exported), so this reads the pageblock bitmap the way
 * mm/page_alloc.c does (the bitmap and mem_section are reachable through
 * headers and exported symbols). Read only, racy like the kernel's own
 * readers, and only used to check where memory lies.
 */
static inline bool mmz_pfn_in_cma(unsigned long pfn)
{
#ifdef CONFIG_CMA
	unsigned long *bitmap, bitidx;

	if (!pfn_valid(pfn))
		return false;
#ifdef CONFIG_SPARSEMEM
	bitmap = section_to_usemap(__pfn_to_section(pfn));
	bitidx = ((pfn & (PAGES_PER_SECTION - 1)) >> pageblock_order) *
		 NR_PAGEBLOCK_BITS;
#else
	bitmap = page_zone(pfn_to_page(pfn))->pageblock_flags;
	bitidx = ((pfn - pageblock_start_pfn(page_zone(pfn_to_page(pfn))->zone_start_pfn)) >>
		  pageblock_order) * NR_PAGEBLOCK_BITS;
#endif
	return ((READ_ONCE(bitmap[bitidx / BITS_PER_LONG]) >>
		 (bitidx % BITS_PER_LONG)) & MIGRATETYPE_MASK) == MIGRATE_CMA;
#else
	return false;
#endif
}

/*
 * Does @dev allocate through dma-direct, the only path on which
 * dma_alloc_attrs() hands out CMA pages addressed by their physical
 * address? An IOMMU or bounce-buffer back end used to install dma_map_ops;
 * since 6.12 dma-iommu is called directly instead (dev->dma_iommu) and
 * get_dma_ops() stays NULL for it.
 */
static inline bool mmz_dev_dma_direct(struct device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	if (use_dma_iommu(dev))
		return false;
#endif
	return !get_dma_ops(dev);
}

/* The CMA area @dev allocates from (NULL: the default area). */
static inline struct cma *mmz_dev_cma_area(struct device *dev)
{
#ifdef CONFIG_DMA_CMA
	return dev->cma_area;
#else
	return NULL;
#endif
}

/*
 * The kernel linear map of CMA pages that user space maps write-combine
 * must not stay write-back: x86 PAT forbids mixing memory types on one
 * page (set_memory_wc() records the type, so later conflicting requests
 * fail). Elsewhere the alias is tolerated as for dma-direct's uncached
 * remaps, and the cache is cleaned by the caller.
 */
/* One memory type per page (x86 PAT): a block's mappings must agree. */
static inline bool mmz_arch_one_memtype(void)
{
	return IS_ENABLED(CONFIG_X86);
}

static inline int mmz_arch_linear_wc(void *va, int npages)
{
#if defined(CONFIG_X86)
	return set_memory_wc((unsigned long)va, npages);
#else
	return 0;
#endif
}

static inline int mmz_arch_linear_wb(void *va, int npages)
{
#if defined(CONFIG_X86)
	return set_memory_wb((unsigned long)va, npages);
#else
	return 0;
#endif
}

/*
 * Internals the KUnit module (mmz_test.ko) reaches, in a namespace of their
 * own; a kernel without KUnit exports none of them. Namespaces are string
 * literals from 6.13 on.
 */
#if IS_ENABLED(CONFIG_KUNIT)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define MMZ_EXPORT_FOR_TEST(sym)	EXPORT_SYMBOL_NS_GPL(sym, "MMZ_TEST")
#define MMZ_IMPORT_TEST_NS()		MODULE_IMPORT_NS("MMZ_TEST")
#else
#define MMZ_EXPORT_FOR_TEST(sym)	EXPORT_SYMBOL_NS_GPL(sym, MMZ_TEST)
#define MMZ_IMPORT_TEST_NS()		MODULE_IMPORT_NS(MMZ_TEST)
#endif
#else
#define MMZ_EXPORT_FOR_TEST(sym)
#endif

/* dma_buf_export() and friends are in the DMA_BUF namespace */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define MMZ_IMPORT_DMA_BUF_NS()		MODULE_IMPORT_NS("DMA_BUF")
#else
#define MMZ_IMPORT_DMA_BUF_NS()		MODULE_IMPORT_NS(DMA_BUF)
#endif

#endif /* MMZ_COMPAT_H */
