/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The media-memory kernel API of HiSilicon's generation-2 SDKs (hi_osal,
 * hi3516cv500 era), served by mmz.ko. Written for mmz from the published
 * interface: the names, signatures, return conventions, macros, flag
 * values and the layouts of hil_mmz_t and hil_mmb_t are the vendor's, so
 * vendor and OpenIPC driver sources compile against it unchanged and
 * their binary objects find the fields where they expect them.
 *
 * Use from a module: include/hisilicon/mmz.mk (ccflags and
 * KBUILD_EXTRA_SYMBOLS). What each call does in mmz, and where it differs
 * from the vendor module: docs/KAPI.md.
 *
 * Conventions, as the vendor's: pointers are NULL on failure, ints are 0
 * on success and -1 on failure (the flush calls: -EINVAL, -EPERM). A block
 * pointer stays valid until the block is freed; its fields are kept true
 * while it lives (kvirt and flags follow the kernel mapping). None of the
 * calls may be made in atomic context.
 */
#ifndef _OSAL_MMZ_H
#define _OSAL_MMZ_H

#include <linux/list.h>
#include <linux/types.h>

#include "mmz_defs.h"

/* mmz.ko is built for the IPC SDKs' layout (hil_mmb_t.id present) */
#ifdef MMZ_V2_SUPPORT
#error "mmz serves the IPC SDKs' hil_mmb_t (with id); MMZ_V2_SUPPORT (HiSTB) is not supported"
#endif

#define HIL_MMZ_NAME_LEN	32
#define HIL_MMB_NAME_LEN	16

struct device;

/* A zone; the vendor's list heads are two pointers, as list_head. */
struct hil_media_memory_zone {
	char name[HIL_MMZ_NAME_LEN];
	unsigned long gfp;
	unsigned long phys_start;
	unsigned long nbytes;
	struct list_head list;		/* mmz's: do not touch */
	union {
		struct device *cma_dev;
		unsigned char *bitmap;
	};
	struct list_head mmb_list;	/* mmz's: do not touch */
	unsigned int alloc_type;	/* DEFAULT_ALLOC, SLAB_ALLOC, ... */
	unsigned long block_align;	/* EQ_BLOCK_ALLOC's size multiple */
	void (*destructor)(const void *);
};
typedef struct hil_media_memory_zone hil_mmz_t;

#define HIL_MMZ_FMT_S \
	"PHYS(0x%08lX, 0x%08lX), GFP=%lu, nBYTES=%luKB,    NAME=\"%s\""
#define hil_mmz_fmt_arg(p) \
	(p)->phys_start, (p)->phys_start + (p)->nbytes - 1, (p)->gfp, \
	(p)->nbytes / 1024, (p)->name

/* A block: read it through the macros below, never write it. */
struct hil_media_memory_block {
	unsigned int id;
	char name[HIL_MMB_NAME_LEN];
	struct hil_media_memory_zone *zone;
	struct list_head list;		/* mmz's: do not touch */
	unsigned long phys_addr;
	void *kvirt;			/* kernel mapping or NULL */
	unsigned long length;		/* bytes, a multiple of the page */
	unsigned long flags;		/* HIL_MMB_* */
	unsigned int order;		/* LOW_TO_HIGH or HIGH_TO_LOW */
	int phy_ref;			/* hil_mmb_get() count */
	int map_ref;			/* kernel mappings */
};
typedef struct hil_media_memory_block hil_mmb_t;

#define hil_mmb_kvirt(p)	((p)->kvirt)
#define hil_mmb_phys(p)		((p)->phys_addr)
#define hil_mmb_length(p)	((p)->length)
#define hil_mmb_name(p)		((p)->name)
#define hil_mmb_zone(p)		((p)->zone)

#define HIL_MMB_MAP2KERN	(1 << 0)
#define HIL_MMB_MAP2KERN_CACHED	(1 << 1)
#define HIL_MMB_RELEASED	(1 << 2)

