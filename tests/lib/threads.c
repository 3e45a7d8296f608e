// SPDX-License-Identifier: MIT
/*
 * Thread safety: NTHREADS threads alloc / map / touch / virt_to_phys /
 * flush / unmap / free concurrently through ONE handle (half of them through
 * the default handle, which they open lazily at the same moment), while a
 * reader thread walks zone and block information. Afterwards both zones are
 * empty.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mmz/mmz.h"
#include "mmzt.h"

#define NTHREADS	6
#define ITERS		60

static mmz_t *shared_h;
static pthread_barrier_t start;
static volatile int done;
static pthread_mutex_t report = PTHREAD_MUTEX_INITIALIZER;
static int thread_failures;

#define TFAIL(...)							\
	do {								\
		pthread_mutex_lock(&report);				\
		thread_failures++;					\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		pthread_mutex_unlock(&report);				\
	} while (0)

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	mmz_t *h = (id & 1) ? NULL : shared_h;
	unsigned int seed = (unsigned int)id * 2654435761u;
	int i;

	pthread_barrier_wait(&start);
	for (i = 0; i < ITERS; i++) {
		size_t size = (size_t)(1 + rand_r(&seed) % 64) * 4096;
		const char *zone = (rand_r(&seed) & 1) ? "second" : NULL;
		int cached = rand_r(&seed) & 1;
		unsigned char pat = (unsigned char)(id * 16 + i);
		struct mmz_buf b;
		uint64_t phys;
		int c, ret;
		void *p;

		ret = mmz_alloc_ex(h, size, 0, zone, "thr",
				   cached ? MMZ_ALLOC_F_CACHED : 0, &b);
		if (ret) {
			TFAIL("thread %d: alloc %zu: %s", id, size, mmz_strerror(ret));
			continue;
		}
		memset(b.virt, pat, size);
		ret = mmz_virt_to_phys(h, (char *)b.virt + size - 1, &phys, &c);
		if (ret || phys != b.phys + size - 1 || c != cached)
			TFAIL("thread %d: virt_to_phys: %d", id, ret);
		ret = mmz_map(h, b.phys, size, !cached, &p);
		if (ret) {
			TFAIL("thread %d: map: %s", id, mmz_strerror(ret));
		} else {
			if (((unsigned char *)p)[0] != pat ||
			    ((unsigned char *)p)[size - 1] != pat)
				TFAIL("thread %d: second mapping sees other data", id);
			if ((ret = mmz_unmap(h, p, size)))
				TFAIL("thread %d: unmap: %s", id, mmz_strerror(ret));
		}
		if ((ret = mmz_flush(h, b.phys, b.virt, size)))
			TFAIL("thread %d: flush: %s", id, mmz_strerror(ret));
		if ((ret = mmz_free(h, &b)))
			TFAIL("thread %d: free: %s", id, mmz_strerror(ret));
	}
	return NULL;
}

static void *reader(void *arg)
{
	mmz_t *h = arg;

	pthread_barrier_wait(&start);
	while (!done) {
		struct mmz_zone z;
		struct mmz_block b;
		uint64_t from = 0;
		int ret;

		if ((ret = mmz_zone_info(h, 1, &z)))
			TFAIL("reader: zone_info: %s", mmz_strerror(ret));
		while ((ret = mmz_block_info(h, from, &b)) == 0)
			from = b.phys + b.size;
		if (ret != -ENOENT)
			TFAIL("reader: block_info: %s", mmz_strerror(ret));
	}
	return NULL;
}

int main(void)
{
	pthread_t t[NTHREADS], r;
	struct mmz_zone z;
	int i, word = 0;

	/*
	 * A 32-bit process on a 64-bit kernel built without
	 * CONFIG_COMPAT_32BIT_TIME has no futex(2): glibc's threads abort.
	 */
	if (syscall(SYS_futex, &word, FUTEX_WAKE, 1, NULL, NULL, 0) < 0 &&
	    errno == ENOSYS) {
		printf("futex(2) missing: kernel without CONFIG_COMPAT_32BIT_TIME\n");
		return 77;
	}

	T_EQ(mmz_open(&shared_h), 0);
	if (!shared_h)
		return t_result("threads");
	pthread_barrier_init(&start, NULL, NTHREADS + 1);
	for (i = 0; i < NTHREADS; i++)
		T_EQ(pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i), 0);
	T_EQ(pthread_create(&r, NULL, reader, shared_h), 0);
	for (i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	done = 1;
	pthread_join(r, NULL);
	T_EQ(thread_failures, 0);
	T_EQ(mmz_zone_info(shared_h, 0, &z), 0);
	T_EQ(z.blocks, 0);
	T_EQ(mmz_zone_info(shared_h, 1, &z), 0);
	T_EQ(z.blocks, 0);
	mmz_close(NULL);
	mmz_close(shared_h);
	return t_result("threads");
}
