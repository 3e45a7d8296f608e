// SPDX-License-Identifier: MIT
/*
 * libmmz: the HiSilicon MMZ ioctl ABI of /dev/mmz_userdev behind a small C
 * API (include/mmz/mmz.h). Shared state per handle (the lazily opened
 * mapping fds, the extension probe) is under the handle's mutex; everything else is
 * one ioctl or mmap on stack data, which the kernel serialises.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uapi/mmz.h>
#include "mmz/mmz.h"
#include "procmem.h"

#define MMZ_EXPORT __attribute__((visibility("default")))

struct mmz {
	pthread_mutex_t lock;
	int fd;			/* allocations, ioctls */
	/*
	 * mmap() fds, -1 until needed: a plain mmap through the fd that
	 * allocated a block is write-combine (the vendor's rule), so cached
	 * ones go through a fd of their own
	 */
	int map_fd;		/* cached */
	int sync_fd;		/* O_SYNC: write-combine */
	unsigned int flags;	/* MMZ_OPEN_* */
	int ext;		/* -1 not probed, 0 vendor module, 1 mmz.ko */
	struct mmz_module_info mi;
	char path[256];
};

static pthread_mutex_t default_lock = PTHREAD_MUTEX_INITIALIZER;
static mmz_t *default_h;
static pid_t default_pid;

#define STR_(x) #x
#define STR(x) STR_(x)

MMZ_EXPORT const char *mmz_lib_version(void)
{
	return STR(MMZ_LIB_VERSION_MAJOR) "." STR(MMZ_LIB_VERSION_MINOR) "."
		STR(MMZ_LIB_VERSION_PATCH);
}

static int open_dev(const char *path, int extra)
{
	int fd = open(path, O_RDWR | O_CLOEXEC | extra);

	if (fd >= 0)
		return fd;
	if (errno == ENOENT || errno == ENXIO || errno == ENODEV)
		return -ENODEV;
	return -errno;
}

MMZ_EXPORT int mmz_open_ex(const char *path, unsigned int flags, mmz_t **out)
{
	mmz_t *h;
	int fd;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (flags & ~MMZ_OPEN_NO_EXTENSIONS)
		return -EINVAL;
	if (!path)
		path = MMZ_DEFAULT_DEVICE;
	if (strlen(path) >= sizeof(h->path))
		return -ENAMETOOLONG;
	h = calloc(1, sizeof(*h));
	if (!h)
		return -ENOMEM;
	fd = open_dev(path, 0);
	if (fd < 0) {
		free(h);
		return fd;
	}
	pthread_mutex_init(&h->lock, NULL);
	h->fd = fd;
	h->map_fd = -1;
	h->sync_fd = -1;
	h->flags = flags;
	h->ext = -1;
	strcpy(h->path, path);
	*out = h;
	return 0;
}

MMZ_EXPORT int mmz_open(mmz_t **h)
{
	return mmz_open_ex(NULL, 0, h);
}

static void handle_destroy(mmz_t *h)
{
	close(h->fd);
	if (h->map_fd >= 0)
		close(h->map_fd);
	if (h->sync_fd >= 0)
		close(h->sync_fd);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

MMZ_EXPORT void mmz_close(mmz_t *h)
{
	if (h) {
		handle_destroy(h);
		return;
	}
	pthread_mutex_lock(&default_lock);
	if (default_h)
		handle_destroy(default_h);
	default_h = NULL;
	pthread_mutex_unlock(&default_lock);
}

/* @h, or the default handle (opened on first use, and again in a child) */
static int get(mmz_t *h, mmz_t **out)
{
	int ret = 0;

	if (h) {
		*out = h;
		return 0;
	}
	pthread_mutex_lock(&default_lock);
	if (default_h && default_pid != getpid()) {
		/* a child of fork(): the fds are the parent's open file */
		handle_destroy(default_h);
		default_h = NULL;
	}
	if (!default_h) {
		ret = mmz_open(&default_h);
		default_pid = getpid();
	}
	*out = default_h;
	pthread_mutex_unlock(&default_lock);
	return ret;
}

MMZ_EXPORT int mmz_fd(mmz_t *h)
{
	int ret = get(h, &h);

	return ret ? ret : h->fd;
}

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	int r;

	do {
		r = ioctl(fd, cmd, arg);
	} while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : 0;
}

