/* O_DIRECT write + read-back of a file on the ext4 disk: the path later
 * mmz tests use to DMA from carve-out memory into a block device. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LEN (256 * 1024)

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/mnt/odirect.bin";
	unsigned char *wbuf, *rbuf;
	int fd, i;

	if (posix_memalign((void **)&wbuf, 4096, LEN + 4096) ||
	    posix_memalign((void **)&rbuf, 4096, LEN))
		return 1;
	for (i = 0; i < LEN; i++)
		wbuf[i] = (unsigned char)(i * 7 + 3);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR | O_DIRECT, 0600);
	if (fd < 0) {
		perror("open O_DIRECT");
		return 1;
	}
	if (pwrite(fd, wbuf, LEN, 0) != LEN) {
		perror("pwrite");
		return 1;
	}
	if (pread(fd, rbuf, LEN, 0) != LEN) {
		perror("pread");
		return 1;
	}
	if (memcmp(wbuf, rbuf, LEN)) {
		fprintf(stderr, "read-back differs\n");
		return 1;
	}
	/* a misaligned buffer is refused only when I/O really bypasses the cache */
	errno = 0;
	if (pwrite(fd, wbuf + 1, 4096, 0) != -1 || errno != EINVAL) {
		fprintf(stderr, "misaligned O_DIRECT write was not refused\n");
		return 1;
	}
	close(fd);
	printf("odirect: %d bytes written and read back\n", LEN);
	return 0;
}
