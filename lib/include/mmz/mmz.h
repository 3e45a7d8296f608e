/* SPDX-License-Identifier: MIT */
/*
 * libmmz - user-space API for media memory zones (/dev/mmz_userdev).
 *
 * Speaks only the HiSilicon MMZ ioctl ABI, so it runs against mmz.ko and
 * against the vendor module alike; mmz's extension ioctls (zone and block
 * information) are used when the module has them, else /proc/media-mem is
 * parsed.
 *
 * Conventions:
 *  - every int-returning call returns 0 or a negative errno
 *    (mmz_strerror() turns it into text);
 *  - a handle (mmz_t) is one open of the device. Blocks belong to the handle
 *    that allocated them and are freed by the kernel when it is closed (or
 *    the process exits). A handle may be used by many threads at once;
 *  - every call accepts NULL as handle: the process-wide default handle,
 *    opened on first use (a child of fork() gets its own on first use);
 *  - a handle must not be used by a child process after fork();
 *  - physical addresses are uint64_t, sizes size_t, in bytes.
 */
#ifndef MMZ_MMZ_H
#define MMZ_MMZ_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The library version; the one place it is set (lib/Makefile reads it for
 * the file name, soname and .pc). MINOR grows with each symbol version:
 * 1.0 = MMZ_1.0, 1.1 = MMZ_1.1 (mmz_share, mmz_unshare, mmz_check),
 * 1.2 = MMZ_1.2 (mmz_export_dmabuf, mmz_import_dmabuf).
 */
#define MMZ_LIB_VERSION_MAJOR	1
#define MMZ_LIB_VERSION_MINOR	2
#define MMZ_LIB_VERSION_PATCH	0

/* The device the library opens unless mmz_open_ex() names another. */
#define MMZ_DEFAULT_DEVICE	"/dev/mmz_userdev"
/* The vendor-format text the fallback information path parses. */
#define MMZ_DEFAULT_PROC	"/proc/media-mem"

#define MMZ_ZONE_NAME_MAX	32	/* including the NUL */
#define MMZ_BLOCK_NAME_MAX	16	/* including the NUL */

typedef struct mmz mmz_t;

/* A block (or a mapped range) as the library hands it out. */
struct mmz_buf {
	uint64_t phys;		/* physical address of the first byte */
	void *virt;		/* user mapping, NULL when not mapped */
	size_t size;		/* bytes (the block size, page rounded) */
	int cached;		/* 1: cached mapping, 0: write-combine */
};

/* mmz_open_ex() flags */
#define MMZ_OPEN_NO_EXTENSIONS	(1u << 0)	/* never use the 'z' ioctls (tests) */

/* mmz_alloc_ex() flags */
#define MMZ_ALLOC_F_CACHED	(1u << 0)	/* map cached (default: write-combine) */
#define MMZ_ALLOC_F_NOMAP		(1u << 1)	/* do not map; buf->virt = NULL */
#define MMZ_ALLOC_F_TOP_DOWN	(1u << 2)	/* place from the zone's top down */

/**
 * mmz_lib_version() - "MAJOR.MINOR.PATCH" of the library actually loaded,
 * which may be newer than the MMZ_LIB_VERSION_* a program was built with.
 */
const char *mmz_lib_version(void);

/**
 * mmz_open() - open MMZ_DEFAULT_DEVICE.
 * @h: the new handle (out).
 * Return: 0; -ENODEV when the device node does not exist (module not
 * loaded); another -errno of open(2).
 */
int mmz_open(mmz_t **h);

/**
 * mmz_open_ex() - open a device node with options.
 * @path: device node, NULL = MMZ_DEFAULT_DEVICE.
 * @flags: MMZ_OPEN_* bits; unknown bits: -EINVAL.
 * @h: the new handle (out).
 */
int mmz_open_ex(const char *path, unsigned int flags, mmz_t **h);

/**
 * mmz_close() - close a handle (NULL: the default handle). Blocks it still
 * owns are freed by the kernel once their mappings are gone (a mapping
 * keeps the device file open: munmap, mmz_free or process exit).
 */
void mmz_close(mmz_t *h);

/** mmz_fd() - the handle's file descriptor, or a negative errno. */
int mmz_fd(mmz_t *h);

