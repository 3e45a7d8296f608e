/* SPDX-License-Identifier: MIT */
/*
 * Generation 3's 's' commands (ot_mpi_sys_mem_share() and friends), with
 * struct mmb_share_info written from the vendor header's layout (unsigned
 * long, two pointers, unsigned long, int; no aligned(8)), not from mmz's:
 * 40 bytes LP64, 20 ILP32 (the -32 build runs it through compat_ioctl).
 *
 *  - VIRT/PHYS/HANDLE_GET_SYS_MEM give the block's start, the offset and
 *    one handle per block, not a kernel pointer; EINVAL for an address or
 *    handle that names no block, also a handle of a freed block;
 *  - a process without the share (nobody: root may use every block)
 *    gets EPERM from PHYS/HANDLE_GET_SYS_MEM and cannot map the block;
 *    MEM_SHARE gives it both, MEM_UNSHARE (by the owner or by the sharer
 *    itself) takes them back; MEM_SHARE_ALL opens the block to all;
 *  - only the allocating process changes the sharing, and the vendor's
 *    EPERM cases stay EPERM: sharing with the owner, unsharing what is not
 *    shared, sharing a block shared with all.
 */
#include "mmztest.h"

#include <stddef.h>

struct v_share_info {
	unsigned long phys_addr;
	void *virt_addr;
	void *mem_handle;
	unsigned long offset;
	int shared_pid;
};

#define W	sizeof(long)
_Static_assert(sizeof(struct v_share_info) == (W == 8 ? 40 : 20), "size");
_Static_assert(offsetof(struct v_share_info, virt_addr) == W, "virt");
_Static_assert(offsetof(struct v_share_info, mem_handle) == 2 * W, "handle");
_Static_assert(offsetof(struct v_share_info, offset) == 3 * W, "offset");
_Static_assert(offsetof(struct v_share_info, shared_pid) == 4 * W, "pid");

#define V_SHARE		_IOW('s', 40, struct v_share_info)
#define V_UNSHARE	_IOW('s', 41, struct v_share_info)
#define V_SHARE_ALL	_IOW('s', 42, struct v_share_info)
#define V_UNSHARE_ALL	_IOW('s', 43, struct v_share_info)
#define V_VIRT_GET	_IOWR('s', 44, struct v_share_info)
#define V_PHYS_GET	_IOWR('s', 45, struct v_share_info)
#define V_HANDLE_GET	_IOWR('s', 46, struct v_share_info)

#define BSZ		(64UL << 10)
#define SEED		53u

static unsigned long blk;		/* root's block */
static void *handle;			/* its mem_handle */

static int share_cmd(int fd, unsigned long cmd, void *h, int pid)
{
	struct v_share_info si = { .mem_handle = h, .shared_pid = pid };

	return t_ioctl(fd, cmd, &si);
}

/* A GET_SYS_MEM call; on success checks the results against @blk. */
static int get_sys_mem(int fd, unsigned long cmd, struct v_share_info *si,
		       unsigned long want_off)
{
	struct v_share_info in = *si;
	int r = t_ioctl(fd, cmd, si);

	if (r)
		return r;
	T_EQ(si->phys_addr, blk);
	T_EQ(si->offset, want_off);
	T_TRUE(si->mem_handle != NULL, "no handle");
	/* the fields that are not results come back as sent */
	T_PTR_EQ(si->virt_addr, in.virt_addr);
	T_EQ(si->shared_pid, in.shared_pid);
	return 0;
}

