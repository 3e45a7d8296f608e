// SPDX-License-Identifier: MIT
/*
 * The HI_MPI_SYS_* compatibility layer: alloc, cached alloc, GetVirMemInfo,
 * flushes, a second process mapping the blocks by physical address
 * (Mmap / MmapCache), free, and the error codes.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mmz/hi_mpi_sys.h"
#include "mmzt.h"

#define LEN	(256u << 10)
#define CLEN	(64u << 10)
#define FREE_PHYS 0x35f00000ULL

static int child(HI_U64 phys, HI_U64 cphys)
{
	SYS_VIRMEM_INFO_S vi;
	unsigned char *p, *q;
	HI_U32 i;

	t_checks = t_failures = 0;	/* count only the child's own checks */
	p = HI_MPI_SYS_Mmap(phys, LEN);
	T_CHECK(p != NULL, "child: HI_MPI_SYS_Mmap");
	if (p) {
		for (i = 0; i < LEN; i += 4096)
			T_CHECK(p[i] == (unsigned char)(i >> 12), "child: data at %u", i);
		T_EQ(HI_MPI_SYS_GetVirMemInfo(p + 100, &vi), HI_SUCCESS);
		T_EQ(vi.u64PhyAddr, phys + 100);
		T_EQ(vi.bCached, HI_FALSE);
		T_EQ(HI_MPI_SYS_Munmap(p, LEN), HI_SUCCESS);
	}
	q = HI_MPI_SYS_MmapCache(cphys + 4096, 4096);
	T_CHECK(q != NULL, "child: HI_MPI_SYS_MmapCache");
	if (q) {
		T_EQ(q[0], 0xc5);
		T_EQ(HI_MPI_SYS_GetVirMemInfo(q, &vi), HI_SUCCESS);
		T_EQ(vi.u64PhyAddr, cphys + 4096);
		T_EQ(vi.bCached, HI_TRUE);
		memset(q, 0x7e, 4096);
		T_EQ(HI_MPI_SYS_MflushCache(cphys + 4096, q, 4096), HI_SUCCESS);
		T_EQ(HI_MPI_SYS_Munmap(q, 4096), HI_SUCCESS);
	}
	/* only the owner frees */
	T_EQ(HI_MPI_SYS_MmzFree(phys, NULL), HI_ERR_SYS_NOT_PERM);
	return t_result("hisi child");
}