/**
 * mmz_alloc() - allocate a block and map it write-combine (uncached).
 * @h: handle or NULL.
 * @size: bytes, > 0 (rounded up to the page).
 * @align: 0 (page) or a power of two.
 * @zone: zone name, NULL or "" = the anonymous zone / any zone.
 * @name: block name (< 16 bytes), NULL = "".
 * @buf: result (out).
 * Return: 0; -EINVAL bad size/align/name; -ENOENT no such zone;
 * -ENOMEM nothing fits; -ENAMETOOLONG a name too long.
 */
int mmz_alloc(mmz_t *h, size_t size, size_t align, const char *zone,
	      const char *name, struct mmz_buf *buf);

/** mmz_alloc_cached() - as mmz_alloc(), mapped cached. */
int mmz_alloc_cached(mmz_t *h, size_t size, size_t align, const char *zone,
		     const char *name, struct mmz_buf *buf);

/** mmz_alloc_ex() - as mmz_alloc() with MMZ_ALLOC_* @flags. */
int mmz_alloc_ex(mmz_t *h, size_t size, size_t align, const char *zone,
		 const char *name, unsigned int flags, struct mmz_buf *buf);

/**
 * mmz_free() - unmap (when @buf->virt) and free a block of this handle.
 * Return: 0; -ENOENT unknown block; -EPERM owned by another handle;
 * -EBUSY this handle still holds a reference (mmz_ref()) or a REMAP: freed
 * when the last goes (the block is no longer this handle's problem);
 * -EALREADY a delayed free is already pending. A block other handles or
 * processes still map or reference gives 0: its memory is reused only
 * after they let go. @buf->virt is set to NULL once unmapped.
 */
int mmz_free(mmz_t *h, struct mmz_buf *buf);

/** mmz_free_phys() - free the block starting at @phys (not mapped by us). */
int mmz_free_phys(mmz_t *h, uint64_t phys);

/**
 * mmz_map() - map [phys, phys + size) of a live block (any handle's, any
 * process's) into this process.
 * @cached: 1 cached, 0 write-combine. On x86 all mappings of a block get
 * one type: the one in use wins (mmz_virt_to_phys() tells which).
 * @ptr: the address of @phys (out); @phys need not be page aligned.
 * Return: 0; -EINVAL range not inside one live block or size 0.
 */
int mmz_map(mmz_t *h, uint64_t phys, size_t size, int cached, void **ptr);

/** mmz_unmap() - undo mmz_map() with the same @ptr and @size. */
int mmz_unmap(mmz_t *h, void *ptr, size_t size);

/**
 * mmz_flush() - clean and invalidate CPU caches.
 *  - @phys == 0, @virt == NULL, @size == 0: every block;
 *  - @size == 0: the whole block holding @phys;
 *  - else the range [@virt, @virt + @size), which must be this process's
 *    mapping of [@phys, ...) inside one block.
 * Return: 0; -ENOENT unknown block; -EINVAL bad range.
 */
int mmz_flush(mmz_t *h, uint64_t phys, const void *virt, size_t size);

/**
 * mmz_virt_to_phys() - physical address behind a user address of an mmz
 * mapping of this process.
 * @phys: out; @cached: out, may be NULL.
 * Return: 0; -ENOENT not an mmz mapping.
 */
int mmz_virt_to_phys(mmz_t *h, const void *ptr, uint64_t *phys, int *cached);

/**
 * mmz_ref() / mmz_unref() - take / drop a reference on the block at @phys
 * (keeps it alive across its owner's free).
 */
int mmz_ref(mmz_t *h, uint64_t phys);
int mmz_unref(mmz_t *h, uint64_t phys);

/* Module information */
struct mmz_module_info {
	uint32_t abi_major;	/* 0 when the module has no extensions */
	uint32_t abi_minor;
	uint64_t features;	/* MMZ_FEAT_* bits of the uapi header */
	int extensions;		/* 1: mmz.ko extension ioctls in use */
};

/** mmz_module_info() - ABI version; for a vendor module 0 and extensions 0. */
int mmz_module_info(mmz_t *h, struct mmz_module_info *info);

