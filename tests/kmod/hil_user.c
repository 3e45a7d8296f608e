/* SPDX-License-Identifier: MIT */
/*
 * hil_user <phys> <len> <zone>: the user-space half of tests/kmod. Block
 * "hc_user", which hil_client.ko allocated through the hil_* API and filled
 * with byte i = (i * 7 + 3) & 0xff, is an ordinary block to user space: ATTR
 * names it, /proc/media-mem lists it, mmap by its physical address shows the
 * kernel's bytes. The program writes byte i = (i * 11 + 5) & 0xff into the
 * second half, flushes it, and while still mapping the block writes the
 * mapping's address to hil_client's parameter "verify": the module checks
 * the bytes and the address (usr_virt_to_phys) in this process's context.
 * Root maps any block (CAP_SYS_RAWIO), so the kernel's block needs no grant.
 */
#include "../vm/mmztest.h"

#define VERIFY	"/sys/module/hil_client/parameters/verify"

static unsigned char kernel_pat(unsigned long i)
{
	return (i * 7 + 3) & 0xff;
}

static unsigned char user_pat(unsigned long i)
{
	return (i * 11 + 5) & 0xff;
}

/* The module's check 17 runs in this write. */
static int trigger_verify(const void *va)
{
	char buf[32];
	int fd = open(VERIFY, O_WRONLY | O_CLOEXEC), n, ret = 0;

	if (fd < 0)
		return -errno;
	n = snprintf(buf, sizeof(buf), "0x%lx\n", (unsigned long)va);
	if (write(fd, buf, n) != n)
		ret = -errno;
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	unsigned long phys, len, i, half;
	struct mmb_info mi;
	unsigned char *va;
	void *p = NULL;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: %s <phys> <len> <zone>\n", argv[0]);
		return T_EXIT_FAIL;
	}
	phys = strtoul(argv[1], NULL, 0);
	len = strtoul(argv[2], NULL, 0);
	half = len / 2;
	if (!T_TRUE(phys && len >= 2 * T_PAGE,
		    "no block from hil_client (user_phys 0x%lx, user_len %lu)",
		    phys, len))
		return t_result();
	fd = t_open(0);

	/* the kernel's block, as user space sees any block */
	if (T_OK(t_attr(fd, phys, &mi))) {
		T_EQ(mi.phys_addr, phys);
		T_EQ(mi.size, len);
		T_TRUE(!strcmp(mi.mmb_name, "hc_user"), "ATTR name \"%.16s\"",
		       mi.mmb_name);
		T_TRUE(!strcmp(mi.mmz_name, argv[3]), "ATTR zone \"%.32s\"",
		       mi.mmz_name);
	}
	T_PROC_BLOCK(phys, 1);

	if (!T_OK(t_mmap(fd, phys, len, &p)))
		goto out;
	va = p;
	for (i = 0; i < len; i++) {
		if (va[i] != kernel_pat(i)) {
			t_fail("byte %lu is 0x%02x, the kernel wrote 0x%02x",
			       i, va[i], kernel_pat(i));
			break;
		}
	}
	/*
	 * Bit 0 of VIRT_GET_PHYS: cached, as a plain mmap of a block this fd
	 * did not allocate is (and on x86 as the kernel's mapping, the first)
	 */
	if (T_OK(t_virt2phys(fd, va + half, &mi)))
		T_EQ(mi.phys_addr, (phys + half) | 1);

	for (i = half; i < len; i++)
		va[i] = user_pat(i);
	T_OK(t_flush_dirty(fd, phys + half, va + half, len - half));
	T_OK(trigger_verify(va));
	T_OK(munmap(va, len) ? -errno : 0);
out:
	close(fd);
	return t_result();
}
