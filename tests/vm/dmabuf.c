/* SPDX-License-Identifier: MIT */
/*
 * MMZ_IOC_EXPORT_DMABUF: a block as a dma-buf. The fd maps the block's
 * memory (what the REMAP mapping wrote is read through it and back),
 * DMA_BUF_IOCTL_SYNC works, O_CLOEXEC and the access mode are as asked,
 * BLOCK_INFO says EXPORTED; each dma-buf holds the block: FREE, closing
 * the device fd and the owner's exit leave it alive (and in
 * /proc/media-mem) until the last dma-buf reference goes, then it is
 * freed once; passed to another process the fd keeps the owner's data
 * after the owner exits, and lets nobody read it. Refusals: flags, no block.
 */
#include "mmztest.h"

#include <linux/dma-buf.h>
#include <sys/syscall.h>

#define BSZ (256UL << 10)

static const struct tzone *zone;

static int t_sync(int dfd, unsigned long long flags)
{
	struct dma_buf_sync s = { .flags = flags };

	return t_ioctl(dfd, DMA_BUF_IOCTL_SYNC, &s);
}

static unsigned int t_block_flags(int fd, unsigned long phys)
{
	struct mmz_block_info bi = { .phys = phys };

	if (t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi) || bi.phys != phys)
		return ~0U;
	return bi.flags;
}

/* the dma-buf maps the block: writes go both ways */
static void test_map(int fd)
{
	unsigned char *va = NULL, *d;
	unsigned long phys;
	int dfd = -1;

	if (!T_OK(t_alloc(fd, zone->name, "dbuf", BSZ, 0, &phys)))
		return;
	if (!T_OK(t_remap(fd, phys, 1, (void **)&va)))
		goto out;
	t_fill(va, BSZ, 3);
	T_OK(t_flush_dirty(fd, phys, va, BSZ));
	if (!T_OK(t_export(fd, phys + 4096, O_RDWR | O_CLOEXEC, &dfd)))
		goto out;
	T_TRUE(fcntl(dfd, F_GETFD) & FD_CLOEXEC, "no FD_CLOEXEC on the fd");
	T_EQ(lseek(dfd, 0, SEEK_END), (off_t)BSZ);
	T_TRUE(t_block_flags(fd, phys) & MMZ_BLOCK_EXPORTED,
	       "BLOCK_INFO flags 0x%x without EXPORTED",
	       t_block_flags(fd, phys));
	d = mmap(NULL, BSZ, PROT_READ | PROT_WRITE, MAP_SHARED, dfd, 0);
	if (!T_TRUE(d != MAP_FAILED, "mmap of the dma-buf: %s",
		    strerror(errno)))
		goto out;
	T_OK(t_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW));
	T_PATTERN(d, BSZ, 3, "the dma-buf does not read the block");
	t_fill(d, BSZ, 7);
	T_OK(t_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW));
	T_OK(t_flush_dirty(fd, phys, va, BSZ));
	T_PATTERN(va, BSZ, 7, "the block does not read the dma-buf");
	T_ERR(t_sync(dfd, 0xff), EINVAL);
	/* a mapping past the end, or of part of it at an offset */
	T_TRUE(mmap(NULL, BSZ + 4096, PROT_READ, MAP_SHARED, dfd, 0) ==
	       MAP_FAILED, "a mapping past the buffer's end succeeded");
	munmap(d, BSZ);
	d = mmap(NULL, 4096, PROT_READ, MAP_SHARED, dfd, 8192);
	if (T_TRUE(d != MAP_FAILED, "mmap at offset 8192: %s",
		   strerror(errno))) {
		T_TRUE(d[0] == t_pat(7, 8192) &&
		       d[1] == t_pat(7, 8193),
		       "offset 8192 reads 0x%02x 0x%02x", d[0], d[1]);
		munmap(d, 4096);
	}
out:
	if (dfd >= 0)
		close(dfd);
	if (va)
		T_OK(t_unmap(fd, phys));
	T_OK(t_free(fd, phys));
	T_PROC_BLOCK(phys, 0);
	T_EQ(t_block_flags(fd, phys), ~0U);
}

/* O_RDONLY: read mappings only */
static void test_rdonly(int fd)
{
	unsigned long phys;
	void *d;
	int dfd;

	if (!T_OK(t_alloc(fd, zone->name, "dbuf_ro", BSZ, 0, &phys)))
		return;
	if (T_OK(t_export(fd, phys, O_RDONLY, &dfd))) {
		T_TRUE(!(fcntl(dfd, F_GETFD) & FD_CLOEXEC), "FD_CLOEXEC set");
		T_TRUE(mmap(NULL, BSZ, PROT_READ | PROT_WRITE, MAP_SHARED, dfd,
			    0) == MAP_FAILED && errno == EACCES,
		       "a writable mapping of a read-only dma-buf: %s",
		       strerror(errno));
		d = mmap(NULL, BSZ, PROT_READ, MAP_SHARED, dfd, 0);
		if (T_TRUE(d != MAP_FAILED, "read mapping: %s",
			   strerror(errno))) {
			T_TRUE(!((unsigned char *)d)[100], "not zeroed");
			munmap(d, BSZ);
		}
		close(dfd);
	}
	T_OK(t_free(fd, phys));
}

