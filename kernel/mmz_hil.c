// SPDX-License-Identifier: GPL-2.0
/*
 * The vendor's generation-2 kernel API (include/hisilicon/osal_mmz.h): the
 * hil_* calls of hi_osal's media-mem over mmz's zones and blocks, so that
 * vendor and OpenIPC drivers link against mmz.ko unchanged. A block's
 * hil_mmb_t is part of struct mmz_mmb (mmz_block.c keeps it true); a
 * zone's hil_mmz_t is the caller's for zones registered here, else part of
 * struct mmz_kzone. Exported as the vendor exports them: docs/KAPI.md.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/err.h>
#include <linux/export.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "mmz_priv.h"
#include "mmz_compat.h"
#include "mmz_kapi.h"

/* A kernel mapping made by hil_mmf_map2kern_*(), found by its address. */
struct mmz_mmf {
	struct list_head node;
	void *va;			/* what the caller got */
	void *base;			/* the page-aligned mapping */
	bool vmapped;
};

static LIST_HEAD(mmz_mmfs);		/* guarded by mmz.lock */

static struct mmz_mmb *hil_mmb(hil_mmb_t *face)
{
	return container_of(face, struct mmz_mmb, face);
}

/* The registered zone whose hil_mmz_t is @face, or NULL. */
static struct mmz_kzone *hil_kzone(const hil_mmz_t *face)
{
	int i;

	lockdep_assert_held(&mmz.lock);
	for (i = 0; i < mmz.nzones; i++)
		if (mmz.zones[i]->face == face)
			return mmz.zones[i];
	return NULL;
}

/* ---- zones ---- */

static void hil_zone_kfree(const void *zone)
{
	kfree(zone);
}

hil_mmz_t *hil_mmz_create_v2(const char *name, unsigned long gfp,
			     unsigned long phys_start, unsigned long nbytes,
			     unsigned int alloc_type,
			     unsigned long block_align)
{
	hil_mmz_t *zone;

	if (!name) {
		pr_err("%s: no zone name\n", __func__);
		return NULL;
	}
	zone = kzalloc(sizeof(*zone), GFP_KERNEL);
	if (!zone)
		return NULL;
	strscpy(zone->name, name, sizeof(zone->name));
	zone->gfp = gfp;
	zone->phys_start = phys_start;
	zone->nbytes = nbytes;
	zone->alloc_type = alloc_type;
	zone->block_align = block_align;
	INIT_LIST_HEAD(&zone->list);
	INIT_LIST_HEAD(&zone->mmb_list);
	zone->destructor = hil_zone_kfree;
	return zone;
}
EXPORT_SYMBOL(hil_mmz_create_v2);

hil_mmz_t *hil_mmz_create(const char *name, unsigned long gfp,
			  unsigned long phys_start, unsigned long nbytes)
{
	return hil_mmz_create_v2(name, gfp, phys_start, nbytes, DEFAULT_ALLOC,
				 0);
}
EXPORT_SYMBOL(hil_mmz_create);

int hil_mmz_destroy(hil_mmz_t *zone)
{
	bool registered;

	if (!zone)
		return -1;
	mutex_lock(&mmz.lock);
	registered = hil_kzone(zone);
	mutex_unlock(&mmz.lock);
	if (registered) {
		pr_err("%s: zone \"%.*s\" is registered: unregister it first\n",
		       __func__, HIL_MMZ_NAME_LEN, zone->name);
		return -1;
	}
	if (zone->destructor)
		zone->destructor(zone);
	return 0;
}
EXPORT_SYMBOL(hil_mmz_destroy);

/* A zone becomes an mmz zone like those of mmz=, checked the same way. */
int hil_mmz_register(hil_mmz_t *zone)
{
	struct mmz_zone_spec spec = { };
	int ret;

	if (!zone)
		return -1;
	if (strnlen(zone->name, HIL_MMZ_NAME_LEN) == HIL_MMZ_NAME_LEN ||
	    zone->alloc_type > EQ_BLOCK_ALLOC ||
	    (zone->alloc_type == EQ_BLOCK_ALLOC &&
	     (!zone->block_align || !PAGE_ALIGNED(zone->block_align)))) {
		pr_err("%s: zone \"%.*s\": name without NUL, alloc_type %u or block_align 0x%lx not usable\n",
		       __func__, HIL_MMZ_NAME_LEN, zone->name, zone->alloc_type,
		       zone->block_align);
		return -1;
	}
	strscpy(spec.name, zone->name, sizeof(spec.name));
	spec.gfp = zone->gfp;
	spec.phys = zone->phys_start;
	spec.size = zone->nbytes;
	spec.alloc_type = zone->alloc_type;
	spec.block_align = zone->block_align;

	mutex_lock(&mmz.lock);
	if (hil_kzone(zone)) {
		pr_err("%s: zone \"%s\" is registered already\n",
		       __func__, spec.name);
		ret = -EEXIST;
	} else {
		ret = mmz_zones_add(&spec, zone);
	}
	mutex_unlock(&mmz.lock);
	return ret ? -1 : 0;
}
EXPORT_SYMBOL(hil_mmz_register);

