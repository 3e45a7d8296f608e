/* SPDX-License-Identifier: MIT */
/*
 * HiSilicon MPI SYS memory functions (HI_MPI_SYS_Mmz*, Mmap, ...) over
 * libmmz, for programs written against the vendor SDK. Link -lmmz_hisi.
 *
 * Every function uses libmmz's process-wide default handle (opened on the
 * first call; no HI_MPI_SYS_Init needed). Blocks belong to the process and
 * are freed by the kernel when it exits.
 *
 * Return values: HI_SUCCESS, or one of the HI_ERR_SYS_* codes below
 * (built like the SDK's: 0xA0000000 | module 2 << 16 | level 4 << 13 |
 * code), mapped from the errno of the kernel:
 *   EINVAL, ENAMETOOLONG, EOVERFLOW -> HI_ERR_SYS_ILLEGAL_PARAM
 *   (null pointer arguments)       -> HI_ERR_SYS_NULL_PTR
 *   ENOMEM                          -> HI_ERR_SYS_NOMEM
 *   ENOENT                          -> HI_ERR_SYS_UNEXIST (no zone / block)
 *   EPERM, EACCES                   -> HI_ERR_SYS_NOT_PERM
 *   ENODEV                          -> HI_ERR_SYS_NOTREADY (no module)
 *   EALREADY                        -> HI_ERR_SYS_BUSY
 *   anything else                   -> HI_FAILURE
 * HI_MPI_SYS_MmzFree of a block another process still maps or references
 * returns HI_SUCCESS: the block is freed when the last user lets go.
 * HI_MPI_SYS_Mmap/MmapCache return NULL on failure.
 */
#ifndef MMZ_HI_MPI_SYS_H
#define MMZ_HI_MPI_SYS_H

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(MMZ_HI_TYPES_DEFINED) && !defined(__HI_TYPE_H__)
#define MMZ_HI_TYPES_DEFINED
typedef unsigned char HI_U8;
typedef unsigned short HI_U16;
typedef unsigned int HI_U32;
typedef unsigned long long HI_U64;
typedef signed char HI_S8;
typedef short HI_S16;
typedef int HI_S32;
typedef long long HI_S64;
typedef char HI_CHAR;
typedef void HI_VOID;
typedef enum {
	HI_FALSE = 0,
	HI_TRUE = 1,
} HI_BOOL;
#define HI_SUCCESS	0
#define HI_FAILURE	(-1)
#endif

#define MMZ_HI_ERR(code)	((HI_S32)(0xA0000000u | (2u << 16) | (4u << 13) | (code)))
#define HI_ERR_SYS_ILLEGAL_PARAM	MMZ_HI_ERR(3)	/* 0xA0028003 */
#define HI_ERR_SYS_UNEXIST		MMZ_HI_ERR(5)	/* 0xA0028005 */
#define HI_ERR_SYS_NULL_PTR		MMZ_HI_ERR(6)	/* 0xA0028006 */
#define HI_ERR_SYS_NOT_PERM		MMZ_HI_ERR(9)	/* 0xA0028009 */
#define HI_ERR_SYS_NOMEM		MMZ_HI_ERR(12)	/* 0xA002800C */
#define HI_ERR_SYS_NOTREADY		MMZ_HI_ERR(16)	/* 0xA0028010 */
#define HI_ERR_SYS_BUSY			MMZ_HI_ERR(18)	/* 0xA0028012 */

typedef struct {
	HI_U64 u64PhyAddr;
	HI_BOOL bCached;
} SYS_VIRMEM_INFO_S;

/* Allocate @u32Len bytes named @strMmb in zone @strZone (NULL: anonymous),
 * mapped write-combine; physical and virtual address out. */
HI_S32 HI_MPI_SYS_MmzAlloc(HI_U64 *pu64PhyAddr, HI_VOID **ppVirAddr,
			   const HI_CHAR *strMmb, const HI_CHAR *strZone,
			   HI_U32 u32Len);
/* As HI_MPI_SYS_MmzAlloc, mapped cached. */
HI_S32 HI_MPI_SYS_MmzAlloc_Cached(HI_U64 *pu64PhyAddr, HI_VOID **ppVirAddr,
				  const HI_CHAR *strMmb, const HI_CHAR *strZone,
				  HI_U32 u32Len);
/* Unmap (@pVirAddr from MmzAlloc, or NULL) and free the block. */
HI_S32 HI_MPI_SYS_MmzFree(HI_U64 u64PhyAddr, HI_VOID *pVirAddr);
/* Flush the cache of a range of a block mapped by MmzAlloc_Cached;
 * @pVirAddr NULL: the whole block holding @u64PhyAddr; both 0: all. */
HI_S32 HI_MPI_SYS_MmzFlushCache(HI_U64 u64PhyAddr, HI_VOID *pVirAddr,
				HI_U32 u32Size);
/* Map [@u64PhyAddr, + @u32Size) of a live block, write-combine; NULL on
 * failure. */
HI_VOID *HI_MPI_SYS_Mmap(HI_U64 u64PhyAddr, HI_U32 u32Size);
/* As HI_MPI_SYS_Mmap, cached. */
HI_VOID *HI_MPI_SYS_MmapCache(HI_U64 u64PhyAddr, HI_U32 u32Size);
/* Undo HI_MPI_SYS_Mmap/MmapCache (same address and size). */
HI_S32 HI_MPI_SYS_Munmap(HI_VOID *pVirAddr, HI_U32 u32Size);
/* Flush the cache of a range mapped by HI_MPI_SYS_MmapCache. */
HI_S32 HI_MPI_SYS_MflushCache(HI_U64 u64PhyAddr, HI_VOID *pVirAddr,
			      HI_U32 u32Size);
/* Physical address and cached flag of any byte of an mmz mapping. */
HI_S32 HI_MPI_SYS_GetVirMemInfo(const HI_VOID *pVirAddr,
				SYS_VIRMEM_INFO_S *pstMemInfo);

#ifdef __cplusplus
}
#endif
#endif /* MMZ_HI_MPI_SYS_H */
