// SPDX-License-Identifier: GPL-2.0
/*
 * Zones from the mmz= and map_mmz= parameters: parse them, refuse memory
 * the kernel manages, claim the ranges and set up the allocator core.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/ioport.h>
#include <linux/mm.h>
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

/* The range must be addressable by this kernel and page aligned. */
static int mmz_check_range(const char *what, int idx, const char *name,
			   u64 phys, u64 size, bool cma)
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
	if (cma)
		return 0;	/* System RAM in a CMA area: mmz_cma.c checks */
	if (mmz_range_is_ram(phys, size)) {
		pr_err("%s %d%s%s: [mem 0x%llx-0x%llx] overlaps System RAM the kernel manages; reserve it first (x86: memmap=%lluK$0x%llx, ARM: mem= or a no-map reserved-memory node)\n",
		       what, idx, name ? " " : "", name ?: "", phys, last,
		       size >> 10, phys);
		return -EINVAL;
	}
	return 0;
}

static int mmz_add_zone(const struct mmz_zone_spec *spec, int idx)
{
	struct mmz_kzone *kz;
	int ret;

	kz = kzalloc(sizeof(*kz), GFP_KERNEL);
	if (!kz)
		return -ENOMEM;
	ret = mmz_zone_init(&kz->z, spec->name, spec->phys, spec->size,
			    PAGE_SHIFT, &mmz_meta_ops);
	if (ret) {
		pr_err("zone %d \"%s\": cannot set up the zone (%d)\n",
		       idx + 1, spec->name, ret);
		goto err_free;
	}
	kz->z.gfp = spec->gfp;
	kz->z.alloc_type = spec->alloc_type;
	kz->z.block_align = spec->block_align;
	kz->index = idx;
	INIT_LIST_HEAD(&kz->dirty);
	if (mmz.cma) {
		ret = mmz_cma_zone_setup(kz);
		if (ret)
			goto err_destroy;
		goto done;
	}
	kz->res = request_mem_region(spec->phys, spec->size, "mmz");
	if (!kz->res) {
		pr_err("zone %d \"%s\": [mem 0x%llx-0x%llx] is claimed by another driver\n",
		       idx + 1, spec->name, spec->phys,
		       spec->phys + spec->size - 1);
		ret = -EBUSY;
		goto err_destroy;
	}
	if (mmz.prezero) {
		ret = mmz_prezero_zone_init(kz);
		if (ret) {
			pr_err("zone %d \"%s\": out of memory for the zone's metadata\n",
			       idx + 1, spec->name);
			mmz_prezero_zone_drop(kz);
			release_mem_region(spec->phys, spec->size);
			goto err_destroy;
		}
	}
done:
	mmz.zones[idx] = kz;
	mmz.nzones = idx + 1;
	return 0;

err_destroy:
	mmz_zone_destroy(&kz->z);
err_free:
	kfree(kz);
	return ret;
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
			const struct mmz_zone *z = &mmz.zones[j]->z;

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
			    mmz.cma ? MMZ_PARSE_CMA : 0, err, MMZ_ERR_LEN);
	if (n < 0) {
		pr_err("mmz=\"%.*s%s\": %s\n", MMZ_QUOTE_LEN, zone_spec,
		       strlen(zone_spec) > MMZ_QUOTE_LEN ? "..." : "", err);
		ret = -EINVAL;
		goto out;
	}
	if (n == 0) {
		if (mmz.cma)
			pr_err("no zones given: load with e.g. mmz=anonymous,0,0x88000000,384M mmz_allocator=cma (and cma=384M@0x88000000 on the kernel command line)\n");
		else
			pr_err("no zones given: load with e.g. mmz=anonymous,0,0x88000000,384M (and memmap=384M$0x88000000 on the x86 kernel command line)\n");
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
				      specs[i].phys, specs[i].size, mmz.cma);
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
		struct mmz_kzone *kz = mmz.zones[i];

		mmz_prezero_zone_drop(kz);
		WARN_ON(kz->z.nblocks);
		mmz_cma_zone_teardown(kz);
		mmz_zone_destroy(&kz->z);
		if (kz->res)
			release_mem_region(kz->z.base, kz->z.size);
		kfree(kz);
		mmz.zones[i] = NULL;
	}
	mmz.nzones = 0;
	mmz.nmaps = 0;
}

/* Is [@phys, @phys + @len) inside one zone? Zones are fixed after load. */
bool mmz_in_zone(u64 phys, u64 len)
{
	int i;

	for (i = 0; i < mmz.nzones; i++) {
		const struct mmz_zone *z = &mmz.zones[i]->z;

		if (phys >= z->base && phys - z->base < z->size &&
		    len <= z->size - (phys - z->base))
			return true;
	}
	return false;
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