static int put_phys(uint64_t phys, unsigned long *out)
{
	if (phys > ULONG_MAX)
		return -EOVERFLOW;
	*out = (unsigned long)phys;
	return 0;
}

static size_t page_size(void)
{
	static size_t pg;

	if (!pg)
		pg = (size_t)sysconf(_SC_PAGESIZE);
	return pg;
}

MMZ_EXPORT int mmz_alloc_ex(mmz_t *h, size_t size, size_t align,
			    const char *zone, const char *name,
			    unsigned int flags, struct mmz_buf *buf)
{
	struct mmb_info mi;
	unsigned long cmd;
	size_t pg = page_size();
	int ret;

	if (!buf)
		return -EINVAL;
	memset(buf, 0, sizeof(*buf));
	if (flags & ~(MMZ_ALLOC_F_CACHED | MMZ_ALLOC_F_NOMAP | MMZ_ALLOC_F_TOP_DOWN))
		return -EINVAL;
	if (!size || size > (size_t)-1 - pg + 1)
		return -EINVAL;
	if (align & (align - 1))
		return -EINVAL;
	if ((zone && strlen(zone) >= HIL_MMZ_NAME_LEN) ||
	    (name && strlen(name) >= HIL_MMB_NAME_LEN))
		return -ENAMETOOLONG;
	ret = get(h, &h);
	if (ret)
		return ret;
	memset(&mi, 0, sizeof(mi));
	mi.size = size;
	mi.align = align;
	if (zone)
		strcpy(mi.mmz_name, zone);
	if (name)
		strcpy(mi.mmb_name, name);
	cmd = IOC_MMB_ALLOC;
	if (flags & MMZ_ALLOC_F_TOP_DOWN) {
		cmd = IOC_MMB_ALLOC_V2;
		mi.order = MMZ_ALLOC_HIGH_TO_LOW;
	}
	ret = xioctl(h->fd, cmd, &mi);
	if (ret)
		return ret;
	buf->phys = mi.phys_addr;
	buf->size = (size + pg - 1) & ~(pg - 1);
	buf->cached = !!(flags & MMZ_ALLOC_F_CACHED);
	if (flags & MMZ_ALLOC_F_NOMAP)
		return 0;
	cmd = buf->cached ? IOC_MMB_USER_REMAP_CACHED : IOC_MMB_USER_REMAP;
	ret = xioctl(h->fd, cmd, &mi);
	if (ret) {
		struct mmb_info fr;

		memset(&fr, 0, sizeof(fr));
		fr.phys_addr = mi.phys_addr;
		xioctl(h->fd, IOC_MMB_FREE, &fr);
		memset(buf, 0, sizeof(*buf));
		return ret;
	}
	buf->virt = mi.mapped;
	return 0;
}

MMZ_EXPORT int mmz_alloc(mmz_t *h, size_t size, size_t align, const char *zone,
			 const char *name, struct mmz_buf *buf)
{
	return mmz_alloc_ex(h, size, align, zone, name, 0, buf);
}

MMZ_EXPORT int mmz_alloc_cached(mmz_t *h, size_t size, size_t align,
				const char *zone, const char *name,
				struct mmz_buf *buf)
{
	return mmz_alloc_ex(h, size, align, zone, name, MMZ_ALLOC_F_CACHED, buf);
}

