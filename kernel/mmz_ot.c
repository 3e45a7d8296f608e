// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor's generation-3 kernel API (include/hisilicon/ot/osal_mmz.h):
 * the ot_* calls of the "ot_" SDKs. They do what generation 2's hil_*
 * calls do, so they are made on those: a zone's ot_mmz_t is its hil_mmz_t
 * (the same layout), a block's ot_mmb_t is the second view in struct
 * mmz_mmb (mmz_face.c). What generation 3 adds is here: allocation by a
 * parameter struct with kernel_only, the process share checks, and an
 * invalidate that only invalidates. Differences: docs/KAPI.md.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/sched.h>
#include <linux/stddef.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

#define MMZ_SAME_FIELD(f) \
	static_assert(offsetof(hil_mmz_t, f) == offsetof(ot_mmz_t, f))
MMZ_SAME_FIELD(name);
MMZ_SAME_FIELD(gfp);
MMZ_SAME_FIELD(phys_start);
MMZ_SAME_FIELD(nbytes);
MMZ_SAME_FIELD(list);
MMZ_SAME_FIELD(cma_dev);
MMZ_SAME_FIELD(mmb_list);
MMZ_SAME_FIELD(alloc_type);
MMZ_SAME_FIELD(block_align);
MMZ_SAME_FIELD(destructor);
static_assert(sizeof(hil_mmz_t) == sizeof(ot_mmz_t));

static ot_mmb_t *ot_face(hil_mmb_t *face)
{
	return face ? &container_of(face, struct mmz_mmb, face)->ot_face :
		      NULL;
}

static struct mmz_mmb *ot_mmb(const ot_mmb_t *face)
{
	return container_of(face, struct mmz_mmb, ot_face);
}

static hil_mmb_t *hil_face(const ot_mmb_t *face)
{
	return face ? &ot_mmb(face)->face : NULL;
}

/* ---- zones: generation 2's, by another name ---- */

ot_mmz_t *ot_mmz_create(const char *name, unsigned long gfp,
			unsigned long phys_start, unsigned long nbytes)
{
	return (ot_mmz_t *)hil_mmz_create(name, gfp, phys_start, nbytes);
}
EXPORT_SYMBOL(ot_mmz_create);

ot_mmz_t *ot_mmz_create_v2(const char *name,
			   const ot_mmz_create_attr *attr)
{
	if (!attr)
		return NULL;
	return (ot_mmz_t *)hil_mmz_create_v2(name, attr->gfp, attr->phys_start,
					     attr->nbytes, attr->alloc_type,
					     attr->block_align);
}
EXPORT_SYMBOL(ot_mmz_create_v2);

/* const as the vendor declares it; the zone is freed all the same */
int ot_mmz_destroy(const ot_mmz_t *zone)
{
	return hil_mmz_destroy((hil_mmz_t *)zone);
}
EXPORT_SYMBOL(ot_mmz_destroy);

int ot_mmz_register(ot_mmz_t *zone)
{
	return hil_mmz_register((hil_mmz_t *)zone);
}
EXPORT_SYMBOL(ot_mmz_register);

int ot_mmz_unregister(ot_mmz_t *zone)
{
	return hil_mmz_unregister((hil_mmz_t *)zone);
}
EXPORT_SYMBOL(ot_mmz_unregister);

ot_mmz_t *ot_mmz_find(unsigned long gfp, const char *mmz_name)
{
	return (ot_mmz_t *)hil_mmz_find(gfp, mmz_name);
}
EXPORT_SYMBOL(ot_mmz_find);

unsigned long ot_mmz_get_phys(const char *zone_name)
{
	return hil_mmz_get_phys(zone_name);
}
EXPORT_SYMBOL(ot_mmz_get_phys);

int ot_mmz_get_anony(void)
{
	return mmz.anony;
}
EXPORT_SYMBOL(ot_mmz_get_anony);

/* ---- blocks ---- */

