/* SPDX-License-Identifier: MIT */
/*
 * A process killed while it holds mapped blocks leaks nothing: a child
 * allocates three blocks, maps them (USER_REMAP, USER_REMAP_CACHED, mmap),
 * reports their addresses and waits; the parent SIGKILLs it. Afterwards
 * /proc/media-mem lists none of them and the kernel log has one
 *   mmz: MMB LEAK(pid=<pid>): phys=0x<phys> size=<bytes> name="<name>"
 * line per block.
 */
#include "mmztest.h"
#include <signal.h>
#include <sys/klog.h>

#define NBLK 3

static const unsigned long sizes[NBLK] = { 64UL << 10, 1UL << 20, 12288 };
static const char *const names[NBLK] = { "kill_uc", "kill_c", "kill_mm" };

static void child(int wfd)
{
	const struct tzone *z = t_zone("anonymous");
	unsigned long phys[NBLK];
	void *va;
	int fd = t_open(0), i;

	for (i = 0; i < NBLK; i++) {
		if (t_alloc(fd, z->name, names[i], sizes[i], 0, &phys[i]))
			_exit(2);
		if (i < 2 ? t_remap(fd, phys[i], i, &va) :
			    t_mmap(fd, phys[i], sizes[i], &va))
			_exit(3);
		t_fill(va, sizes[i], 40 + i);
	}
	if (write(wfd, phys, sizeof(phys)) != sizeof(phys))
		_exit(4);
	for (;;)
		pause();
}

/* The kernel log, NUL-terminated, malloc'd. */
static char *read_klog(void)
{
	int len = klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0);
	char *buf;

	if (len <= 0)
		len = 1 << 20;
	buf = malloc(len + 1);
	if (!buf)
		return NULL;
	len = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, len);
	if (len < 0) {
		free(buf);
		return NULL;
	}
	buf[len] = 0;
	return buf;
}

/* Number of LEAK lines for @pid naming block @i at @phys. */
static int leak_lines(const char *log, pid_t pid, int i, unsigned long phys)
{
	char key[48], name[HIL_MMB_NAME_LEN + 1];
	const char *p;
	unsigned long lphys, lsize;
	int n = 0;

	snprintf(key, sizeof(key), "MMB LEAK(pid=%d): ", (int)pid);
	for (p = log; (p = strstr(p, key)); p++) {
		if (sscanf(p + strlen(key), "phys=0x%lx size=%lu name=\"%16[^\"]\"",
			   &lphys, &lsize, name) != 3)
			continue;
		if (lphys == phys && lsize == sizes[i] && !strcmp(name, names[i]))
			n++;
	}
	return n;
}

int main(void)
{
	unsigned long phys[NBLK];
	int pfd[2], status, i, left;
	char *log;
	pid_t pid;

	close(t_open(0));	/* skip early if there is no device */
	if (pipe(pfd))
		return T_EXIT_FAIL;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return T_EXIT_FAIL;
	if (pid == 0) {
		close(pfd[0]);
		child(pfd[1]);
	}
	close(pfd[1]);
	if (read(pfd[0], phys, sizeof(phys)) != sizeof(phys)) {
		waitpid(pid, &status, 0);
		t_fail("child failed to set up its blocks: exit %d",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return t_result();
	}
	for (i = 0; i < NBLK; i++)
		T_PROC_BLOCK(phys[i], 1);

	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status) ||
	    WTERMSIG(status) != SIGKILL)
		t_fail("child did not die by SIGKILL (status 0x%x)", status);

	/* the release runs in the child's exit; allow a little slack */
	for (left = 100; left > 0 && t_proc_mmb_count() > 0; left--)
		usleep(10000);
	if (left < 100)
		fprintf(stderr, "note: blocks disappeared %d ms after the child "
			"was reaped\n", (100 - left) * 10);
	T_EQ(t_proc_mmb_count(), 0);
	for (i = 0; i < NBLK; i++)
		T_PROC_BLOCK(phys[i], 0);

	log = read_klog();
	if (!T_TRUE(log != NULL, "cannot read the kernel log: %s",
		    strerror(errno)))
		return t_result();
	for (i = 0; i < NBLK; i++) {
		int n = leak_lines(log, pid, i, phys[i]);

		T_TRUE(n == 1, "expected one line 'mmz: MMB LEAK(pid=%d): "
		       "phys=0x%lx size=%lu name=\"%s\"' in the kernel log, "
		       "found %d", (int)pid, phys[i], sizes[i], names[i], n);
	}
	if (t_failures) {
		const char *p = log;

		fprintf(stderr, "kernel log lines with \"LEAK\":\n");
		while ((p = strstr(p, "LEAK"))) {
			const char *bol = p, *eol = strchr(p, '\n');

			while (bol > log && bol[-1] != '\n')
				bol--;
			fprintf(stderr, "  %.*s\n",
				(int)(eol ? eol - bol : (long)strlen(bol)), bol);
			p = eol ? eol : p + 4;
		}
	}
	free(log);
	return t_result();
}
