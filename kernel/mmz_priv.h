/* SPDX-License-Identifier: GPL-2.0 */
/*
 * State shared by the files of mmz.ko: zones, blocks, open files and user
 * mappings.
 *
 * Locking: one global mutex, mmz.lock, guards every zone, every block and
 * every per-file list. Allocation is a setup-time operation for media
 * pipelines (buffers are allocated once and recycled), the allocator core
 * is O(log n) and not safe for concurrent use, and a block's life spans
 * zones, files, VMAs and kernel users: one lock keeps delayed free, map and
 * reference counts consistent without lock-order puzzles. Order:
 *	mmz_file.remap_lock -> mmap_lock -> mmz.lock
 * mmz.lock is never held while taking mmap_lock or touching user memory.
 */
#ifndef MMZ_PRIV_H
#define MMZ_PRIV_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include "mmz_core.h"
#include "mmz.h"
#include "hisilicon/osal_mmz.h"
#include "hisilicon/ot/osal_mmz.h"

struct file;
struct seq_file;
struct mmz_backend;
struct mmz_alloc_req;
struct mmz_file;
struct resource;
struct platform_device;
struct vm_area_struct;

/* struct mmz_extent.flags, shown in /proc/media-mem as by the vendor */
#define MMZ_MMB_MAP2KERN	(1UL << 0)
#define MMZ_MMB_MAP2KERN_CACHED	(1UL << 1)
#define MMZ_MMB_RELEASED	(1UL << 2)

/* mmap/zero/flush work on at most this much memory mapped at a time */
#define MMZ_MAP_CHUNK		(4UL << 20)

/*
 * CMA mode: a chunk is one CMA allocation made through the zone's device;
 * blocks are placed inside chunks by the allocator core (one core zone per
 * chunk, over the chunk's real physical range).
 */
struct mmz_chunk {
	struct mmz_pool z;
	struct list_head node;		/* in mmz_kzone.chunks, address order */
	void *cookie;			/* dma_alloc_attrs() result */
	dma_addr_t handle;
};

/*
 * A zone. In carve-out mode z holds the blocks. In CMA mode z only
 * describes the zone (name, range, gfp, ...) and holds no block; the
 * blocks live in the chunks.
 */
struct mmz_kzone {
	struct mmz_pool z;
	struct resource *res;		/* our claim on the range (carve-out) */
	const struct mmz_backend *be;	/* where its memory comes from */
	struct list_head node;		/* in mmz.loose_zones, if there */
	unsigned int index;		/* in mmz.zones[] */
	int dev_id;			/* CMA: its platform device's id */
	hil_mmz_t *face;		/* the vendor APIs' view (= ot_mmz_t) */
	hil_mmz_t own_face;		/* ... for an mmz= zone */
	/* CMA mode */
	struct platform_device *pdev;	/* the zone's DMA device */
	struct list_head chunks;
	u64 held;			/* bytes of chunks */
	/* carve-out, prezero=1: freed blocks not yet zeroed (mmz_prezero.c) */
	struct list_head dirty;		/* mmz_mmb.owner_node, oldest first */
	unsigned int zeroing;		/* taken off dirty, being zeroed */
	unsigned int allocating;	/* allocations waiting for zeroing */
};

/*
 * A block as the module sees it; core block ->priv points here and the
 * two live and die together.
 */
struct mmz_mmb {
	struct mmz_extent *blk;
	struct mmz_kzone *zone;
	struct mmz_chunk *chunk;	/* CMA mode: the chunk holding it */
	struct mmz_file *owner;		/* owning fd; NULL: kernel or orphan */
	struct list_head owner_node;	/* in owner->blocks */
	pid_t owner_pid;		/* tgid of the allocator, 0 = kernel */
	pid_t alloc_pid;		/* tgid of the allocating context */
	struct pid *owner_tgid;		/* the allocating process, or NULL */
	struct list_head grants;	/* MMZ_IOC_SHARE, mmz_access.c */
	u32 handle;			/* generation 3's mem_handle, 0: none */
	bool shared_all;		/* generation 3's MEM_SHARE_ALL */
	bool kernel_only;		/* ot_mmb_alloc*(): no process uses it */
	u64 align;			/* effective alignment */
	unsigned int order;		/* allocation direction */
	unsigned int map_count;		/* user VMAs mapping the block */
	unsigned int ref_count;		/* ADD_REF references, all fds */
	unsigned int kmap_count;	/* mmz_map_kernel() calls */
	unsigned int dmabufs;		/* dma-bufs exported, each holds it */
	void *kvirt;			/* kernel mapping, or NULL */
	bool kmap_cached;
	unsigned int wc_users;		/* CMA: write-combine mappings */
	unsigned int wb_users;		/* CMA: cached mappings */
	bool ucached;			/* the last user mapping was cached */
	bool owner_cached;		/* the owner fd's last REMAP was cached */
	bool delayed_free;		/* freed while busy */
	bool kmap_holds;		/* hil_mmb_free(): kernel mappings keep it */
	int vendor_refs;		/* hil_mmb_get() and ot_mmb_get() */
	hil_mmb_t face;			/* the vendor APIs' views, kept true */
	ot_mmb_t ot_face;		/* (mmz_face.c) */
};

