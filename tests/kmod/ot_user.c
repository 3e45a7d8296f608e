/* SPDX-License-Identifier: MIT */
/*
 * ot_user <phys> <len>: block "oc_konly", which ot_client.ko allocated
 * with kernel_only set, is refused to user space, root included: mmap by
 * its physical address, REMAP in both cache modes, ADD_REF and
 * FLUSH_DCACHE by address all answer EACCES (docs/KAPI.md, "Generation 3"). ATTR
 * still describes it, as it describes any block.
 */
#include "../vm/mmztest.h"

int main(int argc, char **argv)
{
	unsigned long phys, len;
	struct mmb_info mi;
	void *p = NULL;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <phys> <len>\n", argv[0]);
		return T_EXIT_FAIL;
	}
	phys = strtoul(argv[1], NULL, 0);
	len = strtoul(argv[2], NULL, 0);
	if (!T_TRUE(phys && len, "no block from ot_client (konly_phys 0x%lx)",
		    phys))
		return t_result();
	fd = t_open(0);
	if (T_OK(t_attr(fd, phys, &mi)))
		T_TRUE(!strcmp(mi.mmb_name, "oc_konly"), "ATTR name \"%.16s\"",
		       mi.mmb_name);
	T_ERR(t_mmap(fd, phys, len, &p), EACCES);
	T_ERR(t_remap(fd, phys, 0, &p), EACCES);
	T_ERR(t_remap(fd, phys, 1, &p), EACCES);
	T_ERR(t_ioctl_val(fd, IOC_MMB_ADD_REF, phys), EACCES);
	T_ERR(t_ioctl_val(fd, IOC_MMB_FLUSH_DCACHE, phys), EACCES);
	close(fd);
	return t_result();
}
