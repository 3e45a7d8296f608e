/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * mmz user ABI.
 *
 * Part 1 is the HiSilicon MMZ interface (/dev/mmz_userdev): the same ioctl
 * numbers, struct layouts and names as the vendor header of the
 * generation-2 SDKs (hi3516cv500 family), 64-bit and plain 32-bit. The
 * module also serves the layouts of generations 1 and 3 and of the 32-bit
 * SDK for 64-bit kernels (not declared here); some semantics differ:
 * docs/ABI.md, "Vendor compatibility". Part 2 holds mmz's own extensions
 * under a separate ioctl type; they never change part 1.
 */
#ifndef _UAPI_MMZ_H
#define _UAPI_MMZ_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/ioctl.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif

#define MMZ_DEV_NAME		"mmz_userdev"
#define HIL_MMB_NAME_LEN	16
#define HIL_MMZ_NAME_LEN	32

/* ALLOC_V2 order: allocation direction */
#define MMZ_ALLOC_LOW_TO_HIGH	0
#define MMZ_ALLOC_HIGH_TO_LOW	1

/*
 * Every field is long-aligned and the struct 8-aligned:
 * LP64 offsets 0,8,16,24,32,40,48,64,96, size 104;
 * ILP32 offsets 0,4,8,12,16,20,24,40,72, size 80.
 */
struct mmb_info {
	unsigned long phys_addr;	/* block start, or any byte of it */
	unsigned long align;		/* rounded up to a page multiple */
	unsigned long size;		/* bytes */
	unsigned int order;		/* ALLOC_V2: direction */
	void *mapped;			/* user mapping (REMAP result) */
	union {
		struct {
			unsigned long prot:8;
			unsigned long flags:12;
		};
		unsigned long w32_stuf;
	};
	char mmb_name[HIL_MMB_NAME_LEN];
	char mmz_name[HIL_MMZ_NAME_LEN];	/* "" = anonymous zone */
	unsigned long gfp;		/* reserved, set to 0 */
} __attribute__((aligned(8)));

struct dirty_area {
	unsigned long dirty_phys_start;
	void *dirty_virt_start;
	unsigned long dirty_size;
};

#define IOC_MMB_ALLOC			_IOWR('m', 10, struct mmb_info)
#define IOC_MMB_ATTR			_IOR('m', 11, struct mmb_info)
#define IOC_MMB_FREE			_IOW('m', 12, struct mmb_info)
#define IOC_MMB_ALLOC_V2		_IOWR('m', 13, struct mmb_info)
#define IOC_MMB_USER_REMAP		_IOWR('m', 20, struct mmb_info)
#define IOC_MMB_USER_REMAP_CACHED	_IOWR('m', 21, struct mmb_info)
#define IOC_MMB_USER_UNMAP		_IOWR('m', 22, struct mmb_info)
#define IOC_MMB_VIRT_GET_PHYS		_IOWR('m', 23, struct mmb_info)
#define IOC_MMB_ADD_REF			_IO('r', 30)	/* arg: block phys */
#define IOC_MMB_DEC_REF			_IO('r', 31)	/* arg: block phys */
#define IOC_MMB_FLUSH_DCACHE		_IO('c', 40)	/* arg: phys, 0 = all */
#define IOC_MMB_FLUSH_DCACHE_DIRTY	_IOW('d', 50, struct dirty_area)
#define IOC_MMB_TEST_CACHE		_IOW('t', 11, struct mmb_info)

/*
 * Part 2: mmz extensions, ioctl type 'z'. Fixed-width fields only, so the
 * layout is the same for 32- and 64-bit processes.
 */
#define MMZ_ABI_MAJOR		1
#define MMZ_ABI_MINOR		2

#define MMZ_FEAT_ZONE_INFO	(1ULL << 0)
#define MMZ_FEAT_BLOCK_INFO	(1ULL << 1)
#define MMZ_FEAT_DMABUF		(1ULL << 2)	/* MMZ_IOC_EXPORT_DMABUF (ABI 1.2) */
#define MMZ_FEAT_CMA		(1ULL << 3)	/* loaded with mmz_allocator=cma */
#define MMZ_FEAT_SHARE		(1ULL << 4)	/* MMZ_IOC_SHARE (ABI 1.1) */
#define MMZ_FEAT_CHECK		(1ULL << 5)	/* MMZ_IOC_CHECK (ABI 1.1) */
#define MMZ_FEAT_IMPORT		(1ULL << 6)	/* MMZ_IOC_IMPORT_DMABUF (1.2) */

