// SPDX-License-Identifier: GPL-2.0
/*
 * Zones from the mmz= and map_mmz= parameters: parse them, refuse memory
 * the kernel manages, claim the ranges and set up the allocator core.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/platform_device.h>
#include <linux/slab.h>

#include "mmz_priv.h"

#define MMZ_ERR_LEN	192
#define MMZ_QUOTE_LEN	160	/* bytes of a bad parameter quoted in the log */

static void *mmz_meta_alloc(void *ctx, size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void mmz_meta_free(void *ctx, void *ptr)
{
	kfree(ptr);
}

static const struct mmz_ops mmz_meta_ops = {
	.alloc = mmz_meta_alloc,
	.free = mmz_meta_free,
};

/*
 * Memory the kernel manages is "System RAM" in the iomem tree: that is the
 * test memremap() itself uses. memmap=nn$ss (E820 reserved), RAM above
 * mem= (absent) and DT no-map reserved-memory ("reserved") are not.
 * pfn_valid() would be wrong: x86 has struct pages for E820 holes too.
 */
static bool mmz_range_is_ram(u64 phys, u64 size)
{
	return region_intersects(phys, size, IORESOURCE_SYSTEM_RAM,
				 IORES_DESC_NONE) != REGION_DISJOINT;
}

/*
 * The range must be addressable by this kernel and page aligned, and be no
 * System RAM unless @ram (a back end of RAM checks its own rules).
 */
static int mmz_check_range(const char *what, int idx, const char *name,
			   u64 phys, u64 size, bool ram)
{
	u64 last = phys + size - 1;	/* the parser refused wrapping */

	if (!PAGE_ALIGNED(phys) || !PAGE_ALIGNED(size)) {
		pr_err("%s %d%s%s: phys 0x%llx and size 0x%llx must be multiples of the page size (0x%lx)\n",
		       what, idx, name ? " " : "", name ?: "", phys, size,
		       PAGE_SIZE);
		return -EINVAL;
	}
	if ((phys_addr_t)last != last || size > SIZE_MAX) {
		pr_err("%s %d%s%s: [mem 0x%llx-0x%llx] is beyond this kernel's physical address range\n",
		       what, idx, name ? " " : "", name ?: "", phys, last);
		return -EINVAL;
	}
	if (ram)
		return 0;
	if (mmz_range_is_ram(phys, size)) {
		pr_err("%s %d%s%s: [mem 0x%llx-0x%llx] overlaps System RAM the kernel manages; reserve it first (x86: memmap=%lluK$0x%llx, ARM: mem= or a no-map reserved-memory node)\n",
		       what, idx, name ? " " : "", name ?: "", phys, last,
		       size >> 10, phys);
		return -EINVAL;
	}
	return 0;
}

/* What the vendor API shows of a zone (hil_mmz_t), kept in @face. */
static void mmz_face_fill(struct mmz_kzone *kz, hil_mmz_t *face)
{
	if (!face) {
		face = &kz->own_face;
		strscpy(face->name, kz->z.name, sizeof(face->name));
		face->gfp = kz->z.gfp;
		face->phys_start = kz->z.base;
		face->nbytes = kz->z.size;
		face->alloc_type = kz->z.alloc_type;
		face->block_align = kz->z.block_align;
	}
	INIT_LIST_HEAD(&face->list);
	INIT_LIST_HEAD(&face->mmb_list);
	face->cma_dev = kz->pdev ? &kz->pdev->dev : NULL;
	kz->face = face;
}

/*
 * Sets up zone @idx (not yet in mmz.zones[]): the core, then the back
 * end's part (a claim on the range, a DMA device). @face is the caller's
 * hil_mmz_t for a zone registered through the vendor API, else NULL.
 */
static int mmz_kzone_new(const struct mmz_zone_spec *spec, int idx,
			 int dev_id, hil_mmz_t *face, struct mmz_kzone **out)
{
	struct mmz_kzone *kz;
	int ret;

	kz = kzalloc(sizeof(*kz), GFP_KERNEL);
	if (!kz)
		return -ENOMEM;
	ret = mmz_pool_init(&kz->z, spec->name, spec->phys, spec->size,
			    PAGE_SHIFT, &mmz_meta_ops);
	if (ret) {
		pr_err("zone %d \"%s\": cannot set up the zone (%d)\n",
		       idx + 1, spec->name, ret);
		goto err_free;
	}
	kz->z.gfp = spec->gfp;
	kz->z.alloc_type = spec->alloc_type;
	kz->z.block_align = spec->block_align;
	kz->be = mmz.be;
	kz->index = idx;
	kz->dev_id = dev_id;
	INIT_LIST_HEAD(&kz->dirty);
	ret = kz->be->zone_setup(kz);
	if (ret)
		goto err_destroy;
	mmz_face_fill(kz, face);
	*out = kz;
	return 0;

err_destroy:
	mmz_pool_destroy(&kz->z);
err_free:
	kfree(kz);
	return ret;
}

/*
 * A zone outside mmz.zones[] (an imported dma-buf): the core and the
 * vendor view only; no allocation in it, no index (BLOCK_INFO shows
 * U32_MAX).
 */
int mmz_kzone_loose_init(struct mmz_kzone *kz, const char *name, u64 phys,
			 u64 size, const struct mmz_backend *be)
{
	int ret;

	ret = mmz_pool_init(&kz->z, name, phys, size, PAGE_SHIFT,
			    &mmz_meta_ops);
	if (ret)
		return ret;
	kz->be = be;
	kz->index = U32_MAX;
	INIT_LIST_HEAD(&kz->node);
	INIT_LIST_HEAD(&kz->dirty);
	mmz_face_fill(kz, NULL);
	return 0;
}

void mmz_kzone_loose_destroy(struct mmz_kzone *kz)
{
	mmz_pool_destroy(&kz->z);
}

/* Undoes mmz_kzone_new(); the zone holds no block. */
static void mmz_kzone_drop(struct mmz_kzone *kz)
{
	kz->be->zone_teardown(kz);
	WARN_ON(kz->z.nblocks);
	mmz_pool_destroy(&kz->z);
	kfree(kz);
}

static int mmz_add_zone(const struct mmz_zone_spec *spec, int idx)
{
	struct mmz_kzone *kz;
	int ret;

	ret = mmz_kzone_new(spec, idx, idx, NULL, &kz);
	if (ret)
		return ret;
	mmz.zones[idx] = kz;
	mmz.nzones = idx + 1;
	return 0;
}

static bool mmz_overlaps(u64 p1, u64 s1, u64 p2, u64 s2)
{
	return p1 < p2 + s2 && p2 < p1 + s1;
}

static int mmz_check_maps(void)
{
	int i, j;

	for (i = 0; i < mmz.nmaps; i++) {
		const struct mmz_range *r = &mmz.maps[i];
		int ret = mmz_check_range("map_mmz range", i + 1, NULL,
					  r->phys, r->size, false);

		if (ret)
			return ret;
		for (j = 0; j < mmz.nzones; j++) {
			const struct mmz_pool *z = &mmz.zones[j]->z;

			if (mmz_overlaps(r->phys, r->size, z->base, z->size)) {
				pr_err("map_mmz range %d overlaps zone %d \"%s\": zone memory is mapped only through its blocks\n",
				       i + 1, j + 1, z->name);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/**
 * mmz_zones_setup() - create the zones and map ranges from the parameters
 * @zone_spec: the mmz= string
 * @map_spec: the map_mmz= string
 *
 * On failure one line says why and nothing is left behind.
 *
 * Return: 0, -EINVAL for a bad or unusable spec, -EBUSY, -ENOMEM.
 */
int mmz_zones_setup(const char *zone_spec, const char *map_spec)
{
	struct mmz_zone_spec *specs;
	char *err;
	int n, i, ret;

	specs = kcalloc(MMZ_MAX_ZONES, sizeof(*specs), GFP_KERNEL);
	err = kzalloc(MMZ_ERR_LEN, GFP_KERNEL);
	if (!specs || !err) {
		ret = -ENOMEM;
		goto out;
	}

	zone_spec = zone_spec ?: "";
	map_spec = map_spec ?: "";
	n = mmz_parse_zones(zone_spec, specs, MMZ_MAX_ZONES,
			    mmz.be->parse_flags, err, MMZ_ERR_LEN);
	if (n < 0) {
		pr_err("mmz=\"%.*s%s\": %s\n", MMZ_QUOTE_LEN, zone_spec,
		       strlen(zone_spec) > MMZ_QUOTE_LEN ? "..." : "", err);
		ret = -EINVAL;
		goto out;
	}
	if (n == 0) {
		pr_err("no zones given: load with e.g. %s\n", mmz.be->example);
		ret = -EINVAL;
		goto out;
	}
	ret = mmz_parse_ranges(map_spec, mmz.maps, MMZ_MAX_ZONES,
			       err, MMZ_ERR_LEN);
	if (ret < 0) {
		pr_err("map_mmz=\"%.*s%s\": %s\n", MMZ_QUOTE_LEN, map_spec,
		       strlen(map_spec) > MMZ_QUOTE_LEN ? "..." : "", err);
		ret = -EINVAL;
		goto out;
	}
	mmz.nmaps = ret;

	for (i = 0; i < n; i++) {
		ret = mmz_check_range("zone", i + 1, specs[i].name,
				      specs[i].phys, specs[i].size, mmz.be->ram);
		if (ret)
			goto out;
	}
	for (i = 0; i < n; i++) {
		ret = mmz_add_zone(&specs[i], i);
		if (ret)
			goto err_zones;
	}
	ret = mmz_check_maps();
	if (ret)
		goto err_zones;
	ret = 0;
	goto out;

err_zones:
	mmz_zones_teardown();
out:
	kfree(err);
	kfree(specs);
	return ret;
}

/* Drops every zone; the blocks must be gone (mmz_block_free_all()). */
void mmz_zones_teardown(void)
{
	int i;

	for (i = mmz.nzones - 1; i >= 0; i--) {
		mmz_kzone_drop(mmz.zones[i]);
		mmz.zones[i] = NULL;
	}
	mmz.nzones = 0;
	mmz.nmaps = 0;
}

/**
 * mmz_zones_add() - a zone registered at run time (hil_mmz_register())
 * @spec: name, gfp, range, alloc_type, block_align
 * @face: the caller's hil_mmz_t; it must outlive the zone
 *
 * Checked as an mmz= zone is, and against the zones and map_mmz= ranges
 * there are; the name must be new. Each refusal is one log line.
 *
 * Return: 0, -EINVAL, -EEXIST, -ENOSPC, -EBUSY, -ENOMEM, -ENODEV.
 */
int mmz_zones_add(const struct mmz_zone_spec *spec, hil_mmz_t *face)
{
	static int mmz_dev_ids = MMZ_MAX_ZONES;
	int i, idx = mmz.nzones, ret;
	struct mmz_kzone *kz;

	lockdep_assert_held(&mmz.lock);
	if (idx == MMZ_MAX_ZONES) {
		pr_err("zone \"%s\": there are %d zones already\n", spec->name,
		       MMZ_MAX_ZONES);
		return -ENOSPC;
	}
	if (!spec->size || spec->phys + spec->size - 1 < spec->phys) {
		pr_err("zone %d \"%s\": size 0x%llx at 0x%llx is no range\n",
		       idx + 1, spec->name, spec->size, spec->phys);
		return -EINVAL;
	}
	if (mmz_zone_by_name(spec->name)) {
		pr_err("zone %d \"%s\": a zone of that name exists\n", idx + 1,
		       spec->name);
		return -EEXIST;
	}
	ret = mmz_check_range("zone", idx + 1, spec->name, spec->phys,
			      spec->size, mmz.be->ram);
	if (ret)
		return ret;
	for (i = 0; i < mmz.nzones + mmz.nmaps; i++) {
		bool zone = i < mmz.nzones;
		u64 p = zone ? mmz.zones[i]->z.base : mmz.maps[i - idx].phys;
		u64 n = zone ? mmz.zones[i]->z.size : mmz.maps[i - idx].size;

		if (mmz_overlaps(spec->phys, spec->size, p, n)) {
			pr_err("zone %d \"%s\": [mem 0x%llx-0x%llx] overlaps %s [mem 0x%llx-0x%llx]\n",
			       idx + 1, spec->name, spec->phys,
			       spec->phys + spec->size - 1,
			       zone ? mmz.zones[i]->z.name : "a map_mmz range",
			       p, p + n - 1);
			return -EINVAL;
		}
	}
	ret = mmz_kzone_new(spec, idx, mmz_dev_ids, face, &kz);
	if (ret)
		return ret;
	mmz_dev_ids++;
	mmz.zones[idx] = kz;
	mmz.nzones = idx + 1;
	mmz_prezero_kick();
	pr_info("zone %d \"%s\": registered [mem 0x%llx-0x%llx]\n", idx + 1,
		spec->name, spec->phys, spec->phys + spec->size - 1);
	return 0;
}

/**
 * mmz_zones_remove() - drop a zone that holds no block
 * @kz: the zone, looked up after mmz_prezero_settle() (which drops
 *	mmz.lock: zones may come and go meanwhile)
 *
 * The zones above it move down one index.
 *
 * Return: 0, or -EBUSY (one log line) while it holds blocks.
 */
int mmz_zones_remove(struct mmz_kzone *kz)
{
	struct mmz_pool_stats st;
	int i;

	lockdep_assert_held(&mmz.lock);
	mmz_kzone_stats(kz, &st);
	if (st.blocks || kz->allocating) {
		pr_err("zone %u \"%s\": %llu block(s) allocated or being allocated, not unregistered\n",
		       kz->index + 1, kz->z.name,
		       (u64)st.blocks + kz->allocating);
		return -EBUSY;
	}
	for (i = kz->index; i + 1 < mmz.nzones; i++) {
		mmz.zones[i] = mmz.zones[i + 1];
		mmz.zones[i]->index = i;
	}
	mmz.zones[--mmz.nzones] = NULL;
	mmz_kzone_drop(kz);
	return 0;
}

/* The zone [@phys, @phys + @len) lies in, or NULL. Needs mmz.lock. */
struct mmz_kzone *mmz_zone_of(u64 phys, u64 len)
{
	int i;

	lockdep_assert_held(&mmz.lock);
	for (i = 0; i < mmz.nzones; i++) {
		const struct mmz_pool *z = &mmz.zones[i]->z;

		if (phys >= z->base && phys - z->base < z->size &&
		    len <= z->size - (phys - z->base))
			return mmz.zones[i];
	}
	return NULL;
}

/* Is [@phys, @phys + @len) inside one zone? Needs mmz.lock. */
bool mmz_in_zone(u64 phys, u64 len)
{
	return mmz_zone_of(phys, len);
}

/* Is [@phys, @phys + @len) inside one map_mmz= range? */
bool mmz_in_map_range(phys_addr_t phys, u64 len)
{
	int i;

	for (i = 0; i < mmz.nmaps; i++) {
		const struct mmz_range *r = &mmz.maps[i];

		if (phys >= r->phys && phys - r->phys < r->size &&
		    len <= r->size - (phys - r->phys))
			return true;
	}
	return false;
}
