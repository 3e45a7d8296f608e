// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use a block (docs/ABI.md, "Sharing model"). A block's memory may
 * be mapped, referenced and flushed by
 *  - any process holding the fd that allocated it (fork, SCM_RIGHTS),
 *  - any fd of the process that allocated it,
 *  - processes the owner named with MMZ_IOC_SHARE or generation 3's
 *    MEM_SHARE, and every process after MEM_SHARE_ALL,
 *  - a caller with CAP_SYS_RAWIO, which could read /dev/mem anyway.
 * Only the allocating fd frees it. Block metadata (ATTR, BLOCK_INFO,
 * /proc/media-mem) stays readable by every opener, as in the vendor module.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/capability.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

/* A grant is per block; this bounds the memory one owner can pin. */
#define MMZ_MAX_GRANTS	64

struct mmz_grant {
	struct list_head node;		/* in mmz_mmb.grants */
	struct pid *tgid;
};

/*
 * Generation 3's mem_handle of each block that was asked for one: a
 * number a program passes to other processes, never a kernel pointer;
 * cyclic, so a stale handle does not name the next block soon.
 */
static DEFINE_XARRAY_ALLOC1(mmz_handles);
static u32 mmz_handle_next;

/* The caller is the block's owner: its fd, or its process. */
bool mmz_is_owner(const struct mmz_file *mf, const struct mmz_mmb *mmb)
{
	return (mf && mmb->owner == mf) ||
	       (mmb->owner_tgid && mmb->owner_tgid == task_tgid(current));
}

static struct mmz_grant *mmz_grant_find(const struct mmz_mmb *mmb,
					const struct pid *tgid)
{
	struct mmz_grant *g;

	list_for_each_entry(g, &mmb->grants, node)
		if (g->tgid == tgid)
			return g;
	return NULL;
}

/**
 * mmz_may_use() - may the caller map, reference or flush @mmb?
 * @mf: the caller's fd
 * @mmb: a live block
 *
 * Return: true when allowed. Needs mmz.lock.
 */
bool mmz_may_use(const struct mmz_file *mf, const struct mmz_mmb *mmb)
{
	lockdep_assert_held(&mmz.lock);
	if (mmb->kernel_only)
		return false;
	if (mmz_is_owner(mf, mmb) || mmb->shared_all ||
	    mmz_grant_find(mmb, task_tgid(current)))
		return true;
	return capable(CAP_SYS_RAWIO);
}
MMZ_EXPORT_FOR_TEST(mmz_may_use);

/*
 * Generation 3's share check (ot_mmb_check_mem_share_with_pid()): may the
 * process with global tgid @nr use @mmb? The allocating process, a
 * sharer, or anyone after MEM_SHARE_ALL; nobody when kernel_only. Needs
 * mmz.lock.
 */
bool mmz_pid_may_use(const struct mmz_mmb *mmb, pid_t nr)
{
	struct mmz_grant *g;

	lockdep_assert_held(&mmz.lock);
	if (mmb->kernel_only)
		return false;
	if (mmb->shared_all || nr == mmb->alloc_pid)
		return true;
	list_for_each_entry(g, &mmb->grants, node)
		if (pid_nr(g->tgid) == nr)
			return true;
	return false;
}

/* The global tgids of the first @max sharers into @pids; their number. */
unsigned int mmz_grant_pids(const struct mmz_mmb *mmb, int *pids,
			    unsigned int max)
{
	struct mmz_grant *g;
	unsigned int n = 0;

	list_for_each_entry(g, &mmb->grants, node) {
		if (n == max)
			break;
		pids[n++] = pid_nr(g->tgid);
	}
	return n;
}

/* The block was allocated by the calling process through @mf. */
void mmz_access_init(struct mmz_file *mf, struct mmz_mmb *mmb)
{
	mmb->owner = mf;
	mmb->owner_pid = task_tgid_nr(current);
	mmb->owner_tgid = get_pid(task_tgid(current));
}

/* The block dies: drop what its access list holds. */
void mmz_access_release(struct mmz_mmb *mmb)
{
	struct mmz_grant *g, *tmp;

	list_for_each_entry_safe(g, tmp, &mmb->grants, node) {
		list_del(&g->node);
		put_pid(g->tgid);
		kfree(g);
	}
	put_pid(mmb->owner_tgid);
	mmb->owner_tgid = NULL;
	if (mmb->handle)
		xa_erase(&mmz_handles, mmb->handle);
	mmb->handle = 0;
}

/*
 * The live process @pid names in the caller's namespace, referenced; NULL
 * for none (also a thread id, or a process already gone).
 */
struct pid *mmz_process_get(pid_t pid)
{
	struct pid *tgid = pid > 0 ? find_get_pid(pid) : NULL;
	bool alive;

	if (!tgid)
		return NULL;
	rcu_read_lock();
	alive = pid_task(tgid, PIDTYPE_TGID) != NULL;
	rcu_read_unlock();
	if (alive)
		return tgid;
	put_pid(tgid);
	return NULL;
}

