// SPDX-License-Identifier: GPL-2.0
/*
 * mmz: media memory zones, an open replacement for the HiSilicon MMZ
 * module (media-mem + /dev/mmz_userdev). Module parameters and life cycle.
 */
#define pr_fmt(fmt) "mmz: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include "mmz_priv.h"

static char *mmz_spec;
module_param_named(mmz, mmz_spec, charp, 0444);
MODULE_PARM_DESC(mmz, "zones: <name>,<gfp>,<phys>,<size>[,<alloc_type>[,<block_align>]][:...]");

static char *map_mmz;
module_param(map_mmz, charp, 0444);
MODULE_PARM_DESC(map_mmz, "mappable, never allocated ranges: <phys>,<size>[:...]");

static char *mmz_allocator = "hisi";
module_param(mmz_allocator, charp, 0444);
MODULE_PARM_DESC(mmz_allocator, "hisi (carve-out, default; ot is the same) or cma");

static int anony = 1;
module_param(anony, int, 0444);
MODULE_PARM_DESC(anony, "1: an empty zone name selects the zone \"anonymous\" (default 1)");

static int prezero = 1;
module_param(prezero, int, 0444);
MODULE_PARM_DESC(prezero, "carve-out: 1 zeroes freed blocks in the background, 0 zeroes each block when it is allocated (default 1)");

static int mmz_check_allocator(void)
{
	/* "ot": the generation-3 SDKs' name for the same allocator */
	if (!strcmp(mmz_allocator, "hisi") || !strcmp(mmz_allocator, "ot")) {
		mmz.be = &mmz_carveout_backend;
		return 0;
	}
	if (!strcmp(mmz_allocator, "cma")) {
		if (!IS_ENABLED(CONFIG_DMA_CMA)) {
			pr_err("mmz_allocator=cma: this kernel is built without CONFIG_DMA_CMA, so the DMA API cannot reach CMA; rebuild with CONFIG_CMA and CONFIG_DMA_CMA or use mmz_allocator=hisi with a carve-out\n");
			return -EINVAL;
		}
		mmz.be = &mmz_cma_backend;
		return 0;
	}
	pr_err("mmz_allocator=%s: unknown, use hisi (or ot) or cma\n", mmz_allocator);
	return -EINVAL;
}

static int __init mmz_init(void)
{
	int ret;

	ret = mmz_check_allocator();
	if (ret)
		return ret;
	mmz.anony = anony != 0;
	mmz.prezero = prezero && mmz.be->prezero;

	ret = mmz_zones_setup(mmz_spec, map_mmz);
	if (ret)
		return ret;
	ret = mmz_import_init();
	if (ret)
		goto err_zones;
	ret = mmz_proc_register();
	if (ret)
		goto err_import;
	ret = mmz_userdev_register();
	if (ret)
		goto err_proc;

	mmz_prezero_start();
	pr_info("%d zone(s), %d map range(s), allocator %s%s, /dev/%s\n",
		mmz.nzones, mmz.nmaps, mmz.be->name,
		mmz.prezero ? " (prezero)" : "", MMZ_DEV_NAME);
	return 0;

err_proc:
	mmz_proc_unregister();
err_import:
	mmz_import_exit();
err_zones:
	mmz_zones_teardown();
	return ret;
}

static void __exit mmz_exit(void)
{
	mmz_userdev_unregister();
	mmz_proc_unregister();
	mmz_prezero_stop();
	mutex_lock(&mmz.lock);
	mmz_block_free_all();
	mutex_unlock(&mmz.lock);
	mmz_hil_exit();
	mmz_import_exit();
	mmz_handle_table_destroy();
	mmz_zones_teardown();
}

module_init(mmz_init);
module_exit(mmz_exit);

MODULE_DESCRIPTION("Media memory zones: carve-out and CMA allocators, /dev/mmz_userdev, /proc/media-mem");
MODULE_LICENSE("GPL");
