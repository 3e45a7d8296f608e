// SPDX-License-Identifier: GPL-2.0
/*
 * Who may use a block (docs/ABI.md, "Sharing model"). A block's memory may
 * be mapped, referenced and flushed by
 *  - any process holding the fd that allocated it (fork, SCM_RIGHTS),
 *  - any fd of the process that allocated it,
 *  - processes the owner named with MMZ_IOC_SHARE,
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

#include "mmz_priv.h"

/* A grant is per block; this bounds the memory one owner can pin. */
#define MMZ_MAX_GRANTS	64

struct mmz_grant {
	struct list_head node;		/* in mmz_mmb.grants */
	struct pid *tgid;
};

static bool mmz_is_owner(const struct mmz_file *mf, const struct mmz_mmb *mmb)
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
	if (mmz_is_owner(mf, mmb) || mmz_grant_find(mmb, task_tgid(current)))
		return true;
	return capable(CAP_SYS_RAWIO);
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
	struct mmz_grant *g, *new = NULL;
	struct mmz_mmb *mmb;
	struct pid *tgid;
	bool alive;
	int ret = 0, n = 0;

	if (sh->flags & ~MMZ_SHARE_REVOKE || sh->pid <= 0)
		return -EINVAL;
	tgid = find_get_pid(sh->pid);
	if (!tgid)
		return -ESRCH;
	rcu_read_lock();
	alive = pid_task(tgid, PIDTYPE_TGID) != NULL;
	rcu_read_unlock();
	if (!alive) {
		put_pid(tgid);	/* a thread id, or a process already gone */
		return -ESRCH;
	}
	if (!(sh->flags & MMZ_SHARE_REVOKE)) {
		new = kzalloc(sizeof(*new), GFP_KERNEL);
		if (!new) {
			put_pid(tgid);
			return -ENOMEM;
		}
	}

	mutex_lock(&mmz.lock);
	mmb = (phys_addr_t)sh->phys == sh->phys ? mmz_block_find(sh->phys) :
		NULL;
	if (!mmb || mmb->delayed_free) {
		ret = -ENOENT;
		goto out;
	}
	if (!mmz_is_owner(mf, mmb)) {
		ret = -EPERM;
		goto out;
	}
	g = mmz_grant_find(mmb, tgid);
	if (sh->flags & MMZ_SHARE_REVOKE) {
		if (g) {
			list_del(&g->node);
			put_pid(g->tgid);
			kfree(g);
		}
		goto out;
	}
	if (g || tgid == mmb->owner_tgid)
		goto out;	/* already allowed */
	list_for_each_entry(g, &mmb->grants, node)
		n++;
	if (n >= MMZ_MAX_GRANTS) {
		ret = -ENOSPC;
		goto out;
	}
	new->tgid = tgid;
	list_add_tail(&new->node, &mmb->grants);
	new = NULL;
	tgid = NULL;	/* the grant holds it */
out:
	mutex_unlock(&mmz.lock);
	kfree(new);
	put_pid(tgid);
	return ret;
}
