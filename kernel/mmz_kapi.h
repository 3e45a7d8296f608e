/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmz kernel API: media memory blocks for other drivers.
 *
 * A block is named, physically contiguous and zeroed. It stays valid until
 * mmz_free() completes; a driver that hands its physical address to user
 * space (or takes one from it) shares the block with mmz_userdev users.
 * None of these functions may be called in atomic context.
 */
#ifndef MMZ_KAPI_H
#define MMZ_KAPI_H

#include <linux/types.h>

struct mmz_mmb;

/*
 * @align of mmz_alloc()/mmz_alloc_v2(): any value, rounded up to a page
 * multiple (0: a page), as the vendor's hil_mmb_alloc() takes it; the
 * block's physical address is a multiple of the rounded value (3 pages:
 * multiples of 12 KiB). An align that fits no address of the zone gives
 * -ENOMEM.
 */

/* mmz_alloc_v2() @order, as ALLOC_V2 in the uapi header */
#ifndef MMZ_ALLOC_LOW_TO_HIGH
#define MMZ_ALLOC_LOW_TO_HIGH	0
#define MMZ_ALLOC_HIGH_TO_LOW	1
#endif

struct mmz_mmb *mmz_alloc(const char *name, size_t size, size_t align,
			  const char *zone_name);
struct mmz_mmb *mmz_alloc_v2(const char *name, size_t size, size_t align,
			     const char *zone_name, unsigned int order);
int mmz_free(struct mmz_mmb *mmb);
phys_addr_t mmz_phys(const struct mmz_mmb *mmb);
size_t mmz_size(const struct mmz_mmb *mmb);
void *mmz_map_kernel(struct mmz_mmb *mmb, bool cached);
void mmz_unmap_kernel(struct mmz_mmb *mmb);
struct mmz_mmb *mmz_find_by_phys(phys_addr_t phys);
struct mmz_mmb *mmz_find_by_kvirt(const void *kvirt);

#endif /* MMZ_KAPI_H */