#define HIL_MMB_FMT_S \
	"phys(0x%08lX, 0x%08lX), kvirt=0x%08lX, flags=0x%08lX, length=%luKB,    name=\"%s\""
#define hil_mmb_fmt_arg(p) \
	(p)->phys_addr, mmz_grain_align((p)->phys_addr + (p)->length) - 1, \
	(unsigned long)(uintptr_t)((p)->kvirt), (p)->flags, \
	(p)->length / 1024, (p)->name

/* zones */
hil_mmz_t *hil_mmz_create(const char *name, unsigned long gfp,
			  unsigned long phys_start, unsigned long nbytes);
hil_mmz_t *hil_mmz_create_v2(const char *name, unsigned long gfp,
			     unsigned long phys_start, unsigned long nbytes,
			     unsigned int alloc_type,
			     unsigned long block_align);
int hil_mmz_destroy(hil_mmz_t *zone);
int hil_mmz_register(hil_mmz_t *zone);
int hil_mmz_unregister(hil_mmz_t *zone);
hil_mmz_t *hil_mmz_find(unsigned long gfp, const char *mmz_name);
unsigned long hil_mmz_get_phys(const char *zone_name);

/* blocks */
hil_mmb_t *hil_mmb_alloc(const char *name, unsigned long size,
			 unsigned long align, unsigned long gfp,
			 const char *mmz_name);
hil_mmb_t *hil_mmb_alloc_v2(const char *name, unsigned long size,
			    unsigned long align, unsigned long gfp,
			    const char *mmz_name, unsigned int order);
hil_mmb_t *hil_mmb_alloc_in(const char *name, unsigned long size,
			    unsigned long align, hil_mmz_t *_user_mmz);
hil_mmb_t *hil_mmb_alloc_in_v2(const char *name, unsigned long size,
			       unsigned long align, hil_mmz_t *_user_mmz,
			       unsigned int order);
int hil_mmb_free(hil_mmb_t *mmb);
hil_mmb_t *hil_mmb_getby_phys(unsigned long addr);
hil_mmb_t *hil_mmb_getby_phys_2(unsigned long addr,
				unsigned long *Outoffset);
hil_mmb_t *hil_mmb_getby_kvirt(void *virt);
int hil_mmb_get(hil_mmb_t *mmb);
int hil_mmb_put(hil_mmb_t *mmb);

#define hil_mmb_freeby_phys(phys_addr) \
	hil_mmb_free(hil_mmb_getby_phys(phys_addr))
#define hil_mmb_freeby_kvirt(kvirt) \
	hil_mmb_free(hil_mmb_getby_kvirt(kvirt))

/* kernel mappings */
void *hil_mmb_map2kern(hil_mmb_t *mmb);
void *hil_mmb_map2kern_cached(hil_mmb_t *mmb);
int hil_mmb_unmap(hil_mmb_t *mmb);
void *hil_mmf_map2kern_nocache(unsigned long phys, int len);
void *hil_mmf_map2kern_cache(unsigned long phys, int len);
void hil_mmf_unmap(void *virt);

/* caches */
int hil_mmb_flush_dcache_byaddr(void *kvirt, unsigned long phys_addr,
				unsigned long length);
int hil_mmb_flush_dcache_byaddr_safe(void *kvirt, unsigned long phys_addr,
				     unsigned long length);
int hil_mmb_invalid_cache_byaddr(void *kvirt, unsigned long phys_addr,
				 unsigned long length);

/* checks (and usr_virt_to_phys() in mmz_defs.h) */
int hil_vma_check(unsigned long vm_start, unsigned long vm_end);
int hil_is_phys_in_mmz(unsigned long addr_start, unsigned long addr_len);
int hil_map_mmz_check_phys(unsigned long addr_start,
			   unsigned long addr_len);

#endif /* _OSAL_MMZ_H */