MMZ_EXPORT int mmz_free_phys(mmz_t *h, uint64_t phys)
{
	struct mmb_info mi;
	int ret = get(h, &h);

	if (ret)
		return ret;
	memset(&mi, 0, sizeof(mi));
	ret = put_phys(phys, &mi.phys_addr);
	return ret ? ret : xioctl(h->fd, IOC_MMB_FREE, &mi);
}

MMZ_EXPORT int mmz_free(mmz_t *h, struct mmz_buf *buf)
{
	int ret;

	if (!buf)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	if (buf->virt) {
		struct mmb_info mi;

		memset(&mi, 0, sizeof(mi));
		ret = put_phys(buf->phys, &mi.phys_addr);
		if (!ret)
			ret = xioctl(h->fd, IOC_MMB_USER_UNMAP, &mi);
		if (ret)
			return ret;
		buf->virt = NULL;
	}
	return mmz_free_phys(h, buf->phys);
}

/* The mapping fd for @cached, opened on first use. */
static int get_map_fd(mmz_t *h, int cached)
{
	int *slot = cached ? &h->map_fd : &h->sync_fd;
	int fd;

	pthread_mutex_lock(&h->lock);
	if (*slot < 0)
		*slot = open_dev(h->path, cached ? 0 : O_SYNC);
	fd = *slot;
	if (fd < 0)
		*slot = -1;
	pthread_mutex_unlock(&h->lock);
	return fd;
}

MMZ_EXPORT int mmz_map(mmz_t *h, uint64_t phys, size_t size, int cached,
		       void **ptr)
{
	size_t pg = page_size();
	size_t off = (size_t)(phys & (pg - 1));
	void *p;
	int fd, ret;

	if (!ptr)
		return -EINVAL;
	*ptr = NULL;
	if (!size || size > (size_t)-1 - off - pg)
		return -EINVAL;
	if (sizeof(off_t) < sizeof(uint64_t) && phys > (uint64_t)LONG_MAX)
		return -EOVERFLOW;
	ret = get(h, &h);
	if (ret)
		return ret;
	fd = get_map_fd(h, cached);
	if (fd < 0)
		return fd;
	p = mmap(NULL, size + off, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 (off_t)(phys - off));
	if (p == MAP_FAILED)
		return -errno;
	*ptr = (char *)p + off;
	return 0;
}

MMZ_EXPORT int mmz_unmap(mmz_t *h, void *ptr, size_t size)
{
	size_t off = (uintptr_t)ptr & (page_size() - 1);

	(void)h;
	if (!ptr || !size)
		return -EINVAL;
	if (munmap((char *)ptr - off, size + off))
		return -errno;
	return 0;
}

MMZ_EXPORT int mmz_flush(mmz_t *h, uint64_t phys, const void *virt, size_t size)
{
	struct dirty_area da;
	unsigned long p;
	int ret = get(h, &h);

	if (ret)
		return ret;
	ret = put_phys(phys, &p);
	if (ret)
		return ret;
	if (!size) {
		if (virt && !phys)
			return -EINVAL;
		ret = ioctl(h->fd, IOC_MMB_FLUSH_DCACHE, p);
		return ret < 0 ? -errno : 0;
	}
	if (!virt)
		return -EINVAL;
	memset(&da, 0, sizeof(da));
	da.dirty_phys_start = p;
	da.dirty_virt_start = (void *)virt;
	da.dirty_size = size;
	return xioctl(h->fd, IOC_MMB_FLUSH_DCACHE_DIRTY, &da);
}

MMZ_EXPORT int mmz_virt_to_phys(mmz_t *h, const void *ptr, uint64_t *phys,
				int *cached)
{
	/* the module takes 4-byte aligned addresses; bit 0 says cached */
	uintptr_t off = (uintptr_t)ptr & 3;
	struct mmb_info mi;
	int ret;

	if (!phys)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	memset(&mi, 0, sizeof(mi));
	mi.mapped = (void *)((uintptr_t)ptr - off);
	ret = xioctl(h->fd, IOC_MMB_VIRT_GET_PHYS, &mi);
	if (ret)
		return ret;
	*phys = (mi.phys_addr & ~1UL) + off;
	if (cached)
		*cached = mi.phys_addr & 1;
	return 0;
}