/* A reference taken by IOC_MMB_ADD_REF, owned by the fd. */
struct mmz_ref {
	struct list_head node;		/* in mmz_file.refs */
	struct mmz_mmb *mmb;
	unsigned int count;
};

/*
 * One user mapping made by mmap() on an mmz fd, in @mm. The VMA is never
 * split (may_split refuses) and never moved (mremap refuses), so start/len
 * stay true for its life; a fork() copy (MADV_DOFORK) gets its own record.
 */
struct mmz_vma {
	struct list_head node;		/* in mf->vmas */
	struct mmz_file *mf;		/* the VMA holds the file */
	struct mmz_mmb *mmb;		/* NULL: a map_mmz= range */
	struct mm_struct *mm;		/* compared only, never dereferenced */
	unsigned long start;
	size_t len;
	phys_addr_t phys;
	unsigned int vma_count;		/* open/close balance */
	unsigned int remap_count;	/* IOC_MMB_USER_REMAP count */
	bool cached;			/* the memory type it got */
	bool asked_cached;		/* ... and the one asked for */
};

/*
 * What the mmap() that a REMAP ioctl makes through vm_mmap() is for. Only
 * that call, in the REMAP's own task, may take it: another thread's
 * mmap() of the same range is a plain mapping.
 */
struct mmz_remap_req {
	phys_addr_t phys;
	size_t len;
	struct task_struct *task;	/* compared only, never dereferenced */
	bool cached;
	bool active;
};

struct mmz_file {
	struct list_head blocks;	/* mmz_mmb.owner_node */
	struct list_head refs;		/* mmz_ref.node */
	struct list_head vmas;		/* mmz_vma.node */
	struct mutex remap_lock;	/* one REMAP/UNMAP at a time */
	struct mmz_remap_req pending;
	bool sync;			/* opened with O_SYNC */
};

struct mmz_state {
	struct mutex lock;
	struct mmz_kzone *zones[MMZ_MAX_ZONES];
	int nzones;
	struct mmz_range maps[MMZ_MAX_ZONES];
	int nmaps;
	bool anony;
	const struct mmz_backend *be;	/* mmz_allocator=: new zones' */
	struct list_head loose_zones;	/* outside zones[]: imports */
	bool prezero;			/* carve-out: zero freed memory early */
};

extern struct mmz_state mmz;

/*
 * A back end: where a zone's memory comes from and how blocks are placed
 * in it and given back (mmz_carveout.c, mmz_cma.c). Generic code asks the
 * zone's back end (kz->be) and never tests the mode. All calls but
 * zone_setup/zone_teardown need mmz.lock.
 */
struct mmz_backend {
	const char *name;		/* in the load line */
	unsigned int parse_flags;	/* for mmz_parse_zones() */
	u32 features;			/* MMZ_IOC_VERSION bits it adds */
	bool ram;			/* blocks are System RAM with pages */
	bool prezero;			/* freed memory may be zeroed early */
	const char *example;		/* how to load it, for "no zones" */
	int (*zone_setup)(struct mmz_kzone *kz);
	void (*zone_teardown)(struct mmz_kzone *kz);
	/* sets mmb->blk (and what the back end keeps); may drop mmz.lock */
	int (*place)(struct mmz_kzone *kz, const struct mmz_alloc_req *req,
		     u64 size, u64 align, struct mmz_mmb *mmb);
	bool (*placed_zero)(const struct mmz_mmb *mmb);
	/* gives the memory back now */
	void (*unplace)(struct mmz_mmb *mmb);
	/* optional: takes a dead block over (it frees it later); true if so */
	bool (*keep_freed)(struct mmz_mmb *mmb);
	struct mmz_extent *(*find)(struct mmz_kzone *kz, phys_addr_t phys,
				  bool containing);
	int (*for_each_block)(struct mmz_kzone *kz, mmz_extent_fn fn,
			      void *ctx);
	void (*stats)(struct mmz_kzone *kz, struct mmz_pool_stats *st);
	int (*check)(struct mmz_kzone *kz);	/* optional, beyond the core */
	void (*proc_show)(struct seq_file *m);	/* /proc/media-mem body */
};

