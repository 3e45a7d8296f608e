/* SPDX-License-Identifier: MIT */
/*
 * MMZ_IOC_IMPORT_DMABUF: a CMA heap buffer (/dev/dma_heap/, the heap that
 * is not "system": its name is the default CMA area's) becomes
 * a block of the importing fd: its physical address maps through the
 * device (REMAP, mmap) and shows what the heap's mapping wrote, both ways;
 * VIRT_GET_PHYS, ATTR and BLOCK_INFO (zone index UINT32_MAX) know it; the
 * import holds the buffer after the heap fd is closed; FREE and closing
 * the importing fd end it. Refusals: flags, not a dma-buf, a dma-buf of
 * mmz's own memory, the same buffer twice. Buffers of other exporters:
 * udmabuf (vm/config/media.fragment) over memfd pages imports exactly when
 * the memfd's pagemap says they are one physical range (two pages that are
 * not neighbours are refused, one page imports); a system heap buffer,
 * mapped by PFN (no frame numbers in pagemap), may go either way, and an
 * import must show its data.
 */
#include "mmztest.h"

#include <dirent.h>
#include <linux/dma-heap.h>
#include <linux/udmabuf.h>
#include <stdint.h>
#include <sys/syscall.h>

#define BSZ	(1UL << 20)

static char heap[300];
static const char system_heap[] = "/dev/dma_heap/system";

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

/* a buffer of the heap @node, or -errno */
static int heap_alloc_from(const char *node, unsigned long len)
{
	struct dma_heap_allocation_data a = {
		.len = len, .fd_flags = O_RDWR | O_CLOEXEC,
	};
	int h = open(node, O_RDONLY | O_CLOEXEC), ret;

	if (h < 0)
		return -errno;
	ret = t_ioctl(h, DMA_HEAP_IOCTL_ALLOC, &a);
	close(h);
	return ret ? ret : (int)a.fd;
}

