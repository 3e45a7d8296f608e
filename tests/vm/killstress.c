/* SPDX-License-Identifier: MIT */
/*
 * Process death under load: 4 stress workers (stress.h; 4 threads each,
 * peeking at each other's blocks by physical address) are SIGKILLed at
 * random moments (0..150 ms apart; a worker only once its threads have
 * begun working) and respawned, MMZ_KILLS times (default 50). Prints where
 * the killed threads were (their phase just before the signal).
 *
 * A dead process's blocks are freed when its fds are released. That runs
 * in its exit (exit_mm, then exit_files; both fputs are task work run
 * before the process becomes a zombie), so right after waitpid() no block
 * of the dead pid may be left except as a delayed free held by another
 * worker's mapping; this is checked after every kill (BLOCK_INFO walk),
 * polling at most 1 s only to tell "late" from "never".
 *
 * At the end every worker is killed and reaped: every zone must be empty,
 * /proc/media-mem must list no block and MMZ_IOC_CHECK find no violation.
 */
#include "stress.h"
#include <signal.h>

#define NWORK	4

static struct sw_board *b;
static uint64_t seed;

static pid_t spawn(int w)
{
	pid_t pid;
	int t;

	for (t = 0; t < SW_THREADS; t++) {
		b->phase[w][t] = SW_IDLE;
		b->pub[w][t].phys = 0;
	}
	__atomic_store_n(&b->begun[w], 0, __ATOMIC_RELAXED);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		_exit(sw_worker_run(b, w, NWORK, seed + (uint64_t)w, 0, true));
	if (pid < 0)
		t_fail("fork: %s", strerror(errno));
	return pid;
}

/* Blocks still owned by @pid and not waiting for another process. */
static int owned_by(int fd, pid_t pid)
{
	struct mmz_block_info bi;
	int n = 0;

	memset(&bi, 0, sizeof(bi));
	while (!t_ioctl(fd, MMZ_IOC_BLOCK_INFO, &bi)) {
		if (bi.owner_pid == pid &&
		    !(bi.flags & MMZ_BLOCK_DELAYED_FREE))
			n++;
		bi.phys += bi.size;
	}
	return n;
}

int main(void)
{
	unsigned long kills = sw_env("MMZ_KILLS", 50), k;
	unsigned long long landed[SW_NPHASES] = { 0 };
	unsigned int late = 0, late_max = 0;
	uint64_t rs;
	pid_t pid[NWORK];
	double t0 = sw_now();
	int fd, i, w, status, ms, left;

	b = sw_start(&fd);
	if (!b)
		return T_EXIT_FAIL;
	seed = sw_seed();
	rs = seed;
	printf("killstress: seed %#llx (MMZ_STRESS_SEED to repeat), %d workers "
	       "x %d threads, %lu kills\n", (unsigned long long)seed, NWORK,
	       SW_THREADS, kills);
	for (w = 0; w < NWORK; w++)
		if ((pid[w] = spawn(w)) < 0)
			return t_result();

	for (k = 0; k < kills; k++) {
		int phases[SW_THREADS];

		rs = rs * 6364136223846793005ULL + 1442695040888963407ULL;
		usleep((useconds_t)((rs >> 33) % 150000));
		w = (int)((rs >> 23) % NWORK);
		/* a worker whose threads are all at work (bounded wait) */
		for (i = 0; i < 500 && __atomic_load_n(&b->begun[w],
				__ATOMIC_RELAXED) < SW_THREADS; i++)
			usleep(2000);
		for (i = 0; i < SW_THREADS; i++)
			phases[i] = __atomic_load_n(&b->phase[w][i],
						    __ATOMIC_RELAXED);
		kill(pid[w], SIGKILL);
		if (waitpid(pid[w], &status, 0) != pid[w]) {
			t_fail("waitpid: %s", strerror(errno));
			break;
		}
		if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGKILL)
			t_fail("worker %d (pid %d) ended by itself before the "
			       "kill: status %#x", w, pid[w], status);
		for (i = 0; i < SW_THREADS; i++)
			landed[phases[i] < SW_NPHASES ? phases[i] : 0]++;

		/* reaped: its blocks are gone (or held by a peeker) */
		for (ms = 0; (left = owned_by(fd, pid[w])) && ms < 1000;
		     ms += 5)
			usleep(5000);
		if (left)
			t_fail("%d block(s) of killed pid %d left 1 s after it "
			       "was reaped", left, pid[w]);
		else if (ms) {
			late++;
			if ((unsigned int)ms > late_max)
				late_max = ms;
		}
		if ((pid[w] = spawn(w)) < 0)
			break;
	}
	for (w = 0; w < NWORK; w++) {
		if (pid[w] <= 0)
			continue;
		kill(pid[w], SIGKILL);
		if (waitpid(pid[w], &status, 0) != pid[w])
			t_fail("waitpid: %s", strerror(errno));
		else if (!WIFSIGNALED(status))
			t_fail("worker %d ended by itself: status %#x", w,
			       status);
	}

	printf("killstress: %lu kills in %.1f s; %llu cycles, %llu operations, "
	       "%llu MiB allocated; peeks %llu (%llu mapped, %llu blocks got a "
	       "peeker's type); %llu mismatches, %llu failures\n", k,
	       sw_now() - t0, b->iters, b->ops, b->bytes >> 20, b->peeks,
	       b->peeks_mapped, b->conflicts, b->mismatches, b->fails);
	printf("killstress: killed threads were in:");
	for (i = 0; i < SW_NPHASES; i++)
		if (landed[i])
			printf(" %s %llu", sw_phase_name[i], landed[i]);
	printf("\nkillstress: blocks of a reaped pid left after waitpid: %u "
	       "time(s) (longest %u ms)\n", late, late_max);
	T_EQ(k, kills);
	T_EQ(b->mismatches, 0);
	T_EQ(b->fails, 0);
	T_TRUE(late == 0, "a killed process's blocks outlived its reaping");

	ms = t_wait_reclaimed(fd, 2000);
	if (ms < 0)
		t_fail("memory left after every worker was killed and reaped");
	else if (ms)
		printf("note: blocks disappeared %d ms after the last worker "
		       "was reaped\n", ms);
	close(fd);
	return t_result();
}