int hil_mmz_unregister(hil_mmz_t *zone)
{
	struct mmz_kzone *kz;
	int ret = -1;

	if (!zone)
		return -1;
	mutex_lock(&mmz.lock);
	mmz_prezero_settle();	/* freed blocks still being zeroed go */
	kz = hil_kzone(zone);
	if (!kz)
		pr_err("%s: zone \"%.*s\" is not registered\n",
		       __func__, HIL_MMZ_NAME_LEN, zone->name);
	else if (kz->face == &kz->own_face)
		pr_err("%s: zone \"%s\" comes from mmz= and goes with the module\n",
		       __func__, kz->z.name);
	else
		ret = mmz_zones_remove(kz) ? -1 : 0;
	mutex_unlock(&mmz.lock);
	return ret;
}
EXPORT_SYMBOL(hil_mmz_unregister);

/*
 * As the vendor's list walk, newest zone first: a name, or for NULL/"" the
 * zone "anonymous" with anony=1, else the newest zone of @gfp.
 */
hil_mmz_t *hil_mmz_find(unsigned long gfp, const char *mmz_name)
{
	hil_mmz_t *face = NULL;
	bool any = !mmz_name || !*mmz_name;
	int i;

	mutex_lock(&mmz.lock);
	for (i = mmz.nzones - 1; i >= 0 && !face; i--) {
		struct mmz_kzone *kz = mmz.zones[i];

		if (gfp && kz->z.gfp != gfp)
			continue;
		if (any ? !mmz.anony || !strcmp(kz->z.name, "anonymous") :
			  !strcmp(kz->z.name, mmz_name))
			face = kz->face;
	}
	mutex_unlock(&mmz.lock);
	return face;
}
EXPORT_SYMBOL(hil_mmz_find);

unsigned long hil_mmz_get_phys(const char *zone_name)
{
	hil_mmz_t *zone = hil_mmz_find(0, zone_name);

	return zone ? zone->phys_start : 0;
}
EXPORT_SYMBOL(hil_mmz_get_phys);

/* ---- blocks ---- */

/*
 * Every hil_ and ot_ allocation. @in: a zone of *_mmz_find() or
 * *_mmz_register(), or NULL.
 */
hil_mmb_t *mmz_hil_alloc(const char *name, unsigned long size,
			 unsigned long align, unsigned long gfp,
			 const char *zone_name, const hil_mmz_t *in,
			 unsigned int order, bool v2, bool kernel_only)
{
	struct mmz_alloc_req req = {
		.name = name, .zone = zone_name, .align = align, .gfp = gfp,
		.order = order, .v2 = v2, .kernel_only = kernel_only,
	};
	struct mmz_kzone *kz;
	struct mmz_mmb *mmb;
	int ret = -ENOENT;

	if (!size || size > ULONG_MAX - (PAGE_SIZE - 1) ||
	    (order != LOW_TO_HIGH && order != HIGH_TO_LOW))
		return NULL;
	req.size = PAGE_ALIGN(size);

	mutex_lock(&mmz.lock);
	if (in) {
		kz = hil_kzone(in);
		req.zone = kz ? kz->z.name : NULL;
		req.gfp = 0;
	}
	if (!in || req.zone)
		ret = mmz_block_alloc(&req, &mmb);
	mutex_unlock(&mmz.lock);
	return ret ? NULL : &mmb->face;
}

hil_mmb_t *hil_mmb_alloc(const char *name, unsigned long size,
			 unsigned long align, unsigned long gfp,
			 const char *mmz_name)
{
	return mmz_hil_alloc(name, size, align, gfp, mmz_name, NULL, LOW_TO_HIGH,
			     false, false);
}
EXPORT_SYMBOL(hil_mmb_alloc);

hil_mmb_t *hil_mmb_alloc_v2(const char *name, unsigned long size,
			    unsigned long align, unsigned long gfp,
			    const char *mmz_name, unsigned int order)
{
	return mmz_hil_alloc(name, size, align, gfp, mmz_name, NULL, order,
			     true, false);
}
EXPORT_SYMBOL(hil_mmb_alloc_v2);