static void test_get_sys_mem(int fd, char *va)
{
	struct v_share_info si = { .virt_addr = va + 5000, .shared_pid = 77 };
	unsigned long other;
	void *h2;

	if (!T_OK(get_sys_mem(fd, V_VIRT_GET, &si, 5000)))
		return;
	handle = si.mem_handle;
	/* a number (ILP32 programs keep it in a 4-byte pointer), no address */
	T_TRUE((uintptr_t)handle <= 0x7fffffff, "handle %p", handle);

	memset(&si, 0, sizeof(si));
	si.phys_addr = blk + 100;
	if (T_OK(get_sys_mem(fd, V_PHYS_GET, &si, 100)))
		T_PTR_EQ(si.mem_handle, handle);
	memset(&si, 0, sizeof(si));
	si.mem_handle = handle;
	si.phys_addr = 12345;
	if (T_OK(get_sys_mem(fd, V_HANDLE_GET, &si, 0)))
		T_PTR_EQ(si.mem_handle, handle);

	/* nothing there: EINVAL, as the vendor */
	memset(&si, 0, sizeof(si));
	si.virt_addr = &si;			/* not an mmz mapping */
	T_ERR(t_ioctl(fd, V_VIRT_GET, &si), EINVAL);
	si.virt_addr = va + 5001;		/* not 4-byte aligned */
	T_ERR(t_ioctl(fd, V_VIRT_GET, &si), EINVAL);
	si.phys_addr = t_zone_end(t_zone_at(0)) - T_PAGE;
	T_ERR(t_ioctl(fd, V_PHYS_GET, &si), EINVAL);
	si.mem_handle = (void *)(uintptr_t)0x7ffffff0;
	T_ERR(t_ioctl(fd, V_HANDLE_GET, &si), EINVAL);
	si.mem_handle = NULL;
	T_ERR(t_ioctl(fd, V_HANDLE_GET, &si), EINVAL);
	T_ERR(share_cmd(fd, V_SHARE, (void *)(uintptr_t)0x7ffffff0, 1),
	      EINVAL);
	T_ERR(share_cmd(fd, V_SHARE_ALL, NULL, 0), EINVAL);

	/* another block, another handle; a freed block's handle is stale */
	if (!T_OK(t_alloc(fd, t_zone_at(0)->name, "other", T_PAGE, 0,
			    &other)))
		return;
	memset(&si, 0, sizeof(si));
	si.phys_addr = other;
	if (T_OK(t_ioctl(fd, V_PHYS_GET, &si))) {
		T_EQ(si.phys_addr, other);
		T_TRUE(si.mem_handle != handle, "two blocks, one handle");
	}
	h2 = si.mem_handle;
	T_OK(t_free(fd, other));
	memset(&si, 0, sizeof(si));
	si.mem_handle = h2;
	T_ERR(t_ioctl(fd, V_HANDLE_GET, &si), EINVAL);
	T_ERR(share_cmd(fd, V_SHARE_ALL, h2, 0), EINVAL);

	/* _IOW commands leave the struct alone */
	memset(&si, 0, sizeof(si));
	si.mem_handle = handle;
	si.phys_addr = 1;
	si.offset = 2;
	T_OK(t_ioctl(fd, V_UNSHARE_ALL, &si));
	T_EQ(si.phys_addr, 1);
	T_EQ(si.offset, 2);
}

/*
 * The steps: the parent acts, then the child (nobody) checks whether it
 * may use the block (@want: 0 or EPERM) and what it may change.
 */
enum step {
	S_NONE,		/* not shared: EPERM, no mapping */
	S_SHARED,	/* MEM_SHARE to the child */
	S_SELF_UNSHARED,/* the child ended it itself */
	S_OWNER_UNSHARED,
	S_ALL,		/* MEM_SHARE_ALL */
	S_ALL_ENDED,	/* MEM_UNSHARE_ALL */
	S_COUNT
};

static void child_check(int fd, enum step s)
{
	int want = (s == S_SHARED || s == S_ALL) ? 0 : -EPERM;
	struct v_share_info si;
	void *va = NULL;
	int r;

	memset(&si, 0, sizeof(si));
	si.mem_handle = handle;
	r = get_sys_mem(fd, V_HANDLE_GET, &si, 0);
	T_TRUE(r == want, "step %d: HANDLE_GET_SYS_MEM %s, expected %s", s,
	       t_errname(r), t_errname(want));
	memset(&si, 0, sizeof(si));
	si.phys_addr = blk + T_PAGE;
	r = get_sys_mem(fd, V_PHYS_GET, &si, T_PAGE);
	T_TRUE(r == want, "step %d: PHYS_GET_SYS_MEM %s, expected %s", s,
	       t_errname(r), t_errname(want));
	r = t_mmap(fd, blk, BSZ, &va);
	if (!want) {
		if (T_OK(r)) {
			T_PATTERN(va, BSZ, SEED, "shared block");
			munmap(va, BSZ);
		}
	} else {
		T_TRUE(r != 0, "step %d: mapped a block not shared", s);
		if (!r)
			munmap(va, BSZ);
	}
	/* a sharer changes nothing but its own share */
	T_ERR(share_cmd(fd, V_SHARE, handle, getpid()), EPERM);
	T_ERR(share_cmd(fd, V_SHARE_ALL, handle, 0),
	      s == S_ALL ? 0 : EPERM);
	T_ERR(share_cmd(fd, V_UNSHARE_ALL, handle, 0),
	      s == S_ALL ? EPERM : 0);
	if (s == S_SHARED)
		T_OK(share_cmd(fd, V_UNSHARE, handle, getpid()));
	else
		T_ERR(share_cmd(fd, V_UNSHARE, handle, getpid()), EPERM);
}

