/* SPDX-License-Identifier: MIT */
/*
 * The sharing model (docs/ABI.md): a block's memory is for the fd that
 * allocated it, the process that allocated it, processes the owner named
 * with MMZ_IOC_SHARE, and CAP_SYS_RAWIO. Everyone else gets EACCES for
 * mmap/REMAP/ADD_REF/flush and EPERM for FREE; metadata stays readable.
 *
 * Unprivileged processes are forked children that drop to nobody (uid and
 * gid 65534, no capabilities). The device node is opened to them for the
 * run (mode 0666), as an administrator would with a udev rule.
 */
#include "mmztest.h"

#include <pthread.h>
#include <sys/syscall.h>

#define BSZ		(64UL << 10)
#define SEED_ROOT	31u
#define SEED_USER	32u

static unsigned long root_phys;		/* block of the root owner */

static int t_share(int fd, unsigned long phys, pid_t pid, unsigned int flags)
{
	struct mmz_share sh = { .phys = phys, .pid = pid, .flags = flags };

	return t_ioctl(fd, MMZ_IOC_SHARE, &sh);
}

static int t_mmap_err(int fd, unsigned long phys, size_t len)
{
	void *va = NULL;
	int ret = t_mmap(fd, phys, len, &va);

	if (!ret)
		munmap(va, len);
	return ret;
}

/* Everything a process without a grant must be refused. */
static void refused(int fd, unsigned long phys, const char *who)
{
	struct mmb_info mi;
	void *va = NULL;

	if (!T_ERR(t_mmap_err(fd, phys, BSZ), EACCES))
		fprintf(stderr, "  (%s: mmap of a foreign block)\n", who);
	T_ERR(t_mmap_err(fd, phys + T_PAGE, T_PAGE), EACCES);
	T_ERR(t_remap(fd, phys, 0, &va), EACCES);
	T_ERR(t_remap(fd, phys, 1, &va), EACCES);
	T_ERR(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys), EACCES);
	T_ERR(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, phys), EACCES);
	t_info(&mi, NULL, NULL, 0, 0);
	mi.phys_addr = phys;
	T_ERR(t_ioctl(fd, IOC_MMB_TEST_CACHE, &mi), EACCES);
	T_ERR(t_free(fd, phys), EPERM);
	T_ERR(t_share(fd, phys, getpid(), 0), EPERM);
	/* metadata is public, like /proc/media-mem */
	if (T_OK(t_attr(fd, phys, &mi)))
		T_EQ(mi.size, BSZ);
}

/* An unprivileged stranger: nothing of root's block, nothing outside. */
static int stranger(void *arg)
{
	const struct tzone *z = arg;
	struct mmz_check ck;
	unsigned long mine;
	char *va = NULL;
	int fd;

	if (t_drop_root())
		return t_result();
	fd = t_open(0);
	refused(fd, root_phys, "stranger");
	T_ERR(t_ioctl(fd, MMZ_IOC_CHECK, &ck), EPERM);

	/* physical memory outside blocks and map_mmz= ranges */
	T_ERR(t_mmap_err(fd, t_zone_end(z) - T_PAGE, T_PAGE), EINVAL);
	T_ERR(t_mmap_err(fd, 0x100000, T_PAGE), EINVAL);
	T_ERR(t_mmap_err(fd, 0, T_PAGE), EINVAL);

	/* its own block is its own */
	if (T_OK(t_alloc(fd, z->name, "nobody", BSZ, 0, &mine))) {
		if (T_OK(t_mmap(fd, mine, BSZ, (void **)&va))) {
			t_fill(va, BSZ, SEED_USER);
			T_PATTERN(va, BSZ, SEED_USER, "own block");
			munmap(va, BSZ);
		}
		T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, mine));
		T_OK(t_free(fd, mine));
	}
	close(fd);
	return t_result();
}

struct grant_pipes {
	int to_child[2];
	int to_parent[2];
};

