// SPDX-License-Identifier: MIT
/*
 * Every libmmz call, right and wrong, against mmz.ko loaded with
 *   anonymous,0,0x30000000,96M:second,0,0x36000000,32M
 *
 *   0x30000000 +---------------------+ 0x36000000 +-----------+ 0x38000000
 *              | anonymous, 96 MiB   |            | second 32M|
 *
 * `api probe` exits 42 (tells the runner this word size runs).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmz/mmz.h"
#include "mmzt.h"

#define ANON	0x30000000ULL
#define ANON_SZ	(96ULL << 20)
#define SEC	0x36000000ULL
#define SEC_SZ	(32ULL << 20)
#define FREE_PHYS 0x35f00000ULL	/* inside anonymous, never allocated here */
#define MB	(1u << 20)

static int block_exists(mmz_t *h, uint64_t phys)
{
	struct mmz_block b;

	return mmz_block_info(h, phys, &b) == 0 && b.phys == phys;
}

static void test_open(void)
{
	mmz_t *h = (mmz_t *)1;
	char v[32];

	T_EQ(mmz_open_ex("/nonexistent/mmz", 0, &h), -ENODEV);
	T_CHECK(h == NULL, "failed open leaves *h NULL");
	T_EQ(mmz_open_ex(NULL, 0x80, &h), -EINVAL);
	T_EQ(mmz_open_ex(NULL, 0, NULL), -EINVAL);
	T_EQ(mmz_open_ex("/dev/null", 0, &h), 0);	/* any node opens ... */
	if (h) {
		struct mmz_buf b;

		/* ... but ioctls on it fail */
		T_EQ(mmz_alloc(h, 4096, 0, NULL, NULL, &b), -ENOTTY);
		mmz_close(h);
	}
	snprintf(v, sizeof(v), "%d.%d.%d", MMZ_LIB_VERSION_MAJOR,
		 MMZ_LIB_VERSION_MINOR, MMZ_LIB_VERSION_PATCH);
	T_STREQ(mmz_lib_version(), v);	/* linked statically: the header's */
}

static void test_info(mmz_t *h, mmz_t *hp)
{
	struct mmz_module_info mi;
	struct mmz_zone z, zp;
	unsigned int i;

	T_EQ(mmz_module_info(h, &mi), 0);
	T_EQ(mi.extensions, 1);
	T_EQ(mi.abi_major, 1);
	T_CHECK((mi.features & 3) == 3, "features 0x%llx lack zone/block info",
		(unsigned long long)mi.features);
	T_EQ(mmz_module_info(hp, &mi), 0);
	T_EQ(mi.extensions, 0);
	T_EQ(mmz_module_info(h, NULL), -EINVAL);

	for (i = 0; i < 2; i++) {
		T_EQ(mmz_zone_info(h, i, &z), 0);
		T_EQ(mmz_zone_info(hp, i, &zp), 0);
		T_STREQ(z.name, i ? "second" : "anonymous");
		T_EQ(z.phys, i ? SEC : ANON);
		T_EQ(z.size, i ? SEC_SZ : ANON_SZ);
		T_EQ(z.detailed, 1);
		T_EQ(zp.detailed, 0);
		T_STREQ(zp.name, z.name);
		T_EQ(zp.phys, z.phys);
		T_EQ(zp.size, z.size);
		T_EQ(zp.used, z.used);
		T_EQ(zp.blocks, z.blocks);
		T_EQ(zp.largest_free, z.largest_free);
		T_EQ(zp.free_extents, z.free_extents);
	}
	T_EQ(mmz_zone_info(h, 2, &z), -ENOENT);
	T_EQ(mmz_zone_info(hp, 2, &z), -ENOENT);
	T_EQ(mmz_zone_info(h, 0, NULL), -EINVAL);
	T_EQ(mmz_block_info(h, 0, NULL), -EINVAL);
	T_EQ(mmz_block_info(h, SEC + SEC_SZ, &(struct mmz_block){0}), -ENOENT);
}

