/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between kernel versions and architectures lives here,
 * so the rest of the module reads as plain current kernel code.
 */
#ifndef MMZ_COMPAT_H
#define MMZ_COMPAT_H

#include <linux/version.h>
#include <linux/mm.h>
#include <linux/cacheflush.h>

#if defined(CONFIG_X86)
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

#endif /* MMZ_COMPAT_H */