/* A process the owner shares with, then revokes. */
static int grantee(struct grant_pipes *p)
{
	char *va = NULL, *keep = NULL;
	void *rm = NULL, *held = NULL;
	int fd;

	if (t_drop_root())
		return t_result();
	fd = t_open(0);
	t_send_byte(p->to_parent[1]);		/* ready */
	t_wait_byte(p->to_child[0]);		/* granted */

	if (T_OK(t_mmap(fd, root_phys, BSZ, (void **)&keep)))
		T_PATTERN(keep, BSZ, SEED_ROOT, "granted mmap");
	if (T_OK(t_remap(fd, root_phys, 1, &rm))) {
		T_PATTERN(rm, BSZ, SEED_ROOT, "granted REMAP_CACHED");
		T_OK(t_unmap(fd, root_phys));
	}
	T_OK(t_remap(fd, root_phys, 1, &held));	/* held across the revoke */
	if (T_OK(t_ioctl_val(fd, IOC_MMB_ADD_REF, root_phys)))
		T_OK(t_ioctl_val(fd, IOC_MMB_DEC_REF, root_phys));
	T_OK(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, root_phys));
	/* a grant is for use: freeing and re-sharing stay the owner's */
	T_ERR(t_free(fd, root_phys), EPERM);
	T_ERR(t_share(fd, root_phys, getppid(), 0), EPERM);
	t_send_byte(p->to_parent[1]);		/* checked */
	t_wait_byte(p->to_child[0]);		/* revoked */

	T_ERR(t_mmap_err(fd, root_phys, BSZ), EACCES);
	T_ERR(t_remap(fd, root_phys, 0, (void **)&va), EACCES);
	/* a mapping made while granted stays valid */
	if (keep) {
		T_PATTERN(keep, BSZ, SEED_ROOT, "mapping kept after revoke");
		munmap(keep, BSZ);
	}
	/* no new REMAP count on the REMAP it still holds; UNMAP works */
	if (held) {
		T_ERR(t_remap(fd, root_phys, 1, &rm), EACCES);
		T_PATTERN(held, BSZ, SEED_ROOT, "REMAP kept after revoke");
		T_OK(t_unmap(fd, root_phys));
	}
	close(fd);
	return t_result();
}

