# SPDX-License-Identifier: (GPL-2.0 OR MIT)
# Build a vendor or OpenIPC driver against mmz.ko. In the driver's Kbuild
# (or kbuild Makefile), before its objects:
#
#   include /path/to/mmz/include/hisilicon/mmz.mk
#
# then make -C <kernel build dir> M=$PWD modules as usual. It puts
# osal_mmz.h on the include path and mmz.ko's Module.symvers into
# KBUILD_EXTRA_SYMBOLS, so modpost resolves the calls with their CRCs.
# MMZ_API=hil (the default) gives generation 2's header (hil_*),
# MMZ_API=ot generation 3's (ot_*); set it before the include.
# Build mmz.ko first (make -C /path/to/mmz/kernel KDIR=<kernel build dir>).
# MMZ_SYMVERS=<path> names a Module.symvers of mmz.ko built elsewhere.
MMZ_DIR ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
MMZ_SYMVERS ?= $(MMZ_DIR)/kernel/Module.symvers

MMZ_API ?= hil

ifeq ($(MMZ_API),ot)
ccflags-y += -I$(MMZ_DIR)/include/hisilicon/ot
else ifeq ($(MMZ_API),hil)
ccflags-y += -I$(MMZ_DIR)/include/hisilicon
else
$(error mmz.mk: MMZ_API=$(MMZ_API): use hil (generation 2) or ot (generation 3))
endif
KBUILD_EXTRA_SYMBOLS += $(MMZ_SYMVERS)

ifneq ($(KERNELRELEASE),)
ifeq ($(wildcard $(MMZ_SYMVERS)),)
$(warning mmz.mk: no $(MMZ_SYMVERS): build mmz.ko first, or modpost reports every $(MMZ_API)_* call undefined)
endif
$(info mmz.mk: hil_* and ot_* (osal_mmz.h, MMZ_API=$(MMZ_API)) are EXPORT_SYMBOL, for modules of any licence; mmz_* (kernel/mmz_kapi.h) are EXPORT_SYMBOL_GPL. See docs/KAPI.md)
endif
