/* SPDX-License-Identifier: (GPL-2.0 OR MIT) */
/*
 * The media-memory kernel API of the generation-3 SDKs (the "ot_" SDKs of
 * hi3519dv500 and hi3516cv6xx), served by mmz.ko beside generation 2's
 * hil_* calls. Written for mmz from the published interface: names,
 * signatures, return conventions, macros, flag values and the layouts of
 * ot_mmz_t, ot_mmb_t and the parameter structs are the vendor's.
 *
 * Use from a module: include/hisilicon/mmz.mk with MMZ_API=ot. What each
 * call does in mmz and where it differs from the vendor: docs/KAPI.md.
 *
 * Conventions, as the vendor's: pointers are NULL on failure, ints are 0
 * on success and -1 on failure (flush and share checks: -EINVAL, -EPERM).
 * A block's fields are kept true while it lives. No call may be made in
 * atomic context.
 */
#ifndef MMZ_OT_OSAL_MMZ_H
#define MMZ_OT_OSAL_MMZ_H

#include <linux/list.h>
#include <linux/types.h>

#include "../mmz_defs.h"

#ifdef MMZ_V2_SUPPORT
#error "mmz serves the SDKs' ot_mmb_t with id; MMZ_V2_SUPPORT is not supported"
#endif

#define OT_MMZ_NAME_LEN		32
#define OT_MMB_NAME_LEN		32
#define OT_MMB_MAX_PID_NUM	5

#define MMZ_REGION_FREE		0
#define MMZ_REGION_BUSY		(-1)
#define MMZ_REGION_NOT_ENOUGH	(-2)
#define MMZ_REGION_OUT_RANGE	(-3)

struct device;