static void test_grant(int fd)
{
	struct grant_pipes p;
	pid_t pid;
	int st;

	if (pipe(p.to_child) || pipe(p.to_parent)) {
		t_fail("pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		t_failures = 0;
		close(p.to_child[1]);
		close(p.to_parent[0]);
		_exit(grantee(&p));
	}
	close(p.to_child[0]);
	close(p.to_parent[1]);
	t_wait_byte(p.to_parent[0]);
	T_OK(t_share(fd, root_phys, pid, 0));
	T_OK(t_share(fd, root_phys, pid, 0));	/* idempotent */
	t_send_byte(p.to_child[1]);
	t_wait_byte(p.to_parent[0]);
	T_OK(t_share(fd, root_phys, pid, MMZ_SHARE_REVOKE));
	t_send_byte(p.to_child[1]);
	close(p.to_child[1]);
	close(p.to_parent[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		t_fail("grantee: expected exit 0, status 0x%x", st);
}

struct owner_ctx {
	const struct tzone *z;
	int to_root;		/* the block's phys goes here */
	int from_root;		/* root has looked at it */
};

static int fd_holder(void *arg)
{
	int fd = *(int *)arg;
	void *va = NULL;

	/* the owner's fd, inherited: the block is ours too */
	if (T_OK(t_mmap(fd, root_phys, BSZ, &va))) {
		T_PATTERN(va, BSZ, SEED_USER, "inherited fd");
		munmap(va, BSZ);
	}
	return t_result();
}

static int other_nobody(void *arg)
{
	int fd = t_open(0);

	(void)arg;
	/* same uid, another process, its own fd: not given the block */
	refused(fd, root_phys, "same uid, other process");
	close(fd);
	return t_result();
}

/* An unprivileged owner: its fds and its fd's holders, and root. */
static int nobody_owner(void *arg)
{
	struct owner_ctx *c = arg;
	unsigned long phys;
	char *va = NULL;
	int fd, fd2;

	if (t_drop_root())
		return t_result();
	fd = t_open(0);
	if (!T_OK(t_alloc(fd, c->z->name, "owned", BSZ, 0, &phys)))
		return t_result();
	if (T_OK(t_mmap(fd, phys, BSZ, (void **)&va))) {
		t_fill(va, BSZ, SEED_USER);
		munmap(va, BSZ);
	}
	root_phys = phys;	/* the children look at this block */
	T_CHILD(fd_holder, &fd);
	T_CHILD(other_nobody, NULL);

	/* another fd of the owning process */
	fd2 = t_open(O_SYNC);
	if (T_OK(t_mmap(fd2, phys, BSZ, (void **)&va))) {
		T_PATTERN(va, BSZ, SEED_USER, "second fd of the owner");
		munmap(va, BSZ);
	}
	close(fd2);

	/* root may map it (CAP_SYS_RAWIO) */
	if (write(c->to_root, &phys, sizeof(phys)) != sizeof(phys))
		t_fail("pipe write: %s", strerror(errno));
	t_wait_byte(c->from_root);
	T_OK(t_free(fd, phys));
	close(fd);
	return t_result();
}

static void test_nobody_owner(int fd, const struct tzone *z)
{
	int up[2], down[2];
	struct owner_ctx c = { .z = z };
	unsigned long phys = 0;
	void *va = NULL;
	pid_t pid;
	int st;

	if (pipe(up) || pipe(down)) {
		t_fail("pipe: %s", strerror(errno));
		return;
	}
	c.to_root = up[1];
	c.from_root = down[0];
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		t_failures = 0;
		_exit(nobody_owner(&c));
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &phys, sizeof(phys)) == sizeof(phys) &&
	    T_OK(t_mmap(fd, phys, BSZ, &va))) {
		T_PATTERN(va, BSZ, SEED_USER, "root maps a nobody's block");
		munmap(va, BSZ);
	}
	t_send_byte(down[1]);
	close(down[1]);
	close(up[0]);
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		t_fail("nobody owner: expected exit 0, status 0x%x", st);
}

/* p[0]: read end of the release pipe, p[1]: write end for the tid */
static void *idle_thread(void *arg)
{
	int *p = arg;
	pid_t tid = (pid_t)syscall(SYS_gettid);

	if (write(p[1], &tid, sizeof(tid)) != sizeof(tid))
		return NULL;
	t_wait_byte(p[0]);
	return NULL;
}

#define MAX_GRANTS	64	/* kernel/mmz_access.c */

static void test_share_errors(int fd)
{
	int gate[2], rel[2], tidp[2];
	pid_t kids[MAX_GRANTS + 1], dead;
	pthread_t th;
	int i, st;

	T_ERR(t_share(fd, root_phys, getpid(), 2), EINVAL);
	T_ERR(t_share(fd, root_phys, 0, 0), EINVAL);
	T_ERR(t_share(fd, root_phys, -1, 0), EINVAL);
	T_ERR(t_share(fd, root_phys, 0x3fffffff, 0), ESRCH);
	T_ERR(t_share(fd, root_phys + T_PAGE, getpid(), 0), ENOENT);
	T_ERR(t_share(fd, ~0UL, getpid(), 0), ENOENT);
	T_OK(t_share(fd, root_phys, getpid(), 0));	/* the owner: no-op */
	T_OK(t_share(fd, root_phys, getpid(), MMZ_SHARE_REVOKE));

	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, &st, 0);
	T_ERR(t_share(fd, root_phys, dead, 0), ESRCH);

	/* a thread id names no process */
	if (pipe(rel) == 0 && pipe(tidp) == 0) {
		int tp[2] = { rel[0], tidp[1] };
		pid_t tid;

		if (pthread_create(&th, NULL, idle_thread, tp) == 0) {
			if (read(tidp[0], &tid, sizeof(tid)) == sizeof(tid))
				T_ERR(t_share(fd, root_phys, tid, 0), ESRCH);
			t_send_byte(rel[1]);
			pthread_join(th, NULL);
		}
		close(rel[0]);
		close(rel[1]);
		close(tidp[0]);
		close(tidp[1]);
	}

	/* at most MAX_GRANTS processes per block */
	if (pipe(gate)) {
		t_fail("pipe: %s", strerror(errno));
		return;
	}
	for (i = 0; i <= MAX_GRANTS; i++) {
		kids[i] = fork();
		if (kids[i] == 0) {
			close(gate[1]);
			t_wait_byte(gate[0]);
			_exit(0);
		}
	}
	close(gate[0]);
	for (i = 0; i < MAX_GRANTS; i++)
		T_OK(t_share(fd, root_phys, kids[i], 0));
	T_ERR(t_share(fd, root_phys, kids[MAX_GRANTS], 0), ENOSPC);
	T_OK(t_share(fd, root_phys, kids[0], MMZ_SHARE_REVOKE));
	T_OK(t_share(fd, root_phys, kids[0], MMZ_SHARE_REVOKE));
	T_OK(t_share(fd, root_phys, kids[MAX_GRANTS], 0));
	close(gate[1]);
	for (i = 0; i <= MAX_GRANTS; i++)
		waitpid(kids[i], &st, 0);
}