/* @in: _in and _in_v2 take the zone from @p->user_mmz, not by name */
static ot_mmb_t *ot_alloc(const ot_mmz_alloc_para_in *p, bool in, bool v2)
{
	if (!p || (in && !p->user_mmz))
		return NULL;
	return ot_face(mmz_hil_alloc(p->buf_name ?: "<null>", p->size,
				     p->align, in ? 0 : p->gfp,
				     in ? NULL : p->mmz_name,
				     in ? (const hil_mmz_t *)p->user_mmz : NULL,
				     v2 ? p->order : LOW_TO_HIGH, v2,
				     p->kernel_only));
}

ot_mmb_t *ot_mmb_alloc(const ot_mmz_alloc_para_in *para_in)
{
	return ot_alloc(para_in, false, false);
}
EXPORT_SYMBOL(ot_mmb_alloc);

ot_mmb_t *ot_mmb_alloc_v2(const ot_mmz_alloc_para_in *para_in)
{
	return ot_alloc(para_in, false, true);
}
EXPORT_SYMBOL(ot_mmb_alloc_v2);

ot_mmb_t *ot_mmb_alloc_in(const ot_mmz_alloc_para_in *para_in)
{
	return ot_alloc(para_in, true, false);
}
EXPORT_SYMBOL(ot_mmb_alloc_in);

ot_mmb_t *ot_mmb_alloc_in_v2(const ot_mmz_alloc_para_in *para_in)
{
	return ot_alloc(para_in, true, true);
}
EXPORT_SYMBOL(ot_mmb_alloc_in_v2);

int ot_mmb_free(ot_mmb_t *mmb)
{
	return hil_mmb_free(hil_face(mmb));
}
EXPORT_SYMBOL(ot_mmb_free);

ot_mmb_t *ot_mmb_getby_phys(unsigned long addr)
{
	return ot_face(hil_mmb_getby_phys(addr));
}
EXPORT_SYMBOL(ot_mmb_getby_phys);

/* Generation 3 answers NULL without @out_offset; generation 2 does not. */
ot_mmb_t *ot_mmb_getby_phys_2(unsigned long addr, unsigned long *out_offset)
{
	if (!out_offset)
		return NULL;
	return ot_face(hil_mmb_getby_phys_2(addr, out_offset));
}
EXPORT_SYMBOL(ot_mmb_getby_phys_2);

ot_mmb_t *ot_mmb_getby_kvirt(const void *virt)
{
	return ot_face(hil_mmb_getby_kvirt((void *)virt));
}
EXPORT_SYMBOL(ot_mmb_getby_kvirt);

int ot_mmb_get(ot_mmb_t *mmb)
{
	return hil_mmb_get(hil_face(mmb));
}
EXPORT_SYMBOL(ot_mmb_get);

int ot_mmb_put(ot_mmb_t *mmb)
{
	return hil_mmb_put(hil_face(mmb));
}
EXPORT_SYMBOL(ot_mmb_put);

/* ---- kernel mappings ---- */

void *ot_mmb_map2kern(ot_mmb_t *mmb)
{
	return hil_mmb_map2kern(hil_face(mmb));
}
EXPORT_SYMBOL(ot_mmb_map2kern);

void *ot_mmb_map2kern_cached(ot_mmb_t *mmb)
{
	return hil_mmb_map2kern_cached(hil_face(mmb));
}
EXPORT_SYMBOL(ot_mmb_map2kern_cached);

int ot_mmb_unmap(ot_mmb_t *mmb)
{
	return hil_mmb_unmap(hil_face(mmb));
}
EXPORT_SYMBOL(ot_mmb_unmap);

void *ot_mmf_map2kern_nocache(unsigned long phys, int len)
{
	return hil_mmf_map2kern_nocache(phys, len);
}
EXPORT_SYMBOL(ot_mmf_map2kern_nocache);

void *ot_mmf_map2kern_cache(unsigned long phys, int len)
{
	return hil_mmf_map2kern_cache(phys, len);
}
EXPORT_SYMBOL(ot_mmf_map2kern_cache);

void ot_mmf_unmap(void *virt)
{
	hil_mmf_unmap(virt);
}
EXPORT_SYMBOL(ot_mmf_unmap);

/* ---- caches ---- */

int ot_mmb_flush_dcache_byaddr(void *kvirt, unsigned long phys_addr,
			       unsigned long length)
{
	return hil_mmb_flush_dcache_byaddr(kvirt, phys_addr, length);
}
EXPORT_SYMBOL(ot_mmb_flush_dcache_byaddr);

