/* SPDX-License-Identifier: MIT */
/*
 * An mmz block in DRM through PRIME, with vgem as the importer (issue
 * #15): vgem imports the block's dma-buf (it attaches and maps it at
 * once), the same buffer twice gives the same handle, the handle exports
 * the very same dma-buf again, whose mapping shows the block's data both
 * ways. The import holds the block: FREE, UNMAP and closing the device fd
 * and the dma-buf leave it alive until the handle goes (GEM_CLOSE, or
 * closing the DRM fd); the exporter's SIGKILL leaves its data readable
 * through the handle. The other way: a vgem buffer imported into mmz is
 * accepted exactly when pagemap says it is one physical range.
 *
 * DRM's structs and ioctl numbers are written here from the kernel's
 * uapi <drm/drm.h> and <drm/drm_mode.h> (Debian's linux-libc-dev does not
 * ship them). Skips when the kernel has no vgem (vm/config/media.fragment).
 */
#include "mmztest.h"

#include <dirent.h>
#include <signal.h>

struct t_drm_version {
	int major, minor, patch;
	size_t name_len;
	char *name;
	size_t date_len;
	char *date;
	size_t desc_len;
	char *desc;
};

struct t_drm_gem_close {
	uint32_t handle, pad;
};

struct t_drm_prime_handle {
	uint32_t handle, flags;
	int32_t fd;
};

struct t_drm_create_dumb {
	uint32_t height, width, bpp, flags, handle, pitch;
	uint64_t size;
};

#define T_DRM_VERSION		_IOWR('d', 0x00, struct t_drm_version)
#define T_DRM_GEM_CLOSE		_IOW('d', 0x09, struct t_drm_gem_close)
#define T_DRM_HANDLE_TO_FD	_IOWR('d', 0x2d, struct t_drm_prime_handle)
#define T_DRM_FD_TO_HANDLE	_IOWR('d', 0x2e, struct t_drm_prime_handle)
#define T_DRM_CREATE_DUMB	_IOWR('d', 0xb2, struct t_drm_create_dumb)

#define BSZ	(1UL << 20)

static char node[300], card[300];	/* render and primary node */
static const struct tzone *zone;

/* vgem's render node and primary node in @render, @card, or empty names */
static void find_vgem(char *render, char *card, size_t len)
{
	DIR *d = opendir("/dev/dri");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char name[16] = "", path[300];
		struct t_drm_version v = {
			.name_len = sizeof(name) - 1, .name = name,
		};
		int fd, is_render = !strncmp(e->d_name, "renderD", 7);

		if (!is_render && strncmp(e->d_name, "card", 4))
			continue;
		snprintf(path, sizeof(path), "/dev/dri/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, T_DRM_VERSION, &v) && !strcmp(name, "vgem"))
			snprintf(is_render ? render : card, len, "%s", path);
		close(fd);
	}
	if (d)
		closedir(d);
}