hil_mmb_t *hil_mmb_alloc_in(const char *name, unsigned long size,
			    unsigned long align, hil_mmz_t *_user_mmz)
{
	if (!_user_mmz)
		return NULL;
	return mmz_hil_alloc(name, size, align, 0, NULL, _user_mmz, LOW_TO_HIGH,
			     false, false);
}
EXPORT_SYMBOL(hil_mmb_alloc_in);

hil_mmb_t *hil_mmb_alloc_in_v2(const char *name, unsigned long size,
			       unsigned long align, hil_mmz_t *_user_mmz,
			       unsigned int order)
{
	if (!_user_mmz)
		return NULL;
	return mmz_hil_alloc(name, size, align, 0, NULL, _user_mmz, order,
			     true, false);
}
EXPORT_SYMBOL(hil_mmb_alloc_in_v2);

/*
 * As the vendor's: while hil_mmb_get() references or kernel mappings hold
 * the block it is only marked RELEASED (the last put or unmap frees it);
 * user mappings and references delay it too. Any block may be freed here,
 * also one a program allocated: kernel code is trusted, as by the vendor.
 */
int hil_mmb_free(hil_mmb_t *face)
{
	struct mmz_mmb *mmb;

	if (!face)
		return -1;
	mmb = hil_mmb(face);
	mutex_lock(&mmz.lock);
	if (mmb->delayed_free) {
		pr_warn("%s: block \"%s\" at 0x%llx was freed already\n",
			__func__, face->name, (u64)mmz_mmb_phys(mmb));
	} else {
		mmb->kmap_holds = true;
		mmz_block_free(mmb);
	}
	mutex_unlock(&mmz.lock);
	return 0;
}
EXPORT_SYMBOL(hil_mmb_free);

/* The block starting at @addr (the vendor compares the start only). */
hil_mmb_t *hil_mmb_getby_phys(unsigned long addr)
{
	struct mmz_mmb *mmb;

	mutex_lock(&mmz.lock);
	mmb = mmz_block_find(addr);
	mutex_unlock(&mmz.lock);
	return mmb ? &mmb->face : NULL;
}
EXPORT_SYMBOL(hil_mmb_getby_phys);

hil_mmb_t *hil_mmb_getby_phys_2(unsigned long addr, unsigned long *Outoffset)
{
	struct mmz_mmb *mmb;

	mutex_lock(&mmz.lock);
	mmb = mmz_block_find_containing(addr);
	if (mmb && Outoffset)
		*Outoffset = addr - mmz_mmb_phys(mmb);
	mutex_unlock(&mmz.lock);
	return mmb ? &mmb->face : NULL;
}
EXPORT_SYMBOL(hil_mmb_getby_phys_2);

hil_mmb_t *hil_mmb_getby_kvirt(void *virt)
{
	struct mmz_mmb *mmb = virt ? mmz_find_by_kvirt(virt) : NULL;

	return mmb ? &mmb->face : NULL;
}
EXPORT_SYMBOL(hil_mmb_getby_kvirt);

int hil_mmb_get(hil_mmb_t *face)
{
	struct mmz_mmb *mmb;
	int ref = -1;

	if (!face)
		return -1;
	mmb = hil_mmb(face);
	mutex_lock(&mmz.lock);
	if (face->flags & HIL_MMB_RELEASED)
		pr_warn("%s: block \"%s\" is released\n", __func__,
			face->name);
	if (mmb->vendor_refs < INT_MAX) {
		ref = ++mmb->vendor_refs;
		mmz_faces_sync(mmb);
	}
	mutex_unlock(&mmz.lock);
	return ref;
}
EXPORT_SYMBOL(hil_mmb_get);

int hil_mmb_put(hil_mmb_t *face)
{
	struct mmz_mmb *mmb;
	int ref;

	if (!face)
		return -1;
	mmb = hil_mmb(face);
	mutex_lock(&mmz.lock);
	if (mmb->vendor_refs <= 0) {
		pr_err("%s: block \"%s\" has no hil_mmb_get() reference\n",
		       __func__, face->name);
		ref = -1;
	} else {
		ref = --mmb->vendor_refs;
		mmz_faces_sync(mmb);
		mmz_block_put(mmb);	/* may free it */
	}
	mutex_unlock(&mmz.lock);
	return ref;
}
EXPORT_SYMBOL(hil_mmb_put);