extern const struct mmz_backend mmz_carveout_backend;
extern const struct mmz_backend mmz_cma_backend;
extern const struct mmz_backend mmz_import_backend;

/*
 * An IOC_MMB_* request with the caller's layout (generation, word size)
 * taken out: mmz_layout.c converts every layout to this and back.
 */
struct mmz_mmb_req {
	u64 phys;
	u64 align;
	u64 size;
	u32 order;
	u32 prot;
	u32 flags;
	unsigned long mapped;		/* a user address, never dereferenced */
	u64 gfp;			/* ALLOC's zone filter */
	char mmb_name[MMZ_BLOCK_NAME_LEN];
	char mmz_name[HIL_MMZ_NAME_LEN];
	u64 ulong_max;			/* the largest size the caller holds */
};

/* A block asked for: mmz_block_alloc() picks the zone and places it. */
struct mmz_alloc_req {
	const char *name;		/* block name, may be NULL */
	const char *zone;		/* NULL or "": the default */
	u64 size;			/* a multiple of PAGE_SIZE, not 0 */
	u64 align;			/* any value */
	u64 gfp;			/* not 0: only zones of this gfp */
	unsigned int order;		/* MMZ_ALLOC_LOW_TO_HIGH or _HIGH_TO_LOW */
	bool v2;			/* ALLOC_V2: the zone's alloc_type sizes it */
	bool kernel_only;		/* no process may use the block */
};

/* A generation-3 struct mmb_share_info, its layout taken out. */
struct mmz_share_req {
	u64 phys;
	unsigned long virt;		/* a user address */
	u64 handle;
	u64 offset;
	s32 pid;
};

struct mmz_dirty_req {
	u64 phys;
	unsigned long virt;
	u64 size;
};

/*
 * mmz_layout.c: one user layout of struct mmb_info, dirty_area or
 * mmb_share_info, built from a C struct of that layout. Value fields are
 * 4 or 8 bytes wide, in the caller's byte order; name fields are their
 * length.
 */
#define MMZ_LAYOUT_MAX		120	/* the largest struct, bytes */

struct mmz_layout_field {
	u8 off;
	u8 width;
};

struct mmz_layout_mmb {
	u8 bytes;			/* sizeof, part of the ioctl number */
	bool v2;			/* ALLOC_V2 and TEST_CACHE exist */
	struct mmz_layout_field phys, align, size, order, mapped;
	struct mmz_layout_field w32;	/* prot:8, flags:12 bit-fields */
	struct mmz_layout_field mmb_name, mmz_name;
	struct mmz_layout_field gfp;	/* read, never written */
};

struct mmz_layout_dirty {
	u8 bytes;
	struct mmz_layout_field phys, virt, size;
};

struct mmz_layout_share {
	u8 bytes;
	struct mmz_layout_field phys, virt, handle, offset, pid;
};

long mmz_layout_ioctl(struct file *file, unsigned int cmd,
		      void __user *argp, bool compat);

/* mmz_zones.c: zones from the module parameters */
int mmz_zones_setup(const char *zone_spec, const char *map_spec);
void mmz_zones_teardown(void);
int mmz_zones_add(const struct mmz_zone_spec *spec, hil_mmz_t *face);
int mmz_zones_remove(struct mmz_kzone *kz);
struct mmz_kzone *mmz_zone_by_name(const char *name);
struct mmz_kzone *mmz_zone_of(u64 phys, u64 len);
int mmz_kzone_loose_init(struct mmz_kzone *kz, const char *name, u64 phys,
			 u64 size, const struct mmz_backend *be);
void mmz_kzone_loose_destroy(struct mmz_kzone *kz);
bool mmz_in_zone(u64 phys, u64 len);
bool mmz_in_map_range(phys_addr_t phys, u64 len);

/* mmz_proc.c: the carve-out back end's /proc/media-mem */
void mmz_proc_show_zones(struct seq_file *m);

/* mmz_cma_dt.c: a CMA zone's own area from the device tree */
struct device_node;
struct reserved_mem;
struct device_node *mmz_dt_zone_node(const char *name);
int mmz_dt_check(struct mmz_kzone *kz, struct device_node *np,
		 struct reserved_mem **out);
