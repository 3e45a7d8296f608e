// SPDX-License-Identifier: MIT
/* HI_MPI_SYS_* memory functions over libmmz (include/mmz/hi_mpi_sys.h). */
#include <errno.h>
#include <stddef.h>

#include "mmz/mmz.h"
#include "mmz/hi_mpi_sys.h"

#define HI_EXPORT __attribute__((visibility("default")))

static HI_S32 hi_err(int err)
{
	switch (err) {
	case 0:
		return HI_SUCCESS;
	case -EINVAL:
	case -ENAMETOOLONG:
	case -EOVERFLOW:
		return HI_ERR_SYS_ILLEGAL_PARAM;
	case -ENOMEM:
		return HI_ERR_SYS_NOMEM;
	case -ENOENT:
		return HI_ERR_SYS_UNEXIST;
	case -EPERM:
	case -EACCES:
		return HI_ERR_SYS_NOT_PERM;
	case -ENODEV:
		return HI_ERR_SYS_NOTREADY;
	case -EALREADY:
		return HI_ERR_SYS_BUSY;
	default:
		return HI_FAILURE;
	}
}

static HI_S32 hi_alloc(HI_U64 *phys, HI_VOID **virt, const HI_CHAR *mmb,
		       const HI_CHAR *zone, HI_U32 len, unsigned int flags)
{
	struct mmz_buf buf;
	int ret;

	if (!phys || !virt)
		return HI_ERR_SYS_NULL_PTR;
	ret = mmz_alloc_ex(NULL, len, 0, zone, mmb, flags, &buf);
	if (ret)
		return hi_err(ret);
	*phys = buf.phys;
	*virt = buf.virt;
	return HI_SUCCESS;
}

HI_EXPORT HI_S32 HI_MPI_SYS_MmzAlloc(HI_U64 *pu64PhyAddr, HI_VOID **ppVirAddr,
				     const HI_CHAR *strMmb,
				     const HI_CHAR *strZone, HI_U32 u32Len)
{
	return hi_alloc(pu64PhyAddr, ppVirAddr, strMmb, strZone, u32Len, 0);
}

HI_EXPORT HI_S32 HI_MPI_SYS_MmzAlloc_Cached(HI_U64 *pu64PhyAddr,
					    HI_VOID **ppVirAddr,
					    const HI_CHAR *strMmb,
					    const HI_CHAR *strZone,
					    HI_U32 u32Len)
{
	return hi_alloc(pu64PhyAddr, ppVirAddr, strMmb, strZone, u32Len,
			MMZ_ALLOC_F_CACHED);
}

HI_EXPORT HI_S32 HI_MPI_SYS_MmzFree(HI_U64 u64PhyAddr, HI_VOID *pVirAddr)
{
	struct mmz_buf buf = { .phys = u64PhyAddr, .virt = pVirAddr };
	int ret = mmz_free(NULL, &buf);

	return ret == -EBUSY ? HI_SUCCESS : hi_err(ret);
}

static HI_S32 hi_flush(HI_U64 phys, HI_VOID *virt, HI_U32 size)
{
	if (!virt)
		return hi_err(mmz_flush(NULL, phys, NULL, 0));
	if (!size)
		return HI_ERR_SYS_ILLEGAL_PARAM;
	return hi_err(mmz_flush(NULL, phys, virt, size));
}

HI_EXPORT HI_S32 HI_MPI_SYS_MmzFlushCache(HI_U64 u64PhyAddr, HI_VOID *pVirAddr,
					  HI_U32 u32Size)
{
	return hi_flush(u64PhyAddr, pVirAddr, u32Size);
}

HI_EXPORT HI_S32 HI_MPI_SYS_MflushCache(HI_U64 u64PhyAddr, HI_VOID *pVirAddr,
					HI_U32 u32Size)
{
	return hi_flush(u64PhyAddr, pVirAddr, u32Size);
}

static HI_VOID *hi_mmap(HI_U64 phys, HI_U32 size, int cached)
{
	void *p;

	return mmz_map(NULL, phys, size, cached, &p) ? NULL : p;
}

HI_EXPORT HI_VOID *HI_MPI_SYS_Mmap(HI_U64 u64PhyAddr, HI_U32 u32Size)
{
	return hi_mmap(u64PhyAddr, u32Size, 0);
}

HI_EXPORT HI_VOID *HI_MPI_SYS_MmapCache(HI_U64 u64PhyAddr, HI_U32 u32Size)
{
	return hi_mmap(u64PhyAddr, u32Size, 1);
}

HI_EXPORT HI_S32 HI_MPI_SYS_Munmap(HI_VOID *pVirAddr, HI_U32 u32Size)
{
	if (!pVirAddr)
		return HI_ERR_SYS_NULL_PTR;
	return hi_err(mmz_unmap(NULL, pVirAddr, u32Size));
}

HI_EXPORT HI_S32 HI_MPI_SYS_GetVirMemInfo(const HI_VOID *pVirAddr,
					  SYS_VIRMEM_INFO_S *pstMemInfo)
{
	uint64_t phys;
	int cached, ret;

	if (!pVirAddr || !pstMemInfo)
		return HI_ERR_SYS_NULL_PTR;
	ret = mmz_virt_to_phys(NULL, pVirAddr, &phys, &cached);
	if (ret)
		return hi_err(ret);
	pstMemInfo->u64PhyAddr = phys;
	pstMemInfo->bCached = cached ? HI_TRUE : HI_FALSE;
	return HI_SUCCESS;
}