static void test_alloc(mmz_t *h, mmz_t *hp)
{
	struct mmz_buf a, c, t;
	struct mmz_block b, bp;
	struct mmz_zone z, zp;
	uint64_t phys;
	int cached = -1;

	/* uncached in the anonymous zone */
	T_EQ(mmz_alloc(h, MB, 0, NULL, "api-a", &a), 0);
	T_CHECK(a.phys >= ANON && a.phys + MB <= ANON + ANON_SZ,
		"block 0x%llx outside anonymous", (unsigned long long)a.phys);
	T_CHECK(a.virt != NULL, "mmz_alloc maps");
	T_EQ(a.size, MB);
	T_EQ(a.cached, 0);
	if (!a.virt)
		return;
	memset(a.virt, 0x5a, MB);
	T_EQ(mmz_virt_to_phys(h, (char *)a.virt + 4097, &phys, &cached), 0);
	T_EQ(phys, a.phys + 4097);
	T_EQ(cached, 0);
	T_EQ(mmz_virt_to_phys(h, a.virt, &phys, NULL), 0);
	T_EQ(mmz_block_info(h, a.phys, &b), 0);
	T_EQ(b.phys, a.phys);
	T_EQ(b.size, MB);
	T_STREQ(b.name, "api-a");
	T_EQ(b.zone_index, 0);
	T_EQ(b.owner_pid, getpid());
	T_EQ(b.map_count, 1);
	T_EQ(b.ref_count, 0);
	T_EQ(b.detailed, 1);
	/* the /proc/media-mem fallback sees the same block, fewer details */
	T_EQ(mmz_block_info(hp, a.phys, &bp), 0);
	T_EQ(bp.phys, a.phys);
	T_EQ(bp.size, MB);
	T_STREQ(bp.name, "api-a");
	T_EQ(bp.owner_pid, -1);
	T_EQ(bp.detailed, 0);
	T_EQ(mmz_zone_info(h, 0, &z), 0);
	T_EQ(mmz_zone_info(hp, 0, &zp), 0);
	T_EQ(z.used, MB);
	T_EQ(zp.used, z.used);
	T_EQ(zp.largest_free, z.largest_free);
	T_EQ(zp.free_extents, z.free_extents);

	/* cached in zone second, flushes */
	T_EQ(mmz_alloc_cached(h, 64 << 10, 0, "second", "api-c", &c), 0);
	T_CHECK(c.phys >= SEC && c.phys < SEC + SEC_SZ, "cached block in second");
	T_EQ(c.cached, 1);
	if (c.virt) {
		memset(c.virt, 0xc3, 64 << 10);
		T_EQ(mmz_virt_to_phys(h, (char *)c.virt + 8192, &phys, &cached), 0);
		T_EQ(phys, c.phys + 8192);
		T_EQ(cached, 1);
		T_EQ(mmz_flush(h, c.phys, NULL, 0), 0);
		T_EQ(mmz_flush(h, c.phys + 4096, (char *)c.virt + 4096, 4096), 0);
		T_EQ(mmz_flush(h, c.phys, (char *)c.virt + 4096, 4096), -EINVAL);
		T_EQ(mmz_flush(h, c.phys, c.virt, (64 << 10) + 4096), -EINVAL);
		T_EQ(mmz_flush(h, c.phys, NULL, 4096), -EINVAL);
		T_EQ(mmz_flush(h, 0, NULL, 0), 0);
		T_EQ(mmz_flush(h, FREE_PHYS, NULL, 0), -ENOENT);
		T_EQ(mmz_free(h, &c), 0);
		T_CHECK(c.virt == NULL, "mmz_free clears virt");
	}

	/* refusals */
	T_EQ(mmz_alloc(h, 0, 0, NULL, NULL, &t), -EINVAL);
	T_EQ(mmz_alloc(h, 4096, 3, NULL, NULL, &t), -EINVAL);
	T_EQ(mmz_alloc(h, 4096, 0, "nope", NULL, &t), -ENOENT);
	T_EQ(mmz_alloc(h, 200 * MB, 0, NULL, NULL, &t), -ENOMEM);
	T_EQ(mmz_alloc(h, 4096, 0, NULL, "sixteen-chars-xx", &t), -ENAMETOOLONG);
	T_EQ(mmz_alloc(h, 4096, 0, "a-zone-name-of-thirty-two-chars!", NULL, &t), -ENAMETOOLONG);
	T_EQ(mmz_alloc(h, 4096, 0, NULL, NULL, NULL), -EINVAL);
	T_EQ(mmz_alloc_ex(h, 4096, 0, NULL, NULL, 0x100, &t), -EINVAL);
	T_EQ(mmz_alloc(h, (size_t)-1, 0, NULL, NULL, &t), -EINVAL);

	/* alignment, direction, no mapping, odd size */
	T_EQ(mmz_alloc_ex(h, 5000, 4 * MB, NULL, "api-al", MMZ_ALLOC_F_NOMAP, &t), 0);
	T_EQ(t.phys % (4 * MB), 0);
	T_EQ(t.size, 8192);
	T_CHECK(t.virt == NULL, "NOMAP leaves virt NULL");
	T_EQ(mmz_free(h, &t), 0);
	T_EQ(mmz_alloc_ex(h, MB, 0, "second", "api-top", MMZ_ALLOC_F_TOP_DOWN, &t), 0);
	T_EQ(t.phys, SEC + SEC_SZ - MB);
	T_EQ(mmz_free(h, &t), 0);

	/* mapping by physical address, page aligned and not */
	{
		void *p = NULL, *q = NULL;

		T_EQ(mmz_map(h, a.phys, MB, 0, &p), 0);
		if (p) {
			T_EQ(((unsigned char *)p)[MB - 1], 0x5a);
			T_EQ(mmz_virt_to_phys(h, (char *)p + 10, &phys, &cached), 0);
			T_EQ(phys, a.phys + 10);
			T_EQ(cached, 0);
			T_EQ(mmz_unmap(h, p, MB), 0);
		}
		T_EQ(mmz_map(h, a.phys + 4096 + 100, 10, 1, &q), 0);
		if (q) {
			T_EQ((uintptr_t)q % 4096, 100);
			T_EQ(*(unsigned char *)q, 0x5a);
			T_EQ(mmz_virt_to_phys(h, q, &phys, &cached), 0);
			T_EQ(phys, a.phys + 4096 + 100);
#if defined(__x86_64__) || defined(__i386__)
			/* x86: a.virt, write-combine, sets the block's type */
			T_EQ(cached, 0);
#else
			T_EQ(cached, 1);
#endif
			T_EQ(mmz_flush(h, a.phys + 4096 + 100, q, 10), 0);
			T_EQ(mmz_unmap(h, q, 10), 0);
		}
		T_EQ(mmz_map(h, FREE_PHYS, 4096, 0, &p), -EINVAL);
		T_EQ(mmz_map(h, a.phys, MB + 4096, 0, &p), -EINVAL);
		T_EQ(mmz_map(h, a.phys, 0, 0, &p), -EINVAL);
		T_EQ(mmz_map(h, a.phys, 4096, 0, NULL), -EINVAL);
		T_EQ(mmz_unmap(h, NULL, 4096), -EINVAL);
		T_EQ(mmz_virt_to_phys(h, &p, &phys, NULL), -ENOENT);
		T_EQ(mmz_virt_to_phys(h, a.virt, NULL, NULL), -EINVAL);
	}

	/* references and delayed free */
	T_EQ(mmz_ref(h, a.phys), 0);
	T_EQ(mmz_free(h, &a), -EBUSY);
	T_CHECK(a.virt == NULL, "unmapped before the free");
	T_EQ(mmz_block_info(h, a.phys, &b), 0);
	T_CHECK(b.flags & MMZ_BLK_DELAYED_FREE, "delayed free flag, flags 0x%x", b.flags);
	T_EQ(mmz_free_phys(h, a.phys), -EALREADY);
	T_EQ(mmz_ref(h, a.phys), -ENOENT);	/* pending: no new users */
	T_EQ(mmz_unref(h, a.phys), 0);
	T_CHECK(!block_exists(h, a.phys), "last unref completes the free");
	T_EQ(mmz_unref(h, a.phys), -ENOENT);
	T_EQ(mmz_ref(h, FREE_PHYS), -ENOENT);

	/* frees */
	T_EQ(mmz_free_phys(h, a.phys), -ENOENT);
	T_EQ(mmz_free(h, NULL), -EINVAL);
	if (sizeof(long) == 4)
		T_EQ(mmz_free_phys(h, 1ULL << 33), -EOVERFLOW);
	else
		T_EQ(mmz_free_phys(h, 1ULL << 33), -ENOENT);
}