static int drm_open(void)
{
	int fd = open(node, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		t_fail("open %s: %s", node, strerror(errno));
	return fd;
}

static int prime_import(int drm, int dfd, uint32_t *handle)
{
	struct t_drm_prime_handle p = { .fd = dfd };
	int ret = t_ioctl(drm, T_DRM_FD_TO_HANDLE, &p);

	if (!ret)
		*handle = p.handle;
	return ret;
}

static int prime_export(int drm, uint32_t handle, int *dfd)
{
	struct t_drm_prime_handle p = {
		.handle = handle, .flags = O_RDWR | O_CLOEXEC, .fd = -1,
	};
	int ret = t_ioctl(drm, T_DRM_HANDLE_TO_FD, &p);

	if (!ret)
		*dfd = p.fd;
	return ret;
}

static int gem_close(int drm, uint32_t handle)
{
	struct t_drm_gem_close c = { .handle = handle };

	return t_ioctl(drm, T_DRM_GEM_CLOSE, &c);
}

/* a block of @seed's pattern and its dma-buf */
static int make_block(int fd, unsigned int seed, unsigned long *phys,
		      int *dfd)
{
	void *va;

	if (!T_OK(t_alloc(fd, zone->name, "vgem", BSZ, 0, phys)))
		return -1;
	if (T_OK(t_remap(fd, *phys, 1, &va))) {
		t_fill(va, BSZ, seed);
		T_OK(t_flush_dirty(fd, *phys, va, BSZ));
		T_OK(t_unmap(fd, *phys));
	}
	if (T_OK(t_export(fd, *phys, O_RDWR | O_CLOEXEC, dfd)))
		return 0;
	T_OK(t_free(fd, *phys));
	return -1;
}

static ino_t ino_of(int fd)
{
	struct stat sb;

	return fstat(fd, &sb) ? 0 : sb.st_ino;
}

/*
 * PRIME import; the handle's own dma-buf is the block's; its mapping
 * reads the block and writes into it.
 */
static void test_import(int drm)
{
	int fd = t_open(0), dfd = -1, dfd2 = -1;
	uint32_t h = 0, h2 = 0;
	unsigned long phys;
	unsigned char *d, *va;

	if (make_block(fd, 3, &phys, &dfd))
		goto out;
	if (!T_OK(prime_import(drm, dfd, &h)))
		goto out;
	T_OK(prime_import(drm, dfd, &h2));
	T_EQ(h2, h);
	if (T_OK(prime_export(drm, h, &dfd2))) {
		T_TRUE(ino_of(dfd2) == ino_of(dfd),
		       "vgem exported another dma-buf than the block's");
		d = mmap(NULL, BSZ, PROT_READ | PROT_WRITE, MAP_SHARED, dfd2,
			 0);
		if (T_TRUE(d != MAP_FAILED, "mmap of vgem's dma-buf: %s",
			   strerror(errno))) {
			T_PATTERN(d, BSZ, 3, "vgem's dma-buf: not the block");
			t_fill(d, BSZ, 4);
			munmap(d, BSZ);
		}
		close(dfd2);
		if (T_OK(t_remap(fd, phys, 1, (void **)&va))) {
			T_PATTERN(va, BSZ, 4, "the block: not vgem's writes");
			T_OK(t_unmap(fd, phys));
		}
	}
	T_OK(gem_close(drm, h));
	T_ERR(gem_close(drm, h), EINVAL);
out:
	if (dfd >= 0)
		close(dfd);
	T_OK(t_free(fd, phys));
	T_PROC_BLOCK(phys, 0);
	close(fd);
}

/* vgem's handle holds the block past FREE and every close; GEM_CLOSE ends it */
static void test_hold(int drm)
{
	int fd = t_open(0), dfd = -1, drm2;
	unsigned long phys;
	uint32_t h;

	if (make_block(fd, 5, &phys, &dfd)) {
		close(fd);
		return;
	}
	if (!T_OK(prime_import(drm, dfd, &h)))
		h = 0;
	T_OK(t_free(fd, phys));
	close(dfd);
	close(fd);
	if (!h)
		return;
	T_PROC_BLOCK(phys, 1);
	T_OK(gem_close(drm, h));
	T_PROC_BLOCK(phys, 0);

	/* closing the DRM fd drops its handles */
	drm2 = drm_open();
	fd = t_open(0);
	if (drm2 >= 0 && !make_block(fd, 6, &phys, &dfd)) {
		T_OK(prime_import(drm2, dfd, &h));
		T_OK(t_free(fd, phys));
		close(dfd);
		T_PROC_BLOCK(phys, 1);
		close(drm2);
		drm2 = -1;
		T_PROC_BLOCK(phys, 0);
	}
	if (drm2 >= 0)
		close(drm2);
	close(fd);
}

/*
 * The exporter imports its block into a DRM fd it shares with us, hands
 * over the handle and is killed: the block lives on with its data.
 */
static void test_exporter_killed(int drm)
{
	struct { uint32_t h; unsigned long phys; } msg = { 0, 0 };
	int up[2], dfd, fd;
	unsigned char *d;
	pid_t pid;

	if (!T_OK(pipe(up) ? -errno : 0))
		return;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(up[0]);
		fd = t_open(0);
		if (make_block(fd, 9, &msg.phys, &dfd) ||
		    prime_import(drm, dfd, &msg.h) ||
		    write(up[1], &msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		for (;;)
			pause();
	}
	close(up[1]);
	if (!T_TRUE(read(up[0], &msg, sizeof(msg)) == sizeof(msg),
		    "the exporter did not get its block into vgem"))
		msg.h = 0;
	close(up[0]);
	kill(pid, SIGKILL);
	T_EQ(t_reap(pid), 128 + SIGKILL);
	if (!msg.h)
		return;
	T_PROC_BLOCK(msg.phys, 1);
	if (T_OK(prime_export(drm, msg.h, &dfd))) {
		d = mmap(NULL, BSZ, PROT_READ, MAP_SHARED, dfd, 0);
		if (T_TRUE(d != MAP_FAILED, "mmap: %s", strerror(errno))) {
			T_PATTERN(d, BSZ, 9, "the killed exporter's data");
			munmap(d, BSZ);
		}
		close(dfd);
	}
	T_OK(gem_close(drm, msg.h));
	T_PROC_BLOCK(msg.phys, 0);
}

/*
 * A vgem buffer (shmem pages) into mmz: imported exactly when it is one
 * physical range (one page always is), showing its data. Dumb buffers are
 * made on the primary node (not a render node's ioctl), whose only
 * opener here is its master.
 */
static void test_vgem_buffer(uint32_t width)
{
	struct t_drm_create_dumb c = { .height = 1, .width = width,
				       .bpp = 32 };
	int fd = t_open(0), dfd = -1, drm = open(card, O_RDWR | O_CLOEXEC);
	unsigned char *d;
	unsigned long phys;
	size_t i;

	if (!T_TRUE(drm >= 0, "open %s: %s", card, strerror(errno)))
		goto out;
	if (!T_OK(t_ioctl(drm, T_DRM_CREATE_DUMB, &c)))
		goto out;
	if (!T_OK(prime_export(drm, c.handle, &dfd)))
		goto out;
	d = mmap(NULL, c.size, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	if (!T_TRUE(d != MAP_FAILED, "mmap: %s", strerror(errno)))
		goto out;
	for (i = 0; i < c.size; i += T_PAGE)
		d[i] = 1;
	t_fill(d, c.size, 11);
	if (t_import_predicted(fd, "vgem buffer", dfd, d, c.size,
			       c.size == T_PAGE, &phys) == 1) {
		unsigned char *va;

		if (T_OK(t_remap(fd, phys, 1, (void **)&va))) {
			T_PATTERN(va, c.size, 11, "the import shows other data");
			T_OK(t_unmap(fd, phys));
		}
		T_OK(t_free(fd, phys));
	}
	munmap(d, c.size);
out:
	if (dfd >= 0)
		close(dfd);
	if (c.handle)
		T_OK(gem_close(drm, c.handle));
	if (drm >= 0)
		close(drm);
	close(fd);
}

int main(void)
{
	int drm;

	find_vgem(node, card, sizeof(node));
	if (!node[0] || !card[0]) {
		printf("skip: no vgem in this kernel\n");
		return T_EXIT_SKIP;
	}
	zone = t_zone("anonymous");
	drm = drm_open();
	if (drm < 0)
		return t_result();
	test_import(drm);
	test_hold(drm);
	test_exporter_killed(drm);
	test_vgem_buffer(1024);		/* one page */
	test_vgem_buffer(256 * 1024);	/* 1 MiB */
	close(drm);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
