/* SPDX-License-Identifier: MIT */
/*
 * MMZ_IOC_IMPORT_DMABUF: a CMA heap buffer (/dev/dma_heap/, the heap that
 * is not "system": its name is the default CMA area's) becomes
 * a block of the importing fd: its physical address maps through the
 * device (REMAP, mmap) and shows what the heap's mapping wrote, both ways;
 * VIRT_GET_PHYS, ATTR and BLOCK_INFO (zone index UINT32_MAX) know it; the
 * import holds the buffer after the heap fd is closed; FREE and closing
 * the importing fd end it. Refusals: flags, not a dma-buf, a dma-buf of
 * mmz's own memory, the same buffer twice.
 */
#include "mmztest.h"

#include <dirent.h>
#include <linux/dma-heap.h>
#include <stdint.h>

#define BSZ	(1UL << 20)

static char heap[300];

/* the CMA heap's node, or an empty name */
static void find_heap(void)
{
	DIR *d = opendir("/dev/dma_heap");
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, "system")) {
			snprintf(heap, sizeof(heap), "/dev/dma_heap/%s",
				 e->d_name);
			break;
		}
	if (d)
		closedir(d);
}

static int t_import(int fd, int dfd, unsigned int flags, unsigned long *phys,
		    unsigned long *size)
{
	struct mmz_import im = { .fd = dfd, .flags = flags };
	int ret = t_ioctl(fd, MMZ_IOC_IMPORT_DMABUF, &im);

	if (!ret) {
		*phys = (unsigned long)im.phys;
		*size = (unsigned long)im.size;
	}
	return ret;
}

/*
 * 1 when /proc/media-mem lists the block at @phys after the vendor's
 * summary, under "---MMZ_IMPORTS: number=@n, size=...": an import.
 */
static int proc_lists_import(unsigned long phys, int n)
{
	char *t = t_read_file(MEDIA_MEM), *imp, key[64];
	int ret = 0;

	if (!t)
		return 0;
	snprintf(key, sizeof(key), "\n---MMZ_IMPORTS: number=%d, size=", n);
	imp = strstr(t, key);
	if (imp) {
		snprintf(key, sizeof(key), "   |-MMB: phys(0x%08lX, ", phys);
		ret = strstr(imp, key) != NULL &&
		      strstr(t, "---MMZ_USE_INFO:") < imp;
	}
	free(t);
	return ret;
}

static int t_proc_has_import_section(void)
{
	char *t = t_read_file(MEDIA_MEM);
	int ret = t && strstr(t, "---MMZ_IMPORTS:");

	free(t);
	return ret;
}

static int t_block_exists(int fd, unsigned long phys)
{
	struct mmz_block_info bi = { .phys = phys };

	return !t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi) && bi.phys == phys;
}

/* a buffer of the CMA heap, or -errno */
static int heap_alloc(unsigned long len)
{
	struct dma_heap_allocation_data a = {
		.len = len, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int h = open(heap, O_RDONLY | O_CLOEXEC), ret;

	if (h < 0)
		return -errno;
	ret = t_ioctl(h, DMA_HEAP_IOCTL_ALLOC, &a);
	close(h);
	return ret ? ret : (int)a.fd;
}

static void test_import(void)
{
	int fd = t_open(0), hfd;
	unsigned long phys = 0, size = 0, p2, s2;
	unsigned char *h, *va = NULL;
	struct mmz_block_info bi;
	struct mmb_info mi;

	hfd = heap_alloc(BSZ);
	if (!T_TRUE(hfd >= 0, "CMA heap \"%s\": %s", heap, strerror(-hfd)))
		goto out;
	h = mmap(NULL, BSZ, PROT_READ | PROT_WRITE, MAP_SHARED, hfd, 0);
	if (!T_TRUE(h != MAP_FAILED, "heap mmap: %s", strerror(errno)))
		goto out;
	t_fill(h, BSZ, 3);
	munmap(h, BSZ);
	if (!T_OK(t_import(fd, hfd, 0, &phys, &size)))
		goto out;
	T_EQ(size, BSZ);
	T_TRUE(proc_lists_import(phys, 1),
	       "/proc/media-mem: no import section with 0x%lx", phys);
	T_ERR(t_import(fd, hfd, 0, &p2, &s2), EEXIST);	/* twice */
	close(hfd);			/* the import holds the buffer */
	hfd = -1;

	bi.phys = phys;
	if (T_OK(t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi))) {
		T_EQ(bi.phys, phys);
		T_EQ(bi.size, BSZ);
		T_EQ(bi.zone_index, UINT32_MAX);
		T_EQ(bi.owner_pid, getpid());
	}
	T_OK(t_attr(fd, phys + 4096, &mi));
	if (T_OK(t_remap(fd, phys, 1, (void **)&va))) {
		T_PATTERN(va, BSZ, 3, "the block does not show the heap's data");
		if (T_OK(t_virt2phys(fd, va + 8192, &mi)))
			T_EQ(mi.phys_addr & ~1UL, phys + 8192);
		t_fill(va, BSZ, 5);
		T_OK(t_flush_dirty(fd, phys, va, BSZ));
		/* the vendor's answer while this fd maps it: delayed */
		T_ERR(t_free(fd, phys), EBUSY);
		T_EQ(t_block_exists(fd, phys), 1);
		T_OK(t_unmap(fd, phys));	/* completes the free */
	} else {
		T_OK(t_free(fd, phys));
	}
	T_EQ(t_block_exists(fd, phys), 0);
	T_PROC_BLOCK(phys, 0);
	T_TRUE(!t_proc_has_import_section(), "import section left");
out:
	if (hfd >= 0)
		close(hfd);
	close(fd);
}

/* closing the importing fd ends the import; refusals */
static void test_close_and_refusals(void)
{
	int fd = t_open(0), fd2 = t_open(0), hfd, efd = -1;
	unsigned long phys = 0, size, mphys;
	struct mmz_export ex;

	hfd = heap_alloc(BSZ);
	if (!T_TRUE(hfd >= 0, "CMA heap: %s", strerror(-hfd)))
		goto out;
	T_ERR(t_import(fd, hfd, 1, &phys, &size), EINVAL);
	T_ERR(t_import(fd, fd2, 0, &phys, &size), EINVAL);	/* not a dma-buf */
	T_ERR(t_import(fd, -1, 0, &phys, &size), EBADF);
	if (T_OK(t_import(fd, hfd, 0, &phys, &size))) {
		T_EQ(t_block_exists(fd2, phys), 1);
		close(fd);
		fd = -1;
		T_EQ(t_block_exists(fd2, phys), 0);
	}
	/* mmz's own memory comes back as the block it is */
	if (T_OK(t_alloc(fd2, NULL, "imp_own", BSZ, 0, &mphys))) {
		ex = (struct mmz_export){ .phys = mphys, .flags = O_RDWR };
		if (T_OK(t_ioctl(fd2, MMZ_IOC_EXPORT_DMABUF, &ex))) {
			efd = ex.fd;
			T_ERR(t_import(fd2, efd, 0, &phys, &size), EEXIST);
			close(efd);
		}
		T_OK(t_free(fd2, mphys));
	}
out:
	if (hfd >= 0)
		close(hfd);
	if (fd >= 0)
		close(fd);
	close(fd2);
}

int main(void)
{
	struct mmz_version v;
	int fd = t_open(0);

	if (T_OK(t_ioctl(fd, MMZ_IOC_VERSION, &v)))
		T_TRUE(v.features & MMZ_FEAT_IMPORT, "no MMZ_FEAT_IMPORT");
	close(fd);
	find_heap();
	test_import();
	test_close_and_refusals();
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