int ot_mmb_flush_dcache_byaddr_safe(void *kvirt, unsigned long phys_addr,
				    unsigned long length)
{
	return hil_mmb_flush_dcache_byaddr_safe(kvirt, phys_addr, length);
}
EXPORT_SYMBOL(ot_mmb_flush_dcache_byaddr_safe);

/* Invalidate only, as generation 3's (32-bit ARM: see mmz_arch_inval()) */
int ot_mmb_invalid_cache_byaddr(void *kvirt, unsigned long phys_addr,
				unsigned long length)
{
	if (!kvirt)
		return -EINVAL;
	mmz_arch_inval(kvirt, phys_addr, length);
	return 0;
}
EXPORT_SYMBOL(ot_mmb_invalid_cache_byaddr);

/* ---- checks ---- */

int ot_vma_check(unsigned long vm_start, unsigned long vm_end)
{
	return hil_vma_check(vm_start, vm_end);
}
EXPORT_SYMBOL(ot_vma_check);

int ot_is_phys_in_mmz(unsigned long addr_start, unsigned long addr_len)
{
	return hil_is_phys_in_mmz(addr_start, addr_len);
}
EXPORT_SYMBOL(ot_is_phys_in_mmz);

int ot_map_mmz_check_phys(unsigned long addr_start, unsigned long addr_len)
{
	return hil_map_mmz_check_phys(addr_start, addr_len);
}
EXPORT_SYMBOL(ot_map_mmz_check_phys);

/* ---- process isolation ---- */

/* mmz always checks who uses a block (docs/ABI.md, "Sharing") */
int ot_mmz_get_mem_process_isolation(void)
{
	return 1;
}
EXPORT_SYMBOL(ot_mmz_get_mem_process_isolation);

/* 0, -EPERM (kernel_only, or @pid may not), as the vendor; mmz.lock held */
static int ot_share_check(const struct mmz_mmb *mmb, int pid)
{
	lockdep_assert_held(&mmz.lock);
	if (mmz_pid_may_use(mmb, pid))
		return 0;
	pr_err("block \"%s\" at 0x%llx: %s\n", mmb->ot_face.name,
	       (u64)mmz_mmb_phys(mmb), mmb->kernel_only ?
	       "kernel_only, no process may use it" :
	       "not shared with that process");
	return -EPERM;
}

int ot_mmb_check_mem_share_with_pid(const ot_mmb_t *mmb, int pid)
{
	int ret;

	if (!mmb)
		return -EINVAL;
	mutex_lock(&mmz.lock);
	ret = ot_share_check(ot_mmb(mmb), pid);
	mutex_unlock(&mmz.lock);
	return ret;
}
EXPORT_SYMBOL(ot_mmb_check_mem_share_with_pid);

int ot_mmb_check_mem_share(const ot_mmb_t *mmb)
{
	return ot_mmb_check_mem_share_with_pid(mmb, task_tgid_nr(current));
}
EXPORT_SYMBOL(ot_mmb_check_mem_share);

/*
 * May the caller hand [@phys_addr, +@size) to a device? Inside one block:
 * when the calling process may use it; else inside a map_mmz= range.
 */
int ot_mmz_check_phys_addr(unsigned long phys_addr, unsigned long size)
{
	struct mmz_mmb *mmb;
	int ret = -EINVAL;

	if (!size || phys_addr > ULONG_MAX - size)
		return -EINVAL;
	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(phys_addr);
	if (mmb && phys_addr + size - mmz_mmb_phys(mmb) <= mmz_mmb_size(mmb))
		ret = ot_share_check(mmb, task_tgid_nr(current));
	else if (mmz_in_map_range(phys_addr, size))
		ret = 0;
	else
		pr_err("%s: [mem 0x%lx-0x%lx] is neither inside one block nor a map_mmz range\n",
		       __func__, phys_addr, phys_addr + size - 1);
	mutex_unlock(&mmz.lock);
	return ret;
}
EXPORT_SYMBOL(ot_mmz_check_phys_addr);