/* A grant of @tgid (the caller's reference) taken first, lock not held. */
struct mmz_grant *mmz_grant_new(struct pid *tgid)
{
	struct mmz_grant *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (g)
		g->tgid = tgid;
	return g;
}

/* A grant not added: its pid reference goes too. */
void mmz_grant_free(struct mmz_grant *g)
{
	if (g)
		put_pid(g->tgid);
	kfree(g);
}

/**
 * mmz_grant_add() - let a process use @mmb
 * @mmb: a live block
 * @g: from mmz_grant_new(); set to NULL when the block took it
 *
 * Return: 0, also when the process already may; -ENOSPC the block has
 * MMZ_MAX_GRANTS grants. Needs mmz.lock.
 */
int mmz_grant_add(struct mmz_mmb *mmb, struct mmz_grant **g)
{
	struct mmz_grant *i;
	int n = 0;

	lockdep_assert_held(&mmz.lock);
	if ((*g)->tgid == mmb->owner_tgid || mmz_grant_find(mmb, (*g)->tgid))
		return 0;
	list_for_each_entry(i, &mmb->grants, node)
		n++;
	if (n >= MMZ_MAX_GRANTS)
		return -ENOSPC;
	list_add_tail(&(*g)->node, &mmb->grants);
	*g = NULL;
	mmz_faces_sync(mmb);
	return 0;
}

/* Revoke @tgid's grant; false when it had none. Needs mmz.lock. */
bool mmz_grant_del(struct mmz_mmb *mmb, struct pid *tgid)
{
	struct mmz_grant *g;

	lockdep_assert_held(&mmz.lock);
	g = mmz_grant_find(mmb, tgid);
	if (!g)
		return false;
	list_del(&g->node);
	put_pid(g->tgid);
	kfree(g);
	mmz_faces_sync(mmb);
	return true;
}

/**
 * mmz_handle_get() - the block's mem_handle, given one on first use
 * @mmb: a live block
 *
 * Return: 0 with @mmb->handle set, or -ENOMEM/-EBUSY. Needs mmz.lock.
 */
int mmz_handle_get(struct mmz_mmb *mmb)
{
	u32 id;
	int ret;

	lockdep_assert_held(&mmz.lock);
	if (mmb->handle)
		return 0;
	/* ILP32 programs hold the handle in a 4-byte pointer */
	ret = xa_alloc_cyclic(&mmz_handles, &id, mmb, XA_LIMIT(1, INT_MAX),
			      &mmz_handle_next, GFP_KERNEL);
	if (ret < 0)
		return ret;
	mmb->handle = id;
	return 0;
}

/* The live block @handle names, or NULL. Needs mmz.lock. */
struct mmz_mmb *mmz_handle_find(u64 handle)
{
	struct mmz_mmb *mmb;

	lockdep_assert_held(&mmz.lock);
	if (!handle || handle > INT_MAX)
		return NULL;
	mmb = xa_load(&mmz_handles, handle);
	return mmb && !mmb->delayed_free ? mmb : NULL;
}

/* Module exit, after every block is gone. */
void mmz_handle_table_destroy(void)
{
	WARN_ON(!xa_empty(&mmz_handles));
	xa_destroy(&mmz_handles);
}

/**
 * mmz_ext_share() - MMZ_IOC_SHARE: grant or revoke a process's access
 * @mf: the caller's fd
 * @sh: block start, target pid (a process, in the caller's namespace)
 *
 * Return: 0; -EINVAL bad flags or pid; -ESRCH no such process; -ENOENT no
 * live block at @sh->phys; -EPERM the caller does not own the block;
 * -ENOSPC the block has MMZ_MAX_GRANTS grants; -ENOMEM.
 */
int mmz_ext_share(struct mmz_file *mf, const struct mmz_share *sh)
{
	struct mmz_grant *new = NULL;
	struct mmz_mmb *mmb;
	struct pid *tgid;
	int ret = 0;

	if (sh->flags & ~MMZ_SHARE_REVOKE || sh->pid <= 0)
		return -EINVAL;
	tgid = mmz_process_get(sh->pid);
	if (!tgid)
		return -ESRCH;
	if (!(sh->flags & MMZ_SHARE_REVOKE)) {
		new = mmz_grant_new(tgid);
		if (!new) {
			put_pid(tgid);
			return -ENOMEM;
		}
		tgid = NULL;	/* the grant holds it */
	}

	mutex_lock(&mmz.lock);
	mmb = (phys_addr_t)sh->phys == sh->phys ? mmz_block_find(sh->phys) :
		NULL;
	if (!mmb || mmb->delayed_free)
		ret = -ENOENT;
	else if (!mmz_is_owner(mf, mmb))
		ret = -EPERM;
	else if (sh->flags & MMZ_SHARE_REVOKE)
		mmz_grant_del(mmb, tgid);
	else
		ret = mmz_grant_add(mmb, &new);
	mutex_unlock(&mmz.lock);
	mmz_grant_free(new);
	put_pid(tgid);
	return ret;
}
