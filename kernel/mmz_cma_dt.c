// SPDX-License-Identifier: GPL-2.0
/*
 * The device-tree binding of the CMA back end: a zone can take its memory
 * from a CMA area of its own instead of the default one. A node
 *
 *	mmz-anonymous {
 *		compatible = "mmz,zone";
 *		mmz,zone-name = "anonymous";
 *		memory-region = <&pool>;	// reusable shared-dma-pool
 *	};
 *
 * binds the zone's device to that reserved-memory region with
 * of_reserved_mem_device_init_by_idx(), which sets dev->cma_area; the zone
 * must then lie inside the region. Without such a node nothing changes.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/of.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>

#include "mmz_priv.h"
#include "mmz_compat.h"

#define MMZ_DT_COMPATIBLE	"mmz,zone"

/* The available "mmz,zone" node naming zone @name (a reference), or NULL. */
struct device_node *mmz_dt_zone_node(const char *name)
{
	struct device_node *np;
	const char *zn;

	if (!IS_ENABLED(CONFIG_OF_RESERVED_MEM))
		return NULL;
	for_each_compatible_node(np, NULL, MMZ_DT_COMPATIBLE)
		if (of_device_is_available(np) &&
		    !of_property_read_string(np, "mmz,zone-name", &zn) &&
		    !strcmp(zn, name))
			return np;	/* the iterator's reference is ours */
	return NULL;
}

/*
 * The memory-region of @np must be a CMA area (a reusable shared-dma-pool;
 * a plain one is a coherent pool without struct pages for CMA) and hold the
 * whole zone. Checked before binding, so each refusal names the region.
 */
int mmz_dt_check(struct mmz_kzone *kz, struct device_node *np,
			struct reserved_mem **out)
{
	u64 base = kz->z.base, last = kz->z.base + kz->z.size - 1;
	struct reserved_mem *rmem = NULL;
	struct device_node *rn;
	int ret = -EINVAL;

	rn = of_parse_phandle(np, "memory-region", 0);
	if (!rn) {
		pr_err("zone %u \"%s\": DT node %pOF has no memory-region phandle\n",
		       kz->index + 1, kz->z.name, np);
		return -EINVAL;
	}
	if (of_device_is_compatible(rn, "shared-dma-pool") &&
	    of_property_read_bool(rn, "reusable") &&
	    !of_property_read_bool(rn, "no-map") &&
	    of_device_is_available(rn))
		rmem = of_reserved_mem_lookup(rn);
	if (!rmem)
		pr_err("zone %u \"%s\": DT memory-region %pOF of %pOF is not a CMA area (needs compatible = \"shared-dma-pool\" and reusable)\n",
		       kz->index + 1, kz->z.name, rn, np);
	else if (base < rmem->base || last > rmem->base + rmem->size - 1)
		pr_err("zone %u \"%s\": [mem 0x%llx-0x%llx] is not inside DT memory-region %pOF [mem 0x%llx-0x%llx]\n",
		       kz->index + 1, kz->z.name, base, last, rn,
		       (u64)rmem->base, (u64)rmem->base + rmem->size - 1);
	else
		ret = 0;
	*out = rmem;
	of_node_put(rn);
	return ret;
}

/* Points the zone's device at the CMA area of @np's memory-region. */
int mmz_dt_bind(struct mmz_kzone *kz, struct device_node *np)
{
	struct device *dev = &kz->pdev->dev;
	int ret;

	ret = of_reserved_mem_device_init_by_idx(dev, np, 0);
	/* 0 without a binding when the region is disabled; a coherent pool
	 * sets dev->dma_mem instead: only dev->cma_area says it worked
	 */
	if (!ret && !mmz_dev_cma_area(dev)) {
		of_reserved_mem_device_release(dev);
		ret = -EINVAL;
	}
	if (ret)
		pr_err("zone %u \"%s\": cannot bind its device to the CMA area of DT node %pOF (%d)\n",
		       kz->index + 1, kz->z.name, np, ret);
	return ret;
}

