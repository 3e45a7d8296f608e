/* SPDX-License-Identifier: MIT */
/*
 * O_DIRECT file I/O between ext4 (/mnt, vm/run.sh --disk) and MMZ blocks.
 *
 * CMA mode: blocks are struct pages mapped with vm_insert_pages(), so
 * get_user_pages() works: a pattern written with O_DIRECT from block A
 * reads back with O_DIRECT into block B (cached mapping) and into block C
 * (write-combine mapping), also at 512-byte (not page) aligned buffer
 * offsets. Carve-out mode: the mapping is VM_PFNMAP and the kernel refuses
 * it with EFAULT. Both: a buffer or file offset that breaks the 512-byte
 * rule is refused with EINVAL before any page is touched.
 *
 *   file  |0 ........ 1M|   |8K: 1K at A+512|
 *   A (cached) --write--> file --read--> B (cached), C (write-combine)
 */
#include "mmztest.h"

#define BSZ	(1UL << 20)
#define FILE_PATH "/mnt/mmz-odirect.bin"

static int mnt_is_ext4(void)
{
	char *t = t_read_file("/proc/mounts");
	int ok = t && strstr(t, " /mnt ext4 ");

	free(t);
	return ok;
}

static long io(int write, int fd, void *buf, size_t len, off_t off)
{
	ssize_t r = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

	return r < 0 ? -errno : r;
}

int main(void)
{
	const struct tzone *z = t_zone("anonymous");
	int cma = t_cma_mode(), fd, ffd;
	unsigned long pa, pb, pc;
	unsigned char *a = NULL, *b = NULL, *c = NULL;
	int fsync_fd;


	if (!mnt_is_ext4()) {
		printf("skip: /mnt is not ext4 (vm/run.sh --disk)\n");
		return T_EXIT_SKIP;
	}
	fd = t_open(0);
	fsync_fd = t_open(O_SYNC);
	if (!T_OK(t_alloc(fd, z->name, "odA", BSZ, 0, &pa)) ||
	    !T_OK(t_alloc(fd, z->name, "odB", BSZ, 0, &pb)) ||
	    !T_OK(t_alloc(fd, z->name, "odC", BSZ, 0, &pc)))
		return t_result();
	if (!T_OK(t_remap(fd, pa, 1, (void **)&a)) ||
	    !T_OK(t_remap(fd, pb, 1, (void **)&b)) ||
	    !T_OK(t_mmap(fsync_fd, pc, BSZ, (void **)&c)))
		return t_result();
	t_fill(a, BSZ, 21);

	ffd = open(FILE_PATH, O_RDWR | O_CREAT | O_TRUNC | O_DIRECT | O_CLOEXEC,
		   0600);
	if (ffd < 0) {
		t_fail("open %s O_DIRECT: %s", FILE_PATH, strerror(errno));
		return t_result();
	}

	/* file data from an ordinary buffer, so that reads are not at EOF */
	{
		void *plain = NULL;

		if (posix_memalign(&plain, T_PAGE, BSZ + 16384)) {
			t_fail("posix_memalign failed");
			return t_result();
		}
		memset(plain, 0x3c, BSZ + 16384);
		T_EQ(io(1, ffd, plain, BSZ + 16384, 0), BSZ + 16384);
		free(plain);
	}

	/* the 512-byte rule, in both modes: EINVAL before any page */
	T_EQ(io(1, ffd, a + 1, 4096, 0), -EINVAL);
	T_EQ(io(1, ffd, a, 4096, 100), -EINVAL);
	T_EQ(io(1, ffd, a, 1000, 0), -EINVAL);
	T_EQ(io(0, ffd, b + 7, 4096, 0), -EINVAL);

	if (!cma) {
		/* VM_PFNMAP: get_user_pages() refuses, EFAULT */
		T_EQ(io(1, ffd, a, BSZ, 0), -EFAULT);
		T_EQ(io(0, ffd, b, 4096, 0), -EFAULT);
		printf("carve-out: O_DIRECT on an MMZ mapping fails with EFAULT, as documented\n");
		goto out;
	}

	T_EQ(io(1, ffd, a, BSZ, 0), BSZ);
	T_EQ(io(0, ffd, b, BSZ, 0), BSZ);
	T_PATTERN(b, BSZ, 21, "O_DIRECT read into block B (cached)");
	T_EQ(io(0, ffd, c, BSZ, 0), BSZ);
	T_PATTERN(c, BSZ, 21, "O_DIRECT read into block C (write-combine)");

	/* 512-byte aligned, not page aligned: buffer offset 512, 1 KiB */
	memset(b, 0, BSZ);
	T_EQ(io(1, ffd, a + 512, 1024, 8192), 1024);
	T_EQ(io(0, ffd, b + 1536, 1024, 8192), 1024);
	T_TRUE(!memcmp(a + 512, b + 1536, 1024),
	       "512-aligned O_DIRECT round trip differs");
	T_ZERO(b, 1536, "bytes before the 512-aligned read");
	printf("cma: 1 MiB O_DIRECT write from MMZ and read back into cached and write-combine blocks\n");
out:
	close(ffd);
	unlink(FILE_PATH);
	munmap(c, BSZ);
	T_OK(t_unmap(fd, pa));
	T_OK(t_unmap(fd, pb));
	T_OK(t_free(fd, pa));
	T_OK(t_free(fd, pb));
	T_OK(t_free(fd, pc));
	close(fsync_fd);
	close(fd);
	return t_result();
}