struct mmz_zone {
	uint32_t index;
	char name[MMZ_ZONE_NAME_MAX];
	uint64_t phys;
	uint64_t size;
	uint64_t used;
	uint64_t largest_free;	/* largest free extent */
	uint64_t gfp;
	uint32_t blocks;
	uint32_t free_extents;
	int detailed;		/* 1 from the extension ioctl, 0 from /proc */
};

/**
 * mmz_zone_info() - zone number @index (0, 1, ...).
 * Return: 0; -ENOENT past the last zone; -errno reading /proc/media-mem.
 */
int mmz_zone_info(mmz_t *h, unsigned int index, struct mmz_zone *info);

#define MMZ_BLK_DELAYED_FREE	(1u << 0)	/* freed, waits for unmap/unref */
#define MMZ_BLK_CACHED		(1u << 1)	/* mapped cached somewhere */
#define MMZ_BLK_EXPORTED	(1u << 2)	/* dma-bufs of it exist */

struct mmz_block {
	uint64_t phys;
	uint64_t size;
	uint32_t zone_index;
	char name[MMZ_BLOCK_NAME_MAX];
	int32_t owner_pid;	/* -1 unknown */
	int32_t map_count;	/* -1 unknown */
	int32_t ref_count;	/* -1 unknown */
	uint32_t flags;		/* MMZ_BLK_* */
	int kernel_mapped;	/* -1 unknown */
	int detailed;		/* 1 from the extension ioctl, 0 from /proc */
};

/**
 * mmz_block_info() - the first block at or above @phys_from (address
 * order, all zones). Iterate with phys_from = prev.phys + prev.size.
 * Return: 0; -ENOENT none left.
 */
int mmz_block_info(mmz_t *h, uint64_t phys_from, struct mmz_block *info);

/**
 * mmz_share() - let process @pid map, reference and flush the block at
 * @phys (the caller must own it; docs/ABI.md, sharing model).
 * mmz_unshare() takes that back; mappings already made stay.
 * Return: 0; -EOPNOTSUPP module without MMZ_FEAT_SHARE; -ESRCH no such
 * process; -ENOENT no such block; -EPERM not the owner; -ENOSPC.
 */
int mmz_share(mmz_t *h, uint64_t phys, int pid);
int mmz_unshare(mmz_t *h, uint64_t phys, int pid);

/**
 * mmz_check() - run the module's allocator consistency check (needs
 * CAP_SYS_ADMIN); @violations: 0 when every invariant holds.
 * Return: 0; -EOPNOTSUPP without MMZ_FEAT_CHECK; -EPERM.
 */
int mmz_check(mmz_t *h, uint32_t *violations);

/**
 * mmz_export_dmabuf() - a dma-buf of the block holding @phys, for V4L2,
 * DRM and other importers; it holds the block until its last reference
 * goes, also past mmz_free() (docs/ABI.md, "dma-buf").
 * @flags: O_CLOEXEC and O_RDONLY, O_WRONLY or O_RDWR
 * Return: the fd (close it when done); -EOPNOTSUPP module without
 * MMZ_FEAT_DMABUF; -ENOENT no block there; -EACCES; -EINVAL flags.
 */
int mmz_export_dmabuf(mmz_t *h, uint64_t phys, int flags);

/**
 * mmz_import_dmabuf() - make dma-buf @fd (one contiguous range of RAM: a
 * CMA heap buffer, V4L2 dma-contig) a block of @h: map it with mmz_map(),
 * free it with mmz_free_phys(); it holds the dma-buf until then. Its
 * mmz_block_info() zone_index is UINT32_MAX.
 * Return: 0 with @phys and @size set; -EOPNOTSUPP module without
 * MMZ_FEAT_IMPORT; -EINVAL not contiguous RAM; -EEXIST mmz's own memory
 * or imported already.
 */
int mmz_import_dmabuf(mmz_t *h, int fd, uint64_t *phys, uint64_t *size);

/**
 * mmz_strerror() - text for a return value of this library (negative errno,
 * or 0). Never NULL; thread-safe.
 */
const char *mmz_strerror(int err);

#ifdef __cplusplus
}
#endif
#endif /* MMZ_MMZ_H */