int main(void)
{
	HI_U64 phys = 0, cphys = 0, x;
	HI_VOID *virt = NULL, *cvirt = NULL, *v;
	SYS_VIRMEM_INFO_S vi;
	pid_t pid;
	int st;
	HI_U32 i;

	/* the SDK's error code values */
	T_EQ((HI_U32)HI_ERR_SYS_NULL_PTR, 0xA0028006u);
	T_EQ((HI_U32)HI_ERR_SYS_NOMEM, 0xA002800Cu);
	T_EQ((HI_U32)HI_ERR_SYS_ILLEGAL_PARAM, 0xA0028003u);
	T_EQ(offsetof(SYS_VIRMEM_INFO_S, bCached), 8);

	T_EQ(HI_MPI_SYS_MmzAlloc(&phys, &virt, "hisi", NULL, LEN), HI_SUCCESS);
	T_CHECK(virt != NULL, "MmzAlloc maps");
	T_EQ(HI_MPI_SYS_MmzAlloc_Cached(&cphys, &cvirt, "hisi-c", "second", CLEN), HI_SUCCESS);
	T_CHECK(cvirt != NULL, "MmzAlloc_Cached maps");
	T_CHECK(cphys >= 0x36000000ULL && cphys < 0x38000000ULL, "cached block in zone second");
	if (!virt || !cvirt)
		return t_result("hisi");
	for (i = 0; i < LEN; i += 4096)
		((unsigned char *)virt)[i] = (unsigned char)(i >> 12);
	memset(cvirt, 0xc5, CLEN);

	T_EQ(HI_MPI_SYS_GetVirMemInfo((char *)virt + 123, &vi), HI_SUCCESS);
	T_EQ(vi.u64PhyAddr, phys + 123);
	T_EQ(vi.bCached, HI_FALSE);
	T_EQ(HI_MPI_SYS_GetVirMemInfo((char *)cvirt + CLEN - 1, &vi), HI_SUCCESS);
	T_EQ(vi.u64PhyAddr, cphys + CLEN - 1);
	T_EQ(vi.bCached, HI_TRUE);
	T_EQ(HI_MPI_SYS_MmzFlushCache(cphys, cvirt, CLEN), HI_SUCCESS);
	T_EQ(HI_MPI_SYS_MmzFlushCache(cphys + 8192, (char *)cvirt + 8192, 4096), HI_SUCCESS);
	T_EQ(HI_MPI_SYS_MmzFlushCache(cphys, NULL, 0), HI_SUCCESS);
	T_EQ(HI_MPI_SYS_MmzFlushCache(0, NULL, 0), HI_SUCCESS);
	T_EQ(HI_MPI_SYS_MmzFlushCache(cphys, (char *)cvirt + 4096, 4096), HI_ERR_SYS_ILLEGAL_PARAM);
	T_EQ(HI_MPI_SYS_MmzFlushCache(cphys, cvirt, 0), HI_ERR_SYS_ILLEGAL_PARAM);

	/* a second process maps both blocks by physical address */
	fflush(stderr);
	pid = fork();
	if (pid == 0)
		_exit(child(phys, cphys));
	T_CHECK(pid > 0, "fork");
	if (pid > 0) {
		waitpid(pid, &st, 0);
		T_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child process checks");
		T_EQ(((unsigned char *)cvirt)[4096], 0x7e);
		T_EQ(((unsigned char *)cvirt)[0], 0xc5);
	}

	/* refusals */
	T_EQ(HI_MPI_SYS_MmzAlloc(NULL, &v, "x", NULL, 4096), HI_ERR_SYS_NULL_PTR);
	T_EQ(HI_MPI_SYS_MmzAlloc(&x, NULL, "x", NULL, 4096), HI_ERR_SYS_NULL_PTR);
	T_EQ(HI_MPI_SYS_MmzAlloc(&x, &v, "x", NULL, 0), HI_ERR_SYS_ILLEGAL_PARAM);
	T_EQ(HI_MPI_SYS_MmzAlloc(&x, &v, "x", "nope", 4096), HI_ERR_SYS_UNEXIST);
	T_EQ(HI_MPI_SYS_MmzAlloc(&x, &v, "x", NULL, 1u << 30), HI_ERR_SYS_NOMEM);
	T_EQ(HI_MPI_SYS_MmzAlloc(&x, &v, "name-too-long-for-mmb", NULL, 4096), HI_ERR_SYS_ILLEGAL_PARAM);
	T_CHECK(HI_MPI_SYS_Mmap(FREE_PHYS, 4096) == NULL, "Mmap outside blocks is NULL");
	T_CHECK(HI_MPI_SYS_MmapCache(phys, 0) == NULL, "Mmap of 0 bytes is NULL");
	T_EQ(HI_MPI_SYS_GetVirMemInfo(&vi, &vi), HI_ERR_SYS_UNEXIST);
	T_EQ(HI_MPI_SYS_GetVirMemInfo(virt, NULL), HI_ERR_SYS_NULL_PTR);
	T_EQ(HI_MPI_SYS_Munmap(NULL, 4096), HI_ERR_SYS_NULL_PTR);

	T_EQ(HI_MPI_SYS_MmzFree(phys, virt), HI_SUCCESS);
	T_EQ(HI_MPI_SYS_MmzFree(phys, NULL), HI_ERR_SYS_UNEXIST);
	T_EQ(HI_MPI_SYS_MmzFree(cphys, cvirt), HI_SUCCESS);
	T_CHECK(HI_MPI_SYS_Mmap(cphys, 4096) == NULL, "freed block cannot be mapped");
	return t_result("hisi");
}