struct mmz_version {
	__u32 abi_major;
	__u32 abi_minor;
	__u64 features;			/* MMZ_FEAT_* */
};

/* Zone @index (in); -ENOENT past the last zone. */
struct mmz_zone_info {
	__u32 index;
	__u32 alloc_type;
	__u64 phys;
	__u64 size;
	__u64 used;
	__u64 largest_free;
	__u64 gfp;
	__u32 blocks;
	__u32 free_extents;
	char name[HIL_MMZ_NAME_LEN];
};

/*
 * The first block with phys >= @phys (in), over all zones in address
 * order; -ENOENT when there is none. Iterate with phys = prev phys + size.
 */
struct mmz_block_info {
	__u64 phys;
	__u64 size;
	__u64 kvirt_mapped;		/* non-zero when mapped in the kernel */
	__s32 owner_pid;
	__u32 zone_index;
	__u32 map_count;		/* user mappings */
	__u32 ref_count;		/* ADD_REF references */
	__u32 flags;			/* MMZ_BLOCK_* */
	__u32 reserved;
	char name[HIL_MMB_NAME_LEN];
};

#define MMZ_BLOCK_DELAYED_FREE	(1U << 0)	/* freed, waits for unmap/unref */
#define MMZ_BLOCK_CACHED	(1U << 1)	/* mapped cached: in the kernel, or
						 * the latest user mapping */
#define MMZ_BLOCK_EXPORTED	(1U << 2)	/* dma-bufs of it exist (ABI 1.2) */

/*
 * Export the block holding @phys (one the caller may map) as a dma-buf;
 * @flags: O_CLOEXEC and O_RDONLY, O_WRONLY or O_RDWR; @fd out. Each call
 * makes a dma-buf of its own; each holds the block until its last
 * reference goes (docs/ABI.md, "dma-buf").
 */
struct mmz_export {
	__u64 phys;
	__u32 flags;			/* O_CLOEXEC, O_RDWR */
	__s32 fd;
};

/*
 * Give process @pid (a tgid) access to the memory of the block starting at
 * @phys: through any of its own fds it may then mmap, REMAP(_CACHED),
 * ADD_REF, FLUSH_DCACHE and TEST_CACHE it (ATTR and BLOCK_INFO need no
 * grant). Only the owner shares; MMZ_SHARE_REVOKE takes the access back
 * (mappings made stay).
 */
struct mmz_share {
	__u64 phys;
	__s32 pid;
	__u32 flags;			/* MMZ_SHARE_* */
};

#define MMZ_SHARE_REVOKE	(1U << 0)

/* Run the allocator's consistency check over every zone (CAP_SYS_ADMIN). */
struct mmz_check {
	__u32 violations;		/* 0 when every invariant holds */
	__u32 zones;
	__u64 blocks;
};

/*
 * Import dma-buf @fd (one contiguous range of System RAM: a CMA heap
 * buffer, V4L2 dma-contig, ...) as a block of the caller's fd; @flags 0;
 * @phys and @size out. The block holds the dma-buf until it is freed.
 */
struct mmz_import {
	__s32 fd;
	__u32 flags;
	__u64 phys;
	__u64 size;
};

#define MMZ_IOC_VERSION		_IOR('z', 0, struct mmz_version)
#define MMZ_IOC_ZONE_INFO	_IOWR('z', 1, struct mmz_zone_info)
#define MMZ_IOC_BLOCK_INFO	_IOWR('z', 2, struct mmz_block_info)
#define MMZ_IOC_EXPORT_DMABUF	_IOWR('z', 3, struct mmz_export)
#define MMZ_IOC_SHARE		_IOW('z', 4, struct mmz_share)
#define MMZ_IOC_CHECK		_IOR('z', 5, struct mmz_check)
#define MMZ_IOC_IMPORT_DMABUF	_IOWR('z', 6, struct mmz_import)

#endif /* _UAPI_MMZ_H */
