// SPDX-License-Identifier: GPL-2.0
/* The OS-free allocator core, compiled into the module. */
#include "../core/mmz_pool.c"