struct pipes {
	int go[2];	/* parent -> child: step done */
	int done[2];	/* child -> parent: checked */
};

static int child(struct pipes *p)
{
	int fd, s;

	close(p->go[1]);
	close(p->done[0]);
	if (t_drop_root())
		return t_result();
	fd = t_open(0);
	for (s = 0; s < S_COUNT; s++) {
		t_wait_byte(p->go[0]);
		child_check(fd, s);
		t_send_byte(p->done[1]);
	}
	close(fd);
	return t_result();
}

static void parent_step(int fd, enum step s, pid_t kid)
{
	switch (s) {
	case S_NONE:
		break;
	case S_SHARED:
		T_OK(share_cmd(fd, V_SHARE, handle, kid));
		T_OK(share_cmd(fd, V_SHARE, handle, kid));	/* once is kept */
		break;
	case S_SELF_UNSHARED:	/* the child unshared in S_SHARED */
		T_ERR(share_cmd(fd, V_UNSHARE, handle, kid), EPERM);
		break;
	case S_OWNER_UNSHARED:
		T_OK(share_cmd(fd, V_SHARE, handle, kid));
		T_OK(share_cmd(fd, V_UNSHARE, handle, kid));
		T_ERR(share_cmd(fd, V_UNSHARE, handle, kid), EPERM);
		break;
	case S_ALL:
		T_OK(share_cmd(fd, V_SHARE_ALL, handle, 0));
		T_OK(share_cmd(fd, V_SHARE_ALL, handle, 0));
		/* shared with all: no single shares */
		T_ERR(share_cmd(fd, V_SHARE, handle, kid), EPERM);
		T_ERR(share_cmd(fd, V_UNSHARE, handle, kid), EPERM);
		break;
	case S_ALL_ENDED:
		T_OK(share_cmd(fd, V_UNSHARE_ALL, handle, 0));
		T_OK(share_cmd(fd, V_UNSHARE_ALL, handle, 0));
		break;
	default:
		break;
	}
}

static void test_share(int fd)
{
	struct pipes p;
	pid_t kid, dead;
	int s;

	/* the owner is never a sharer */
	T_ERR(share_cmd(fd, V_SHARE, handle, getpid()), EPERM);
	T_ERR(share_cmd(fd, V_UNSHARE, handle, getpid()), EPERM);
	/* a pid with no process: accepted, changes nothing */
	dead = fork();
	if (dead == 0)
		_exit(0);
	t_reap(dead);
	T_OK(share_cmd(fd, V_SHARE, handle, dead));
	T_ERR(share_cmd(fd, V_UNSHARE, handle, dead), EPERM);

	if (pipe(p.go) || pipe(p.done)) {
		t_fail("pipe: %s", strerror(errno));
		return;
	}
	fflush(NULL);
	kid = fork();
	if (kid == 0) {
		t_failures = 0;
		_exit(child(&p));
	}
	close(p.go[0]);
	close(p.done[1]);
	for (s = 0; s < S_COUNT; s++) {
		parent_step(fd, s, kid);
		t_send_byte(p.go[1]);
		t_wait_byte(p.done[0]);
	}
	close(p.go[1]);
	close(p.done[0]);
	T_EQ(t_reap(kid), 0);
}

int main(void)
{
	char *va = NULL;
	int fd, mode;

	if (geteuid() != 0) {
		puts("needs root (to create unprivileged processes)");
		return T_EXIT_SKIP;
	}
	fd = t_open(0);
	mode = t_dev_open_to_all();
	if (mode < 0)
		return t_result();
	if (T_OK(t_alloc(fd, t_zone_at(0)->name, "shared", BSZ, 0, &blk)) &&
	    T_OK(t_mmap(fd, blk, BSZ, (void **)&va))) {
		t_fill(va, BSZ, SEED);
		test_get_sys_mem(fd, va);
		if (handle)
			test_share(fd);
		munmap(va, BSZ);
		T_OK(t_free(fd, blk));
		/* the block is gone: so is its handle */
		T_ERR(share_cmd(fd, V_SHARE_ALL, handle, 0), EINVAL);
	}
	t_dev_restore(mode);
	close(fd);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
