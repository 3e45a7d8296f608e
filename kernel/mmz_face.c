// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor APIs' views of a block: generation 2's hil_mmb_t and
 * generation 3's ot_mmb_t, both inside struct mmz_mmb. Their callers read
 * the fields directly (hil_mmb_phys(), ot_mmb_kvirt(), ...), so they are
 * set when the block is made and kept true by every change that shows:
 * kernel mapping, references, delayed free, shares.
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/string.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

void mmz_faces_init(struct mmz_mmb *mmb)
{
	static unsigned int mmz_block_ids;
	hil_mmb_t *f = &mmb->face;
	ot_mmb_t *o = &mmb->ot_face;
	int i;

	lockdep_assert_held(&mmz.lock);
	f->id = ++mmz_block_ids;
	strscpy(f->name, mmb->blk->name, sizeof(f->name));
	f->zone = mmb->zone->face;
	INIT_LIST_HEAD(&f->list);
	f->phys_addr = mmz_mmb_phys(mmb);
	f->length = mmz_mmb_size(mmb);
	f->order = mmb->order;

	o->id = f->id;
	strscpy(o->name, mmb->blk->name, sizeof(o->name));
	o->zone = (ot_mmz_t *)f->zone;	/* the same layout */
	INIT_LIST_HEAD(&o->list);
	o->phys_addr = f->phys_addr;
	o->length = f->length;
	o->order = f->order;
	o->kernel_only = mmb->kernel_only;
	for (i = 0; i < OT_MMB_MAX_PID_NUM; i++)
		o->pid[i] = -1;
	mmz_faces_sync(mmb);
}

void mmz_faces_sync(struct mmz_mmb *mmb)
{
	hil_mmb_t *f = &mmb->face;
	ot_mmb_t *o = &mmb->ot_face;
	unsigned int n;

	lockdep_assert_held(&mmz.lock);
	f->kvirt = mmb->kvirt;
	f->flags = mmb->blk->flags;
	f->phy_ref = mmb->vendor_refs;
	f->map_ref = mmb->kmap_count;

	o->kvirt = f->kvirt;
	o->flags = f->flags;
	o->phy_ref = f->phy_ref;
	o->map_ref = f->map_ref;
	/* the allocator, then the first sharers, as the vendor lists them */
	o->check_pid = !mmb->shared_all;
	o->pid[0] = mmb->alloc_pid;
	n = mmz_grant_pids(mmb, &o->pid[1], OT_MMB_MAX_PID_NUM - 1);
	o->pid_num = 1 + n;
	for (n++; n < OT_MMB_MAX_PID_NUM; n++)
		o->pid[n] = -1;
}
MMZ_EXPORT_FOR_TEST(mmz_faces_sync);