static void test_handles(mmz_t *h)
{
	mmz_t *h2 = NULL;
	struct mmz_buf b, d;
	pid_t pid;
	int st;

	/* a block belongs to its handle */
	T_EQ(mmz_open(&h2), 0);
	if (!h2)
		return;
	T_EQ(mmz_alloc_ex(h2, 4096, 0, NULL, "api-h2", MMZ_ALLOC_F_NOMAP, &b), 0);
	T_EQ(mmz_free_phys(h, b.phys), -EPERM);
	/* closing the handle frees what it holds (no mapping keeps it open) */
	mmz_close(h2);
	T_CHECK(!block_exists(h, b.phys), "close frees the handle's blocks");

	/* the default handle; a child of fork() gets its own */
	T_CHECK(mmz_fd(NULL) >= 0, "default handle opens");
	T_EQ(mmz_alloc(NULL, 8192, 0, NULL, "api-def", &d), 0);
	pid = fork();
	if (pid == 0) {
		struct mmz_buf x;
		int ok = mmz_free_phys(NULL, d.phys) == -EPERM &&
			 mmz_alloc(NULL, 4096, 0, NULL, "api-child", &x) == 0 &&
			 mmz_free(NULL, &x) == 0;
		_exit(ok ? 0 : 1);
	}
	T_CHECK(pid > 0, "fork");
	if (pid > 0) {
		waitpid(pid, &st, 0);
		T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			"child: parent's default-handle block is EPERM, own alloc works");
	}
	/* sharing with a process that has its own handle */
	T_EQ(mmz_share(NULL, d.phys, getpid()), 0);	/* the owner: no-op */
	T_EQ(mmz_share(NULL, d.phys + 4096, getpid()), -ENOENT);
	T_EQ(mmz_share(NULL, d.phys, 0), -EINVAL);
	T_EQ(mmz_share(h, d.phys, getpid()), 0);	/* same process */
	pid = fork();
	if (pid == 0) {
		uint32_t v = 1;
		int ok = mmz_share(NULL, d.phys, getpid()) == -EPERM &&
			 mmz_check(NULL, &v) == 0 && v == 0;
		_exit(ok ? 0 : 1);
	}
	if (pid > 0) {
		T_EQ(mmz_share(NULL, d.phys, pid), 0);
		T_EQ(mmz_unshare(NULL, d.phys, pid), 0);
		waitpid(pid, &st, 0);
		T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
			"child: not the owner, cannot share; check finds 0 violations");
	}
	T_EQ(mmz_free(NULL, &d), 0);
	mmz_close(NULL);
	T_CHECK(!block_exists(h, d.phys), "default block freed");
}