int mmz_dt_bind(struct mmz_kzone *kz, struct device_node *np);

/* mmz_block.c: blocks; all with mmz.lock held */
int mmz_kzone_for_each_block(struct mmz_kzone *kz, mmz_extent_fn fn,
			     void *ctx);
void mmz_kzone_stats(struct mmz_kzone *kz, struct mmz_pool_stats *st);
int mmz_kzone_check(struct mmz_kzone *kz);
int mmz_block_use(struct mmz_mmb *mmb, bool *cached);
void mmz_block_unuse(struct mmz_mmb *mmb, bool cached);
int mmz_block_alloc(const struct mmz_alloc_req *req, struct mmz_mmb **out);
void mmz_block_publish(struct mmz_mmb *mmb, unsigned int order,
		       bool kernel_only);
int mmz_block_free(struct mmz_mmb *mmb);
void mmz_block_put(struct mmz_mmb *mmb);
struct mmz_mmb *mmz_block_find(phys_addr_t phys);
struct mmz_mmb *mmz_block_find_containing(phys_addr_t phys);
struct mmz_mmb *mmz_block_next(u64 phys);
void *mmz_block_kmap(struct mmz_mmb *mmb, bool cached);
void mmz_block_kunmap(struct mmz_mmb *mmb);
void mmz_block_free_all(void);
void *mmz_phys_kmap(phys_addr_t phys, size_t size, bool cached, bool pages);
void mmz_phys_kunmap(void *va, bool vmapped);

static inline phys_addr_t mmz_mmb_phys(const struct mmz_mmb *mmb)
{
	return mmb->blk->phys;
}

static inline u64 mmz_mmb_size(const struct mmz_mmb *mmb)
{
	return mmb->blk->size;
}

/* mmz_prezero.c: background zeroing of freed carve-out memory */
void mmz_prezero_queue(struct mmz_mmb *mmb);
bool mmz_prezero_one(struct mmz_kzone *kz, u64 want);
void mmz_prezero_settle(void);
int mmz_prezero_zone_init(struct mmz_kzone *kz);
void mmz_prezero_zone_drop(struct mmz_kzone *kz);
void mmz_prezero_start(void);
void mmz_prezero_kick(void);
void mmz_prezero_stop(void);

/* mmz_cache.c: zeroing and cache maintenance of physical ranges */
int mmz_phys_zero(phys_addr_t phys, u64 size);
int mmz_phys_flush(phys_addr_t phys, u64 size);
int mmz_flush_all(void);

/* mmz_mmap.c */
int mmz_mmap(struct file *file, struct vm_area_struct *vma);
int mmz_mmap_fill(struct vm_area_struct *vma, struct mmz_mmb *mmb,
		  phys_addr_t phys, bool cached);
int mmz_vm_may_split(struct vm_area_struct *vma, unsigned long addr);
int mmz_vm_mremap(struct vm_area_struct *vma);

/* mmz_dmabuf.c: MMZ_IOC_EXPORT_DMABUF */
struct mmz_export;
int mmz_ext_export(struct mmz_file *mf, struct mmz_export *ex,
		   void __user *arg);

/* mmz_import.c: MMZ_IOC_IMPORT_DMABUF, the import back end */
struct mmz_import;
int mmz_ext_import(struct mmz_file *mf, struct mmz_import *im);
void mmz_import_undo(struct mmz_file *mf, u64 phys);
bool mmz_import_ready(void);
int mmz_import_init(void);
void mmz_import_exit(void);
int mmz_user_remap(struct file *file, struct mmz_mmb_req *req, bool cached);
int mmz_user_unmap(struct file *file, phys_addr_t phys);
struct mmz_vma *mmz_file_find_vma(struct mmz_file *mf, struct mmz_mmb *mmb);
bool mmz_file_remaps(struct mmz_file *mf, struct mmz_mmb *mmb);
struct mmz_vma *mmz_vma_at(unsigned long addr, u64 len);

/* mmz_ioctl.c */
long mmz_mmb_ioctl(struct file *file, unsigned int cmd,
		   struct mmz_mmb_req *req);
long mmz_dirty_ioctl(struct file *file, const struct mmz_dirty_req *req);
long mmz_phys_ioctl(struct file *file, unsigned int cmd, unsigned long phys);
long mmz_ext_ioctl(struct file *file, unsigned int cmd, void __user *arg);
long mmz_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
#ifdef CONFIG_COMPAT
long mmz_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg);
#endif
void mmz_mmb_undo(struct file *file, unsigned int cmd,
		  const struct mmz_mmb_req *req);