/* each dma-buf holds the block: FREE and close of the device fd wait */
static void test_lifetime(void)
{
	int fd = t_open(0), fd2 = t_open(0), d1 = -1, d2 = -1;
	unsigned long phys;

	if (!T_OK(t_alloc(fd, zone->name, "dbuf_life", BSZ, 0, &phys)))
		goto out;
	T_OK(t_export(fd, phys, O_RDWR, &d1));
	T_OK(t_export(fd, phys, O_RDWR, &d2));
	T_OK(t_free(fd, phys));		/* delayed: the dma-bufs */
	T_PROC_BLOCK(phys, 1);
	T_TRUE(t_block_flags(fd2, phys) & MMZ_BLOCK_DELAYED_FREE,
	       "not DELAYED_FREE");
	T_ERR(t_export(fd, phys, O_RDWR, &d1), ENOENT);	/* freed */
	close(fd);
	fd = -1;
	close(d1);
	T_PROC_BLOCK(phys, 1);			/* d2 still holds it */
	close(d2);
	T_PROC_BLOCK(phys, 0);
out:
	if (fd >= 0)
		close(fd);
	close(fd2);
}

/*
 * The owner's dma-buf reaches this process by pidfd_getfd(), the VM kernel
 * having no sockets; the kernel installs the same file as SCM_RIGHTS would.
 */
static int take_fd(pid_t pid, int fd)
{
	int pfd = syscall(SYS_pidfd_open, pid, 0), got;

	if (pfd < 0)
		return -1;
	got = syscall(SYS_pidfd_getfd, pfd, fd, 0);
	close(pfd);
	return got;
}

/* An unprivileged process reads the block through the dma-buf alone. */
static void test_unprivileged_reader(int dfd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		unsigned char *d;

		if (setgid(65534) || setuid(65534))
			_exit(2);
		d = mmap(NULL, BSZ, PROT_READ, MAP_SHARED, dfd, 0);
		_exit(d != MAP_FAILED && t_verify(d, BSZ, 5) < 0 ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	T_TRUE(WIFEXITED(status) && !WEXITSTATUS(status),
	       "nobody's read through the dma-buf: status 0x%x", status);
}

/*
 * The owner passes its dma-buf to this process and exits: the block
 * stays, readable through the fd (also by nobody), until the fd is closed.
 */
static void test_owner_exit(void)
{
	struct { int dfd; unsigned long phys; } msg = { -1, 0 };
	int up[2], down[2], fd, dfd, status;
	unsigned char *d;
	pid_t pid;
	char c = 0;

	if (!T_OK(pipe(up) || pipe(down) ? -errno : 0))
		return;
	pid = fork();
	if (pid == 0) {
		unsigned char *va;

		fd = t_open(0);
		if (t_alloc(fd, zone->name, "dbuf_exit", BSZ, 0, &msg.phys) ||
		    t_remap(fd, msg.phys, 0, (void **)&va))
			_exit(1);
		t_fill(va, BSZ, 5);
		if (t_export(fd, msg.phys, O_RDWR, &msg.dfd))
			_exit(1);
		if (write(up[1], &msg, sizeof(msg)) != sizeof(msg) ||
		    read(down[0], &c, 1) != 1)
			_exit(1);
		_exit(0);	/* FREE, UNMAP and close by exit */
	}
	dfd = -1;
	if (read(up[0], &msg, sizeof(msg)) == sizeof(msg))
		dfd = take_fd(pid, msg.dfd);
	T_TRUE(write(down[1], &c, 1) == 1, "pipe");
	waitpid(pid, &status, 0);
	close(up[0]);
	close(up[1]);
	close(down[0]);
	close(down[1]);
	T_TRUE(WIFEXITED(status) && !WEXITSTATUS(status), "owner failed");
	if (!T_TRUE(dfd >= 0, "no dma-buf from the owner: %s", strerror(errno)))
		return;
	T_PROC_BLOCK(msg.phys, 1);
	d = mmap(NULL, BSZ, PROT_READ, MAP_SHARED, dfd, 0);
	if (T_TRUE(d != MAP_FAILED, "mmap: %s", strerror(errno))) {
		T_OK(t_sync(dfd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ));
		T_PATTERN(d, BSZ, 5, "the owner's data is lost");
		T_OK(t_sync(dfd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ));
		test_unprivileged_reader(dfd);
		close(dfd);
		T_PROC_BLOCK(msg.phys, 1);	/* the mapping holds it */
		munmap(d, BSZ);
	} else {
		close(dfd);
	}
	T_PROC_BLOCK(msg.phys, 0);
}

static void test_refusals(int fd)
{
	unsigned long phys;
	int dfd;

	T_ERR(t_export(fd, 0x1000, O_RDWR, &dfd), ENOENT);
	T_ERR(t_export(fd, t_zone_end(zone) - T_PAGE, O_RDWR, &dfd), ENOENT);
	if (!T_OK(t_alloc(fd, zone->name, "dbuf_bad", BSZ, 0, &phys)))
		return;
	T_ERR(t_export(fd, phys, O_RDWR | O_NONBLOCK, &dfd), EINVAL);
	T_ERR(t_export(fd, phys, O_ACCMODE, &dfd), EINVAL);
	T_ERR(t_ioctl(fd, MMZ_IOC_EXPORT_DMABUF, NULL), EFAULT);
	T_OK(t_free(fd, phys));
}

int main(void)
{
	struct mmz_version v;
	int fd;

	zone = t_zone("anonymous");
	fd = t_open(0);
	if (T_OK(t_ioctl(fd, MMZ_IOC_VERSION, &v)))
		T_TRUE(v.features & MMZ_FEAT_DMABUF, "no MMZ_FEAT_DMABUF");
	test_map(fd);
	test_rdonly(fd);
	test_refusals(fd);
	test_lifetime();
	test_owner_exit();
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