/* mmz_export_dmabuf(): an fd that holds the block past mmz_free() */
static void test_dmabuf(mmz_t *h, mmz_t *hp)
{
	struct mmz_block bi;
	struct mmz_buf b;
	int fd;

	T_EQ(mmz_alloc(h, 16384, 0, NULL, "api-dbuf", &b), 0);
	fd = mmz_export_dmabuf(h, b.phys + 100, O_RDWR | O_CLOEXEC);
	T_CHECK(fd >= 0, "mmz_export_dmabuf gives an fd");
	T_EQ(mmz_export_dmabuf(h, b.phys, O_ACCMODE), -EINVAL);
	T_EQ(mmz_export_dmabuf(h, b.phys, -1), -EINVAL);
	T_EQ(mmz_block_info(h, b.phys, &bi), 0);
	T_CHECK(bi.flags & MMZ_BLK_EXPORTED, "block info says exported");
	T_EQ(mmz_free(h, &b), 0);
	T_CHECK(block_exists(h, b.phys), "the dma-buf holds the freed block");
	T_EQ(mmz_block_info(h, b.phys, &bi), 0);
	T_CHECK(bi.flags & MMZ_BLK_DELAYED_FREE, "... as a delayed free");
	T_EQ(mmz_export_dmabuf(h, b.phys, O_RDWR), -ENOENT);
	if (fd >= 0)
		close(fd);
	T_CHECK(!block_exists(h, b.phys), "closing the dma-buf frees it");
	/* without the extensions there is no export */
	T_EQ(mmz_export_dmabuf(hp, b.phys, O_RDWR), -EOPNOTSUPP);
}

static void test_strerror(void)
{
	T_STREQ(mmz_strerror(0), "Success");
	T_STREQ(mmz_strerror(-ENOMEM), strerror(ENOMEM));
	T_CHECK(strstr(mmz_strerror(-ENODEV), "module") != NULL, "ENODEV names the module");
	T_CHECK(mmz_strerror(-123456) != NULL, "unknown errno");
}

int main(int argc, char **argv)
{
	mmz_t *h = NULL, *hp = NULL;
	struct mmz_zone z;

	if (argc > 1 && !strcmp(argv[1], "probe"))
		return 42;
	test_open();
	test_strerror();
	T_EQ(mmz_open(&h), 0);
	T_EQ(mmz_open_ex(NULL, MMZ_OPEN_NO_EXTENSIONS, &hp), 0);
	if (!h || !hp)
		return t_result("api");
	test_info(h, hp);
	test_alloc(h, hp);
	test_handles(h);
	test_dmabuf(h, hp);
	T_EQ(mmz_zone_info(h, 0, &z), 0);
	T_EQ(z.blocks, 0);
	T_EQ(mmz_zone_info(h, 1, &z), 0);
	T_EQ(z.blocks, 0);
	mmz_close(hp);
	mmz_close(h);
	return t_result("api");
}