/* ---- kernel mappings ---- */

static void *hil_map2kern(hil_mmb_t *face, bool cached)
{
	void *va;

	if (!face)
		return NULL;
	mutex_lock(&mmz.lock);
	va = mmz_block_kmap(hil_mmb(face), cached);
	mutex_unlock(&mmz.lock);
	if (IS_ERR(va)) {
		pr_err("hil_mmb_map2kern%s: block \"%s\" at 0x%lx: %s\n",
		       cached ? "_cached" : "", face->name, face->phys_addr,
		       PTR_ERR(va) == -EBUSY ?
		       "mapped in the other cache mode already" :
		       "out of memory");
		return NULL;
	}
	return va;
}

void *hil_mmb_map2kern(hil_mmb_t *mmb)
{
	return hil_map2kern(mmb, false);
}
EXPORT_SYMBOL(hil_mmb_map2kern);

void *hil_mmb_map2kern_cached(hil_mmb_t *mmb)
{
	return hil_map2kern(mmb, true);
}
EXPORT_SYMBOL(hil_mmb_map2kern_cached);

/* Return: the kernel mappings left, or -1 when there was none. */
int hil_mmb_unmap(hil_mmb_t *face)
{
	struct mmz_mmb *mmb;
	int ref = -1;

	if (!face)
		return -1;
	mmb = hil_mmb(face);
	mutex_lock(&mmz.lock);
	if (mmb->kmap_count) {
		mmz_block_kunmap(mmb);
		ref = mmb->kmap_count;
		mmz_block_put(mmb);	/* a RELEASED block may go now */
	}
	mutex_unlock(&mmz.lock);
	return ref;
}
EXPORT_SYMBOL(hil_mmb_unmap);

/*
 * Memory of a zone or a map_mmz= range, any part of it, mapped on its
 * own; each call makes a mapping that hil_mmf_unmap() takes down.
 */
static void *hil_mmf_map(unsigned long phys, int len, bool cached)
{
	phys_addr_t base = phys & PAGE_MASK;
	struct mmz_kzone *zone;
	struct mmz_mmf *f;
	size_t size;
	bool map;

	if (len <= 0 || phys > ULONG_MAX - len)
		return NULL;
	size = PAGE_ALIGN(phys - base + len);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return NULL;
	mutex_lock(&mmz.lock);
	zone = mmz_zone_of(base, size);
	map = !zone && mmz_in_map_range(base, size);
	if (zone || map) {
		/* RAM (CMA zones) write-combine: a vmap() of its pages */
		f->vmapped = !cached && zone && zone->be->ram;
		f->base = mmz_phys_kmap(base, size, cached, f->vmapped);
	}
	if (f->base) {
		f->va = f->base + (phys - base);
		list_add(&f->node, &mmz_mmfs);
	}
	mutex_unlock(&mmz.lock);
	if (!f->base) {
		if (!zone && !map)
			pr_err("hil_mmf_map2kern: [mem 0x%lx-0x%lx] is not inside a zone or a map_mmz range\n",
			       phys, phys + len - 1);
		kfree(f);
		return NULL;
	}
	return f->va;
}

void *hil_mmf_map2kern_nocache(unsigned long phys, int len)
{
	return hil_mmf_map(phys, len, false);
}
EXPORT_SYMBOL(hil_mmf_map2kern_nocache);

void *hil_mmf_map2kern_cache(unsigned long phys, int len)
{
	return hil_mmf_map(phys, len, true);
}
EXPORT_SYMBOL(hil_mmf_map2kern_cache);

void hil_mmf_unmap(void *virt)
{
	struct mmz_mmf *f, *found = NULL;

	mutex_lock(&mmz.lock);
	list_for_each_entry(f, &mmz_mmfs, node) {
		if (f->va == virt) {
			found = f;
			list_del(&f->node);
			break;
		}
	}
	mutex_unlock(&mmz.lock);
	if (!found) {
		pr_err("%s: %p is no hil_mmf_map2kern_*() mapping\n", __func__,
		       virt);
		return;
	}
	mmz_phys_kunmap(found->base, found->vmapped);
	kfree(found);
}
EXPORT_SYMBOL(hil_mmf_unmap);

/* Module unload: what drivers left mapped goes (they are unloaded). */
void mmz_hil_exit(void)
{
	struct mmz_mmf *f, *tmp;

	list_for_each_entry_safe(f, tmp, &mmz_mmfs, node) {
		pr_warn("hil_mmf mapping %p left by a driver, unmapped\n",
			f->va);
		list_del(&f->node);
		mmz_phys_kunmap(f->base, f->vmapped);
		kfree(f);
	}
}