/* Root that is not the owner may map, but neither frees nor shares. */
static int root_other(void *arg)
{
	int fd = t_open(0);
	void *va = NULL;

	(void)arg;
	if (T_OK(t_mmap(fd, root_phys, BSZ, &va))) {
		T_PATTERN(va, BSZ, SEED_ROOT, "root, other process");
		munmap(va, BSZ);
	}
	T_ERR(t_free(fd, root_phys), EPERM);
	T_ERR(t_share(fd, root_phys, getpid(), 0), EPERM);
	close(fd);
	return t_result();
}

int main(void)
{
	const struct tzone *z;
	struct mmz_version v;
	struct mmz_check ck;
	char *va = NULL;
	int fd, mode;

	if (geteuid() != 0) {
		puts("needs root (to create unprivileged processes)");
		return T_EXIT_SKIP;
	}
	z = t_zone_at(0);
	fd = t_open(0);
	if (T_OK(t_ioctl(fd, MMZ_IOC_VERSION, &v))) {
		T_TRUE(v.abi_major == 1 && v.abi_minor >= 1, "ABI %u.%u",
		       v.abi_major, v.abi_minor);
		T_TRUE((v.features & (MMZ_FEAT_SHARE | MMZ_FEAT_CHECK)) ==
		       (MMZ_FEAT_SHARE | MMZ_FEAT_CHECK),
		       "features 0x%llx lack SHARE|CHECK",
		       (unsigned long long)v.features);
	}
	mode = t_dev_open_to_all();
	if (mode < 0)
		return t_result();

	if (T_OK(t_alloc(fd, z->name, "rootblk", BSZ, 0, &root_phys)) &&
	    T_OK(t_mmap(fd, root_phys, BSZ, (void **)&va))) {
		t_fill(va, BSZ, SEED_ROOT);
		T_CHILD(stranger, (void *)z);
		test_grant(fd);
		T_CHILD(root_other, NULL);
		test_share_errors(fd);
		munmap(va, BSZ);
		T_OK(t_free(fd, root_phys));
	}
	test_nobody_owner(fd, z);

	if (T_OK(t_ioctl(fd, MMZ_IOC_CHECK, &ck)))
		T_EQ(ck.violations, 0);
	T_EQ(t_proc_mmb_count(), 0);
	t_dev_restore(mode);
	close(fd);
	return t_result();
}
