/* SPDX-License-Identifier: MIT */
/*
 * Concurrency stress: 4 processes x 4 threads, each thread MMZ_STRESS_ITERS
 * (default 50) cycles of alloc (4 KiB..1 MiB, random zone and direction)
 * -> map (USER_REMAP, USER_REMAP_CACHED, mmap of a plain or an O_SYNC fd)
 * -> the block reads as zeros -> write a per-thread pattern ->
 * VIRT_GET_PHYS and ATTR agree -> flush -> the pattern is intact -> unmap
 * -> free (stress.h). No mismatch, no failed call; afterwards every zone
 * is empty, /proc/media-mem lists no block and MMZ_IOC_CHECK finds no
 * violation.
 */
#include "stress.h"

#define NPROC	4

int main(void)
{
	unsigned long iters = sw_env("MMZ_STRESS_ITERS", 50);
	uint64_t seed = sw_seed();
	struct sw_board *b;
	double t0 = sw_now(), secs;
	pid_t pid[NPROC];
	int fd, i, status, ms;

	b = sw_start(&fd);
	if (!b)
		return T_EXIT_FAIL;
	printf("stress: seed %#llx (MMZ_STRESS_SEED to repeat), %d processes "
	       "x %d threads x %lu cycles\n", (unsigned long long)seed, NPROC,
	       SW_THREADS, iters);
	fflush(stdout);
	for (i = 0; i < NPROC; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			t_fail("fork: %s", strerror(errno));
			return t_result();
		}
		if (pid[i] == 0) {
			close(fd);
			_exit(sw_worker_run(b, i, NPROC, seed, iters, false));
		}
	}
	for (i = 0; i < NPROC; i++) {
		if (waitpid(pid[i], &status, 0) != pid[i])
			t_fail("waitpid: %s", strerror(errno));
		else if (!WIFEXITED(status) || WEXITSTATUS(status))
			t_fail("worker %d: status %#x%s", i, status,
			       WIFSIGNALED(status) ? " (killed by a signal)" :
			       "");
	}
	secs = sw_now() - t0;
	printf("stress: %llu cycles, %llu operations, %llu MiB allocated, "
	       "%.1f s\n", b->iters, b->ops, b->bytes >> 20, secs);
	printf("stress: mapped by");
	for (i = 0; i < SW_NKINDS; i++)
		printf(" %s %llu", sw_kind_name[i], b->kinds[i]);
	printf("; %llu mismatches, %llu failures\n", b->mismatches, b->fails);
	T_EQ(b->iters, (unsigned long long)NPROC * SW_THREADS * iters);
	T_EQ(b->mismatches, 0);
	T_EQ(b->fails, 0);

	ms = t_wait_reclaimed(fd, 2000);
	if (ms < 0)
		t_fail("memory left after the workers exited");
	else if (ms)
		printf("note: blocks disappeared %d ms after the workers were "
		       "reaped\n", ms);
	close(fd);
	return t_result();
}