/* ---- caches ---- */

/* Clean + invalidate: the vendor's flush and "invalidate" both do it. */
int hil_mmb_flush_dcache_byaddr(void *kvirt, unsigned long phys_addr,
				unsigned long length)
{
	if (!kvirt)
		return -EINVAL;
	mmz_arch_clean_inval(kvirt, phys_addr, length);
	return 0;
}
EXPORT_SYMBOL(hil_mmb_flush_dcache_byaddr);

int hil_mmb_invalid_cache_byaddr(void *kvirt, unsigned long phys_addr,
				 unsigned long length)
{
	return hil_mmb_flush_dcache_byaddr(kvirt, phys_addr, length);
}
EXPORT_SYMBOL(hil_mmb_invalid_cache_byaddr);

/* [@start, @end) lies in one writable VMA of current. */
static int hil_vma_check_locked(struct mm_struct *mm, unsigned long start,
				unsigned long end)
{
	struct vm_area_struct *vma;

	if (start >= end)
		return -1;
	vma = vma_lookup(mm, start);
	if (!vma || end > vma->vm_end || !(vma->vm_flags & VM_WRITE))
		return -1;
	return 0;
}

int hil_vma_check(unsigned long vm_start, unsigned long vm_end)
{
	struct mm_struct *mm = current->mm;
	int ret;

	if (!mm)
		return -1;
	mmap_read_lock(mm);
	ret = hil_vma_check_locked(mm, vm_start, vm_end);
	mmap_read_unlock(mm);
	return ret;
}
EXPORT_SYMBOL(hil_vma_check);

/*
 * @kvirt is a user address of the caller (the vendor checks it as one);
 * the lines are flushed by @phys_addr, which must lie in a zone.
 */
int hil_mmb_flush_dcache_byaddr_safe(void *kvirt, unsigned long phys_addr,
				     unsigned long length)
{
	unsigned long start = (unsigned long)kvirt;
	struct mm_struct *mm = current->mm;
	int ret;

	if (!kvirt)
		return -EINVAL;
	if (!mm || !length)
		return -EPERM;
	mmap_read_lock(mm);
	ret = start > ULONG_MAX - length ? -1 :
	      hil_vma_check_locked(mm, start, start + length);
	mmap_read_unlock(mm);
	if (ret)
		return -EPERM;
	mutex_lock(&mmz.lock);
	ret = mmz_in_zone(phys_addr, length) ?
	      mmz_phys_flush(phys_addr, length) : -EINVAL;
	mutex_unlock(&mmz.lock);
	return ret;
}
EXPORT_SYMBOL(hil_mmb_flush_dcache_byaddr_safe);

/* ---- checks ---- */

/*
 * The physical address behind a 4-byte aligned user address of the
 * caller, bit 0 set when cached; 0 when it is no mmz mapping.
 */
unsigned long usr_virt_to_phys(unsigned long virt)
{
	struct mm_struct *mm = current->mm;
	unsigned long phys = 0;
	struct mmz_vma *mv;

	if ((virt & 3) || !mm)
		return 0;
	mmap_read_lock(mm);
	mv = mmz_vma_at(virt, 4);
	if (mv) {
		mutex_lock(&mmz.lock);
		phys = (mv->phys + (virt - mv->start)) | mv->cached;
		mutex_unlock(&mmz.lock);
	}
	mmap_read_unlock(mm);
	return phys;
}
EXPORT_SYMBOL(usr_virt_to_phys);

int hil_is_phys_in_mmz(unsigned long addr_start, unsigned long addr_len)
{
	bool in;

	if (!addr_len || addr_start > ULONG_MAX - addr_len)
		return -1;
	mutex_lock(&mmz.lock);
	in = mmz_in_zone(addr_start, addr_len);
	mutex_unlock(&mmz.lock);
	return in ? 0 : -1;
}
EXPORT_SYMBOL(hil_is_phys_in_mmz);

int hil_map_mmz_check_phys(unsigned long addr_start, unsigned long addr_len)
{
	if (addr_len && addr_start <= ULONG_MAX - addr_len &&
	    mmz_in_map_range(addr_start, addr_len))
		return 0;
	pr_err("%s: [mem 0x%lx-0x%lx] is not inside a map_mmz range\n", __func__,
	       addr_start, addr_start + addr_len - 1);
	return -1;
}
EXPORT_SYMBOL(hil_map_mmz_check_phys);
