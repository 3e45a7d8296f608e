/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * What the vendor's generation-2 (hil_*) and generation-3 (ot_*) media-mem
 * headers define alike: grain macros, zone alloc_type and block order
 * values, usr_virt_to_phys(). Included by include/hisilicon/osal_mmz.h
 * and include/hisilicon/ot/osal_mmz.h; mmz.ko includes both.
 */
#ifndef MMZ_HISILICON_DEFS_H
#define MMZ_HISILICON_DEFS_H

#ifndef CACHE_LINE_SIZE
#define CACHE_LINE_SIZE		0x40
#endif

#define MMZ_GRAIN		PAGE_SIZE
#define mmz_align2low(x, g)	(((g) == 0) ? 0 : (((x) / (g)) * (g)))
#define mmz_align2(x, g)	(((g) == 0) ? 0 : ((((x) + (g) - 1) / (g)) * (g)))
#define mmz_grain_align(x)	mmz_align2(x, MMZ_GRAIN)
#define mmz_length2grain(len)	(mmz_grain_align(len) / MMZ_GRAIN)

/* a zone's alloc_type */
#define DEFAULT_ALLOC		0
#define SLAB_ALLOC		1	/* _v2 sizes round up to a power of two */
#define EQ_BLOCK_ALLOC		2	/* _v2 sizes round up to block_align */

/* a block's order (the _v2 calls) */
#define LOW_TO_HIGH		0
#define HIGH_TO_LOW		1

/*
 * The physical address behind a 4-byte aligned user address of the
 * caller, bit 0 set when it is mapped cached; 0 when it is no mmz mapping.
 */
unsigned long usr_virt_to_phys(unsigned long virt);

#endif /* MMZ_HISILICON_DEFS_H */
