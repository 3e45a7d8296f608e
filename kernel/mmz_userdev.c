// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mmz_userdev: open, release and the file operations. Each open file
 * owns the blocks it allocated, the references it took and the mappings
 * made through it. An open file pins the module (fops.owner); a mapping
 * pins the file, so release runs only when no mapping of this fd is left.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "mmz_priv.h"

static int mmz_open(struct inode *inode, struct file *file)
{
	struct mmz_file *mf;

	mf = kzalloc(sizeof(*mf), GFP_KERNEL);
	if (!mf)
		return -ENOMEM;
	INIT_LIST_HEAD(&mf->blocks);
	INIT_LIST_HEAD(&mf->refs);
	INIT_LIST_HEAD(&mf->vmas);
	mutex_init(&mf->remap_lock);
	mf->sync = file->f_flags & O_SYNC;
	file->private_data = mf;
	return 0;
}

/*
 * Drops the fd's references, then frees the blocks it still owns: at once,
 * or delayed while another fd maps or references them.
 */
static int mmz_release(struct inode *inode, struct file *file)
{
	struct mmz_file *mf = file->private_data;
	struct mmz_mmb *mmb, *mtmp;
	struct mmz_ref *ref, *rtmp;

	mutex_lock(&mmz.lock);
	list_for_each_entry_safe(ref, rtmp, &mf->refs, node) {
		mmb = ref->mmb;
		mmb->ref_count -= ref->count;
		list_del(&ref->node);
		kfree(ref);
		mmz_block_put(mmb);
	}
	list_for_each_entry_safe(mmb, mtmp, &mf->blocks, owner_node) {
		/* the name is the user's bytes: escaped, one line */
		pr_warn("MMB LEAK(pid=%d): phys=0x%llx size=%llu name=\"%*pE\"\n",
			mmb->owner_pid, (u64)mmz_mmb_phys(mmb),
			mmz_mmb_size(mmb), (int)strnlen(mmb->blk->name,
							MMZ_BLOCK_NAME_LEN),
			mmb->blk->name);
		mmz_block_free(mmb);
	}
	WARN_ON(!list_empty(&mf->vmas));
	mutex_unlock(&mmz.lock);
	mutex_destroy(&mf->remap_lock);
	kfree(mf);
	return 0;
}

static const struct file_operations mmz_fops = {
	.owner = THIS_MODULE,
	.open = mmz_open,
	.release = mmz_release,
	.unlocked_ioctl = mmz_ioctl,
#ifdef CONFIG_COMPAT
	.compat_ioctl = mmz_compat_ioctl,
#endif
	.mmap = mmz_mmap,
	.llseek = noop_llseek,
};

static struct miscdevice mmz_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = MMZ_DEV_NAME,
	.fops = &mmz_fops,
};

int mmz_userdev_register(void)
{
	return misc_register(&mmz_misc);
}

void mmz_userdev_unregister(void)
{
	misc_deregister(&mmz_misc);
}