static int refop(mmz_t *h, uint64_t phys, unsigned long cmd)
{
	unsigned long p;
	int ret = get(h, &h);

	if (ret)
		return ret;
	ret = put_phys(phys, &p);
	if (ret)
		return ret;
	if (ioctl(h->fd, cmd, p) < 0)
		return -errno;
	return 0;
}

MMZ_EXPORT int mmz_ref(mmz_t *h, uint64_t phys)
{
	return refop(h, phys, IOC_MMB_ADD_REF);
}

MMZ_EXPORT int mmz_unref(mmz_t *h, uint64_t phys)
{
	return refop(h, phys, IOC_MMB_DEC_REF);
}

/* probe MMZ_IOC_VERSION once; any refusal means a module without it */
static void probe(mmz_t *h)
{
	struct mmz_version v;

	pthread_mutex_lock(&h->lock);
	if (h->ext < 0) {
		memset(&h->mi, 0, sizeof(h->mi));
		memset(&v, 0, sizeof(v));
		if (!(h->flags & MMZ_OPEN_NO_EXTENSIONS) &&
		    !xioctl(h->fd, MMZ_IOC_VERSION, &v) && v.abi_major) {
			h->mi.abi_major = v.abi_major;
			h->mi.abi_minor = v.abi_minor;
			h->mi.features = v.features;
			h->mi.extensions = 1;
		}
		h->ext = h->mi.extensions;
	}
	pthread_mutex_unlock(&h->lock);
}

MMZ_EXPORT int mmz_module_info(mmz_t *h, struct mmz_module_info *info)
{
	int ret;

	if (!info)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	probe(h);
	*info = h->mi;
	return 0;
}

static int has_feature(mmz_t *h, uint64_t feat)
{
	probe(h);
	return h->ext && (h->mi.features & feat);
}

MMZ_EXPORT int mmz_zone_info(mmz_t *h, unsigned int index, struct mmz_zone *info)
{
	char *text;
	int ret;

	if (!info)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	if (has_feature(h, MMZ_FEAT_ZONE_INFO)) {
		struct mmz_zone_info zi;

		memset(&zi, 0, sizeof(zi));
		zi.index = index;
		ret = xioctl(h->fd, MMZ_IOC_ZONE_INFO, &zi);
		if (ret)
			return ret;
		memset(info, 0, sizeof(*info));
		info->index = zi.index;
		memcpy(info->name, zi.name, sizeof(info->name));
		info->name[sizeof(info->name) - 1] = '\0';
		info->phys = zi.phys;
		info->size = zi.size;
		info->used = zi.used;
		info->largest_free = zi.largest_free;
		info->gfp = zi.gfp;
		info->blocks = zi.blocks;
		info->free_extents = zi.free_extents;
		info->detailed = 1;
		return 0;
	}
	ret = mmz_read_text(MMZ_DEFAULT_PROC, &text);
	if (ret)
		return ret;
	ret = mmz_procmem_zone(text, index, info);
	free(text);
	return ret;
}

MMZ_EXPORT int mmz_block_info(mmz_t *h, uint64_t phys_from,
			      struct mmz_block *info)
{
	char *text;
	int ret;