/* A zone; the same layout as generation 2's hil_mmz_t. */
struct ot_media_memory_zone {
	char name[OT_MMZ_NAME_LEN];
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
typedef struct ot_media_memory_zone ot_mmz_t;

#define OT_MMZ_FMT_S \
	"PHYS(0x%08lX, 0x%08lX), GFP=%lu, nBYTES=%luKB,    NAME=\"%s\""
#define ot_mmz_fmt_arg(p) \
	(p)->phys_start, (p)->phys_start + (p)->nbytes - 1, (p)->gfp, \
	(p)->nbytes / 1024, (p)->name

/* A block: read it through the macros below, never write it. */
struct ot_media_memory_block {
	unsigned int id;
	char name[OT_MMB_NAME_LEN];
	struct ot_media_memory_zone *zone;
	struct list_head list;		/* mmz's: do not touch */
	unsigned long phys_addr;
	void *kvirt;			/* kernel mapping or NULL */
	unsigned long length;		/* bytes, a multiple of the page */
	unsigned long flags;		/* OT_MMB_* */
	unsigned int order;		/* LOW_TO_HIGH or HIGH_TO_LOW */
	int phy_ref;			/* ot_mmb_get() count */
	int map_ref;			/* kernel mappings */
	int kernel_only;		/* no process may use it */
	int check_pid;			/* 0: shared with all */
	int pid_num;			/* pid[] in use */
	int pid[OT_MMB_MAX_PID_NUM];	/* allocator, then sharers; -1 */
};
typedef struct ot_media_memory_block ot_mmb_t;

#define ot_mmb_kvirt(p)		((p)->kvirt)
#define ot_mmb_phys(p)		((p)->phys_addr)
#define ot_mmb_length(p)	((p)->length)
#define ot_mmb_name(p)		((p)->name)
#define ot_mmb_zone(p)		((p)->zone)

#define OT_MMB_MAP2KERN		(1 << 0)
#define OT_MMB_MAP2KERN_CACHED	(1 << 1)
#define OT_MMB_RELEASED		(1 << 2)

#ifdef CONFIG_64BIT
#define OT_MMB_KVIRT_FMT	"0x%016lX"
#else
#define OT_MMB_KVIRT_FMT	"0x%08lX"
#endif
#define OT_MMB_FMT_S \
	"phys(0x%08lX, 0x%08lX), kvirt=" OT_MMB_KVIRT_FMT ", flags=0x%lX, kernel_only=%d, share_all=%d pid[%d,%d,%d,%d,%d], " \
	"length=%luKB,    name=\"%s\""
#define ot_mmb_fmt_arg(p) \
	(p)->phys_addr, mmz_grain_align((p)->phys_addr + (p)->length) - 1, \
	(unsigned long)(uintptr_t)((p)->kvirt), (p)->flags, \
	(p)->kernel_only, !((p)->check_pid), (p)->pid[0], (p)->pid[1], \
	(p)->pid[2], (p)->pid[3], (p)->pid[4], (p)->length / 1024, (p)->name

/* ot_mmz_create_v2() */
typedef struct {
	unsigned long gfp;
	unsigned long phys_start;
	unsigned long nbytes;
	unsigned long block_align;
	unsigned int alloc_type;
} ot_mmz_create_attr;

/* The ot_mmb_alloc*() request; each call reads the fields it names. */
typedef struct {
	const char *mmz_name;		/* zone by name (not _in) */
	const char *buf_name;		/* block name, NULL: "<null>" */
	unsigned long start;		/* _v3 only */
	unsigned long size;
	unsigned long align;
	unsigned long gfp;		/* not _in */
	unsigned int order;		/* _v2, _in_v2 */
	const ot_mmz_t *user_mmz;	/* _in, _in_v2 */
	int kernel_only;
} ot_mmz_alloc_para_in;

typedef struct {
	int erro_num;
} ot_mmz_alloc_para_out;

/* zones */
ot_mmz_t *ot_mmz_create(const char *name, unsigned long gfp,
			unsigned long phys_start, unsigned long nbytes);
ot_mmz_t *ot_mmz_create_v2(const char *name,
			   const ot_mmz_create_attr *mmz_create_attr);
int ot_mmz_destroy(const ot_mmz_t *zone);
int ot_mmz_register(ot_mmz_t *zone);
int ot_mmz_unregister(ot_mmz_t *zone);
ot_mmz_t *ot_mmz_find(unsigned long gfp, const char *mmz_name);
unsigned long ot_mmz_get_phys(const char *zone_name);
int ot_mmz_get_anony(void);

/* blocks */
ot_mmb_t *ot_mmb_alloc(const ot_mmz_alloc_para_in *para_in);
ot_mmb_t *ot_mmb_alloc_v2(const ot_mmz_alloc_para_in *para_in);
ot_mmb_t *ot_mmb_alloc_in(const ot_mmz_alloc_para_in *para_in);
ot_mmb_t *ot_mmb_alloc_in_v2(const ot_mmz_alloc_para_in *para_in);
int ot_mmb_free(ot_mmb_t *mmb);
ot_mmb_t *ot_mmb_getby_phys(unsigned long addr);
ot_mmb_t *ot_mmb_getby_phys_2(unsigned long addr,
			      unsigned long *out_offset);
ot_mmb_t *ot_mmb_getby_kvirt(const void *virt);
int ot_mmb_get(ot_mmb_t *mmb);
int ot_mmb_put(ot_mmb_t *mmb);

#define ot_mmb_freeby_phys(phys_addr) ot_mmb_free(ot_mmb_getby_phys(phys_addr))
#define ot_mmb_freeby_kvirt(kvirt) ot_mmb_free(ot_mmb_getby_kvirt(kvirt))

/* kernel mappings */
void *ot_mmb_map2kern(ot_mmb_t *mmb);
void *ot_mmb_map2kern_cached(ot_mmb_t *mmb);
int ot_mmb_unmap(ot_mmb_t *mmb);
void *ot_mmf_map2kern_nocache(unsigned long phys, int len);
void *ot_mmf_map2kern_cache(unsigned long phys, int len);
void ot_mmf_unmap(void *virt);

/* caches: flush cleans and invalidates, invalid invalidates */
int ot_mmb_flush_dcache_byaddr(void *kvirt, unsigned long phys_addr,
			       unsigned long length);
int ot_mmb_flush_dcache_byaddr_safe(void *kvirt, unsigned long phys_addr,
				    unsigned long length);
int ot_mmb_invalid_cache_byaddr(void *kvirt, unsigned long phys_addr,
				unsigned long length);

/* checks (and usr_virt_to_phys() in mmz_defs.h) */
int ot_vma_check(unsigned long vm_start, unsigned long vm_end);
int ot_is_phys_in_mmz(unsigned long addr_start, unsigned long addr_len);
int ot_map_mmz_check_phys(unsigned long addr_start, unsigned long addr_len);

/* process isolation: who may use a block */
int ot_mmb_check_mem_share(const ot_mmb_t *mmb);
int ot_mmb_check_mem_share_with_pid(const ot_mmb_t *mmb, int pid);
int ot_mmz_check_phys_addr(unsigned long phys_addr, unsigned long size);
int ot_mmz_get_mem_process_isolation(void);

#endif /* MMZ_OT_OSAL_MMZ_H */