/* a buffer of the CMA heap, or -errno */
static int heap_alloc(unsigned long len)
{
	return heap_alloc_from(heap, len);
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

/*
 * @dfd imports as predicted from the mapping @va of its pages (pattern
 * @seed); @must: it is one range by construction
 */
static void import_as_predicted(const char *what, int dfd, void *va,
				size_t len, unsigned int seed, int must)
{
	int fd = t_open(0);
	unsigned long phys;
	void *m;

	if (t_import_predicted(fd, what, dfd, va, len, must, &phys) == 1) {
		if (T_OK(t_remap(fd, phys, 1, &m))) {
			T_PATTERN(m, len, seed, "the import shows other data");
			T_OK(t_unmap(fd, phys));
		}
		T_OK(t_free(fd, phys));
	}
	close(fd);
}

/* a system heap buffer: high-order pages, one range or not */
static void test_system_heap(void)
{
	unsigned long len = 4UL << 20;
	int dfd = heap_alloc_from(system_heap, len);
	void *va;

	if (!T_TRUE(dfd >= 0, "%s: %s", system_heap, strerror(-dfd)))
		return;
	va = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	if (T_TRUE(va != MAP_FAILED, "mmap: %s", strerror(errno))) {
		t_fill(va, len, 13);
		import_as_predicted("system heap buffer", dfd, va, len, 13, 0);
		munmap(va, len);
	}
	close(dfd);
}

/* a udmabuf of memfd @mfd's pages @first.. (@n), or -1 */
static int udmabuf_of(int u, int mfd, int first, int n)
{
	struct udmabuf_create c = {
		.memfd = (uint32_t)mfd, .flags = UDMABUF_FLAGS_CLOEXEC,
		.offset = (uint64_t)first * T_PAGE, .size = n * T_PAGE,
	};
	int dfd = ioctl(u, UDMABUF_CREATE, &c);

	T_TRUE(dfd >= 0, "UDMABUF_CREATE: %s", strerror(errno));
	return dfd;
}

/*
 * udmabuf over memfd pages, predicted from the memfd's own mapping: all
 * 16 pages (one range or not), two pages that are not physical neighbours
 * (refused), one page (imported). A udmabuf pins its pages for good,
 * which moves them out of CMA first: the addresses are read after the
 * first udmabuf pinned them all.
 */
static void test_udmabuf(void)
{
	enum { NP = 16 };
	struct udmabuf_create_list *two = calloc(1, sizeof(*two) +
						 2 * sizeof(two->list[0]));
	unsigned long pa[NP], phys, size;
	int u = open("/dev/udmabuf", O_RDWR | O_CLOEXEC), mfd = -1, all = -1;
	int dfd, i, j;
	unsigned char *va = MAP_FAILED, *m;

	if (u < 0) {
		printf("note: no /dev/udmabuf in this kernel\n");
		free(two);
		return;
	}
	mfd = (int)syscall(SYS_memfd_create, "mmz-udmabuf", MFD_ALLOW_SEALING);
	if (!T_TRUE(two != NULL, "out of memory") ||
	    !T_TRUE(mfd >= 0, "memfd_create: %s", strerror(errno)) ||
	    !T_OK(ftruncate(mfd, NP * T_PAGE) ? -errno : 0) ||
	    !T_OK(fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK) ? -errno : 0))
		goto out;
	va = mmap(NULL, NP * T_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd,
		  0);
	if (!T_TRUE(va != MAP_FAILED, "mmap: %s", strerror(errno)))
		goto out;
	t_fill(va, NP * T_PAGE, 17);
	all = udmabuf_of(u, mfd, 0, NP);
	if (all < 0)
		goto out;
	for (i = 0; i < NP; i++)	/* mapped again if they moved */
		(void)*(volatile unsigned char *)(va + i * T_PAGE);
	import_as_predicted("udmabuf of 16 memfd pages", all, va,
			    NP * T_PAGE, 17, 0);
	for (i = 0; i < NP; i++)
		if (!T_EQ(t_phys_range(va + i * T_PAGE, T_PAGE, &pa[i]), 1))
			goto out;
	/* page 0 and the first page that does not follow it */
	for (j = 1; j < NP && pa[j] == pa[0] + T_PAGE; j++)
		;
	if (!T_TRUE(j < NP, "%d memfd pages in a row", NP))
		goto out;
	two->flags = UDMABUF_FLAGS_CLOEXEC;
	two->count = 2;
	two->list[0] = (struct udmabuf_create_item){ .memfd = (uint32_t)mfd,
						     .size = T_PAGE };
	two->list[1] = (struct udmabuf_create_item){ .memfd = (uint32_t)mfd,
			.offset = (uint64_t)j * T_PAGE, .size = T_PAGE };
	dfd = ioctl(u, UDMABUF_CREATE_LIST, two);
	if (T_TRUE(dfd >= 0, "UDMABUF_CREATE_LIST: %s", strerror(errno))) {
		/* it is those two pages */
		m = mmap(NULL, 2 * T_PAGE, PROT_READ, MAP_SHARED, dfd, 0);
		if (T_TRUE(m != MAP_FAILED, "mmap: %s", strerror(errno))) {
			T_TRUE(!memcmp(m, va, T_PAGE) &&
			       !memcmp(m + T_PAGE, va + j * T_PAGE, T_PAGE),
			       "the udmabuf is not memfd pages 0 and %d", j);
			munmap(m, 2 * T_PAGE);
		}
		i = t_open(0);
		printf("udmabuf of memfd pages 0 and %d (0x%lx, 0x%lx)\n", j,
		       pa[0], pa[j]);
		T_ERR(t_import(i, dfd, 0, &phys, &size), EINVAL);
		close(i);
		close(dfd);
	}
	dfd = udmabuf_of(u, mfd, 0, 1);
	if (dfd >= 0) {
		import_as_predicted("udmabuf of one memfd page", dfd, va,
				    T_PAGE, 17, 1);
		close(dfd);
	}
out:
	if (all >= 0)
		close(all);
	if (va != MAP_FAILED)
		munmap(va, NP * T_PAGE);
	if (mfd >= 0)
		close(mfd);
	free(two);
	close(u);
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
	test_system_heap();
	test_udmabuf();
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