	if (!info)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	if (has_feature(h, MMZ_FEAT_BLOCK_INFO)) {
		struct mmz_block_info bi;

		memset(&bi, 0, sizeof(bi));
		bi.phys = phys_from;
		ret = xioctl(h->fd, MMZ_IOC_BLOCK_INFO, &bi);
		if (ret)
			return ret;
		memset(info, 0, sizeof(*info));
		info->phys = bi.phys;
		info->size = bi.size;
		info->zone_index = bi.zone_index;
		memcpy(info->name, bi.name, sizeof(info->name));
		info->name[sizeof(info->name) - 1] = '\0';
		info->owner_pid = bi.owner_pid;
		info->map_count = (int32_t)bi.map_count;
		info->ref_count = (int32_t)bi.ref_count;
		if (bi.flags & MMZ_BLOCK_DELAYED_FREE)
			info->flags |= MMZ_BLK_DELAYED_FREE;
		if (bi.flags & MMZ_BLOCK_CACHED)
			info->flags |= MMZ_BLK_CACHED;
		if (bi.flags & MMZ_BLOCK_EXPORTED)
			info->flags |= MMZ_BLK_EXPORTED;
		info->kernel_mapped = bi.kvirt_mapped ? 1 : 0;
		info->detailed = 1;
		return 0;
	}
	ret = mmz_read_text(MMZ_DEFAULT_PROC, &text);
	if (ret)
		return ret;
	ret = mmz_procmem_block(text, phys_from, info);
	free(text);
	return ret;
}

static int share_op(mmz_t *h, uint64_t phys, int pid, uint32_t flags)
{
	struct mmz_share sh;
	int ret = get(h, &h);

	if (ret)
		return ret;
	if (!has_feature(h, MMZ_FEAT_SHARE))
		return -EOPNOTSUPP;
	memset(&sh, 0, sizeof(sh));
	sh.phys = phys;
	sh.pid = pid;
	sh.flags = flags;
	return xioctl(h->fd, MMZ_IOC_SHARE, &sh);
}

MMZ_EXPORT int mmz_share(mmz_t *h, uint64_t phys, int pid)
{
	return share_op(h, phys, pid, 0);
}

MMZ_EXPORT int mmz_unshare(mmz_t *h, uint64_t phys, int pid)
{
	return share_op(h, phys, pid, MMZ_SHARE_REVOKE);
}

MMZ_EXPORT int mmz_check(mmz_t *h, uint32_t *violations)
{
	struct mmz_check ck;
	int ret;

	if (!violations)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	if (!has_feature(h, MMZ_FEAT_CHECK))
		return -EOPNOTSUPP;
	ret = xioctl(h->fd, MMZ_IOC_CHECK, &ck);
	if (!ret)
		*violations = ck.violations;
	return ret;
}

MMZ_EXPORT int mmz_export_dmabuf(mmz_t *h, uint64_t phys, int flags)
{
	struct mmz_export ex;
	int ret = get(h, &h);

	if (ret)
		return ret;
	if (!has_feature(h, MMZ_FEAT_DMABUF))
		return -EOPNOTSUPP;
	if (flags < 0)
		return -EINVAL;
	memset(&ex, 0, sizeof(ex));
	ex.phys = phys;
	ex.flags = (uint32_t)flags;
	ret = xioctl(h->fd, MMZ_IOC_EXPORT_DMABUF, &ex);
	return ret ? ret : ex.fd;
}

MMZ_EXPORT int mmz_import_dmabuf(mmz_t *h, int fd, uint64_t *phys,
			      uint64_t *size)
{
	struct mmz_import im;
	int ret;

	if (!phys || !size)
		return -EINVAL;
	ret = get(h, &h);
	if (ret)
		return ret;
	if (!has_feature(h, MMZ_FEAT_IMPORT))
		return -EOPNOTSUPP;
	memset(&im, 0, sizeof(im));
	im.fd = fd;
	ret = xioctl(h->fd, MMZ_IOC_IMPORT_DMABUF, &im);
	if (!ret) {
		*phys = im.phys;
		*size = im.size;
	}
	return ret;
}

MMZ_EXPORT const char *mmz_strerror(int err)
{
	if (err == 0)
		return "Success";
	if (err == -ENODEV)
		return "No such device (is the mmz module loaded?)";
	/* glibc and musl return static text for every known errno */
	return strerror(err < 0 ? -err : err);
}