/* mmz_hil.c: the vendor's kernel API, generation 2 (mmz_ot.c: 3) */
void mmz_hil_exit(void);
hil_mmb_t *mmz_hil_alloc(const char *name, unsigned long size,
			 unsigned long align, unsigned long gfp,
			 const char *zone_name, const hil_mmz_t *in,
			 unsigned int order, bool v2, bool kernel_only);

/* mmz_face.c: the vendor APIs' views of a block, needs mmz.lock */
void mmz_faces_init(struct mmz_mmb *mmb);
void mmz_faces_sync(struct mmz_mmb *mmb);

/* mmz_access.c: the sharing model */
struct mmz_grant;
bool mmz_may_use(const struct mmz_file *mf, const struct mmz_mmb *mmb);
void mmz_access_init(struct mmz_file *mf, struct mmz_mmb *mmb);
void mmz_access_release(struct mmz_mmb *mmb);
int mmz_ext_share(struct mmz_file *mf, const struct mmz_share *sh);
bool mmz_is_owner(const struct mmz_file *mf, const struct mmz_mmb *mmb);
bool mmz_pid_may_use(const struct mmz_mmb *mmb, pid_t nr);
unsigned int mmz_grant_pids(const struct mmz_mmb *mmb, int *pids,
			    unsigned int max);
struct pid *mmz_process_get(pid_t pid);
struct mmz_grant *mmz_grant_new(struct pid *tgid);
void mmz_grant_free(struct mmz_grant *g);
int mmz_grant_add(struct mmz_mmb *mmb, struct mmz_grant **g);
bool mmz_grant_del(struct mmz_mmb *mmb, struct pid *tgid);
int mmz_handle_get(struct mmz_mmb *mmb);
struct mmz_mmb *mmz_handle_find(u64 handle);
void mmz_handle_table_destroy(void);

/* mmz_memshare.c: generation 3's 's' commands */
long mmz_memshare_ioctl(struct file *file, unsigned int cmd,
			struct mmz_share_req *req);

/*
 * Which mmb_info commands have results to copy back (docs/ABI.md, "out").
 * A command whose results cannot be copied back fails with EFAULT or
 * EOVERFLOW and is undone by mmz_mmb_undo().
 */
/*
 * Generation 3's further struct mmb_info commands, numbered with the
 * native struct like the others; mmz_layout.c serves them at generation
 * 3's sizes only.
 */
#define MMZ_GEN3_SYS_FLUSH_CACHE	_IOW('m', 24, struct mmb_info)
#define MMZ_GEN3_BASE_CHECK_ADDR	_IOW('m', 25, struct mmb_info)

/*
 * Generation 3's 's' commands (struct mmb_share_info); size 0 here,
 * mmz_layout.c matches them at each layout's size.
 */
#define MMZ_GEN3_MEM_SHARE		_IOC(_IOC_WRITE, 's', 40, 0)
#define MMZ_GEN3_MEM_UNSHARE		_IOC(_IOC_WRITE, 's', 41, 0)
#define MMZ_GEN3_MEM_SHARE_ALL		_IOC(_IOC_WRITE, 's', 42, 0)
#define MMZ_GEN3_MEM_UNSHARE_ALL	_IOC(_IOC_WRITE, 's', 43, 0)
#define MMZ_GEN3_VIRT_GET_SYS_MEM	_IOC(_IOC_READ | _IOC_WRITE, 's', 44, 0)
#define MMZ_GEN3_PHYS_GET_SYS_MEM	_IOC(_IOC_READ | _IOC_WRITE, 's', 45, 0)
#define MMZ_GEN3_HANDLE_GET_SYS_MEM	_IOC(_IOC_READ | _IOC_WRITE, 's', 46, 0)

static inline bool mmz_cmd_writes_back(unsigned int cmd)
{
	return cmd != IOC_MMB_FREE && cmd != IOC_MMB_TEST_CACHE &&
	       cmd != IOC_MMB_USER_UNMAP && cmd != MMZ_GEN3_SYS_FLUSH_CACHE &&
	       cmd != MMZ_GEN3_BASE_CHECK_ADDR;
}

/* mmz_userdev.c */
int mmz_userdev_register(void);
void mmz_userdev_unregister(void);

/* mmz_proc.c */
int mmz_proc_register(void);
void mmz_proc_unregister(void);

#endif /* MMZ_PRIV_H */
