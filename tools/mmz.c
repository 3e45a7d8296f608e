// SPDX-License-Identifier: MIT
/*
 * mmz - inspect and exercise media memory zones through libmmz.
 * `mmz --help` for the commands. Exit status: 0 ok, 1 failure, 2 usage or
 * module not loaded.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mmz/mmz.h"
#include "fmt.h"

#define EXIT_USAGE 2

static const char usage_text[] =
"usage: mmz [--no-extensions] <command> [options]\n"
"\n"
"commands:\n"
"  zones [--json]             list the zones\n"
"  ls [--json]                list the blocks: zone, name, physical range, size,\n"
"                             owner pid, map and reference counts\n"
"  stat [--json]              per zone: total, used, free, largest free extent,\n"
"                             fragmentation (1 - largest free / free)\n"
"  alloc <size> [--zone Z] [--name N] [--align A] [--hold SECONDS]\n"
"                             allocate a block and print its physical address.\n"
"                             A block belongs to the process that allocated it\n"
"                             and is freed when that process exits: without\n"
"                             --hold it is freed as soon as mmz exits. With\n"
"                             --hold, mmz keeps it for SECONDS (0 = until\n"
"                             SIGTERM/SIGINT or `mmz free`), then frees it.\n"
"  free <phys>                free a block held by `mmz alloc --hold` (signals\n"
"                             that process); other processes' blocks can only be\n"
"                             freed by their owner (EPERM)\n"
"  fill <size> [--zone Z]     allocate <size> blocks until the zone is full,\n"
"                             report count and bytes, free them\n"
"  bench [--size S] [--iterations N] [--zone Z] [--cached]\n"
"                             time alloc+map+touch+unmap+free: p50, p99\n"
"  check                      run the module's allocator consistency check\n"
"                             (root); exit 1 when it finds a violation\n"
"  version                    tool, library and module versions\n"
"\n"
"sizes: 4096, 0x1000, 64K, 1M, 2G. --no-extensions reads zones and blocks\n"
"from /proc/media-mem even when the module has the mmz extension ioctls.\n"
"MMZ_DEVICE overrides the device node (default " MMZ_DEFAULT_DEVICE ").\n";

static const char *device;
static unsigned int open_flags;

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void usage_err(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void usage_err(const char *fmt, ...)
{
	va_list ap;

	fputs("mmz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (mmz --help)\n", stderr);
	exit(EXIT_USAGE);
}

/* "mmz: <what>: <strerror>"; returns 1 */
static int fail(const char *fmt, ...)
{
	va_list ap;

	fputs("mmz: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static mmz_t *open_or_exit(void)
{
	mmz_t *h;
	int ret = mmz_open_ex(device, open_flags, &h);

	if (ret == -ENODEV) {
		fprintf(stderr,
			"mmz: %s: the mmz module is not loaded: %s\n"
			"Load it with zones over memory the kernel does not use, e.g.\n"
			"    insmod mmz.ko mmz=anonymous,0,0x88000000,384M\n"
			"with the memory reserved on the kernel command line, e.g.\n"
			"    memmap=384M$0x88000000   (x86; ARM: mem= or a no-map reserved-memory node)\n",
			device, strerror(ENOENT));
		exit(EXIT_USAGE);
	}
	if (ret) {
		fail("%s: %s", device, mmz_strerror(ret));
		exit(1);
	}
	return h;
}

static uint64_t size_arg(const char *opt, const char *s)
{
	uint64_t v;

	if (!s)
		usage_err("%s needs a value", opt);
	if (fmt_parse_size(s, &v))
		usage_err("%s: not a size: \"%s\"", opt, s);
	return v;
}

static void json_str(const char *s)
{
	char buf[256];

	fmt_json_escape(buf, sizeof(buf), s);
	printf("\"%s\"", buf);
}

static int want_json(int argc, char **argv)
{
	int i, json = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else
			usage_err("unexpected argument \"%s\"", argv[i]);
	}
	return json;
}

/* all zones into a malloc'ed array */
static int get_zones(mmz_t *h, struct mmz_zone **zones, unsigned int *n)
{
	struct mmz_zone *z = NULL;
	unsigned int i;
	int ret;

	for (i = 0;; i++) {
		struct mmz_zone *nz = realloc(z, (i + 1) * sizeof(*z));

		if (!nz) {
			free(z);
			return -ENOMEM;
		}
		z = nz;
		ret = mmz_zone_info(h, i, &z[i]);
		if (ret == -ENOENT)
			break;
		if (ret) {
			free(z);
			return ret;
		}
	}
	*zones = z;
	*n = i;
	return 0;
}

static int cmd_zones(mmz_t *h, int argc, char **argv)
{
	int json = want_json(argc, argv);
	struct mmz_zone *z;
	unsigned int n, i;
	char s1[32], s2[32], s3[32];
	int ret = get_zones(h, &z, &n);

	if (ret)
		return fail("zones: %s", mmz_strerror(ret));
	if (json)
		printf("{\"zones\": [");
	else
		printf("%-3s %-20s %-25s %11s %11s %11s %6s\n", "#", "NAME",
		       "PHYS", "SIZE", "USED", "FREE", "BLOCKS");
	for (i = 0; i < n; i++) {
		if (json) {
			printf("%s\n  {\"index\": %u, \"name\": ", i ? "," : "", z[i].index);
			json_str(z[i].name);
			printf(", \"phys\": %" PRIu64 ", \"phys_hex\": \"0x%08" PRIx64
			       "\", \"size\": %" PRIu64 ", \"used\": %" PRIu64
			       ", \"free\": %" PRIu64 ", \"blocks\": %u, \"gfp\": %" PRIu64 "}",
			       z[i].phys, z[i].phys, z[i].size, z[i].used,
			       z[i].size - z[i].used, z[i].blocks, z[i].gfp);
		} else {
			char range[40];

			snprintf(range, sizeof(range), "0x%08" PRIx64 "-0x%08" PRIx64,
				 z[i].phys, z[i].phys + z[i].size - 1);
			printf("%-3u %-20s %-25s %11s %11s %11s %6u\n", z[i].index,
			       z[i].name, range, fmt_size(z[i].size, s1, sizeof(s1)),
			       fmt_size(z[i].used, s2, sizeof(s2)),
			       fmt_size(z[i].size - z[i].used, s3, sizeof(s3)),
			       z[i].blocks);
		}
	}
	if (json)
		printf("%s]}\n", n ? "\n" : "");
	free(z);
	return 0;
}

static void print_count(int v, int json)
{
	if (v >= 0)
		printf(json ? "%d" : "%5d", v);
	else
		printf(json ? "null" : "%5s", "-");
}

static int cmd_ls(mmz_t *h, int argc, char **argv)
{
	int json = want_json(argc, argv);
	struct mmz_module_info mi;
	struct mmz_zone *z;
	struct mmz_block b;
	unsigned int nz, nb = 0;
	uint64_t from = 0;
	char s1[32];
	int ret = get_zones(h, &z, &nz);

	if (ret)
		return fail("ls: %s", mmz_strerror(ret));
	mmz_module_info(h, &mi);
	if (json)
		printf("{\"source\": \"%s\", \"blocks\": [",
		       mi.extensions && !(open_flags & MMZ_OPEN_NO_EXTENSIONS) ?
		       "ioctl" : "/proc/media-mem");
	else
		printf("%-16s %-16s %-23s %10s %7s %5s %5s %s\n", "ZONE", "NAME",
		       "PHYS", "SIZE", "PID", "MAPS", "REFS", "FLAGS");
	while ((ret = mmz_block_info(h, from, &b)) == 0) {
		const char *zn = b.zone_index < nz ? z[b.zone_index].name :
				 b.zone_index == UINT32_MAX ? "(dma-buf)" : "?";

		if (json) {
			printf("%s\n  {\"zone\": ", nb ? "," : "");
			json_str(zn);
			printf(", \"zone_index\": %u, \"name\": ", b.zone_index);
			json_str(b.name);
			printf(", \"phys\": %" PRIu64 ", \"phys_hex\": \"0x%08" PRIx64
			       "\", \"phys_end_hex\": \"0x%08" PRIx64 "\", \"size\": %" PRIu64
			       ", \"owner_pid\": ", b.phys, b.phys,
			       b.phys + b.size - 1, b.size);
			print_count(b.owner_pid, 1);
			printf(", \"map_count\": ");
			print_count(b.map_count, 1);
			printf(", \"ref_count\": ");
			print_count(b.ref_count, 1);
			printf(", \"delayed_free\": %s, \"cached\": %s, \"exported\": %s}",
			       b.flags & MMZ_BLK_DELAYED_FREE ? "true" : "false",
			       b.flags & MMZ_BLK_CACHED ? "true" : "false",
			       b.flags & MMZ_BLK_EXPORTED ? "true" : "false");
		} else {
			char range[40];
			char pid[16];

			snprintf(range, sizeof(range), "0x%08" PRIx64 "-0x%08" PRIx64,
				 b.phys, b.phys + b.size - 1);
			if (b.owner_pid > 0)
				snprintf(pid, sizeof(pid), "%d", b.owner_pid);
			else
				snprintf(pid, sizeof(pid), "%s", b.owner_pid == 0 ? "kernel" : "-");
			printf("%-16s %-16s %-23s %10s %7s ", zn,
			       b.name[0] ? b.name : "-", range,
			       fmt_size(b.size, s1, sizeof(s1)), pid);
			print_count(b.map_count, 0);
			putchar(' ');
			print_count(b.ref_count, 0);
			printf(" %s%s%s%s\n",
			       b.flags & MMZ_BLK_DELAYED_FREE ? "delayed-free " : "",
			       b.flags & MMZ_BLK_EXPORTED ? "dma-buf " : "",
			       b.flags & MMZ_BLK_CACHED ? "cached" : "",
			       b.flags ? "" : "-");
		}
		nb++;
		from = b.phys + b.size;
		if (from < b.phys)
			break;
	}
	free(z);
	if (json)
		printf("%s]}\n", nb ? "\n" : "");
	if (ret && ret != -ENOENT)
		return fail("ls: %s", mmz_strerror(ret));
	return 0;
}

static int cmd_stat(mmz_t *h, int argc, char **argv)
{
	int json = want_json(argc, argv);
	struct mmz_zone *z;
	unsigned int n, i;
	char s1[32], s2[32], s3[32], s4[32];
	int ret = get_zones(h, &z, &n);

	if (ret)
		return fail("stat: %s", mmz_strerror(ret));
	if (json)
		printf("{\"zones\": [");
	else
		printf("%-20s %11s %11s %11s %13s %6s %6s %7s\n", "ZONE", "TOTAL",
		       "USED", "FREE", "LARGEST-FREE", "FRAG", "BLOCKS", "EXTENTS");
	for (i = 0; i < n; i++) {
		uint64_t fr = z[i].size - z[i].used;
		double frag = fr ? 1.0 - (double)z[i].largest_free / (double)fr : 0.0;

		if (json) {
			printf("%s\n  {\"name\": ", i ? "," : "");
			json_str(z[i].name);
			printf(", \"total\": %" PRIu64 ", \"used\": %" PRIu64
			       ", \"free\": %" PRIu64 ", \"largest_free\": %" PRIu64
			       ", \"fragmentation\": %.4f, \"blocks\": %u, \"free_extents\": %u}",
			       z[i].size, z[i].used, fr, z[i].largest_free, frag,
			       z[i].blocks, z[i].free_extents);
		} else {
			printf("%-20s %11s %11s %11s %13s %5.1f%% %6u %7u\n", z[i].name,
			       fmt_size(z[i].size, s1, sizeof(s1)),
			       fmt_size(z[i].used, s2, sizeof(s2)),
			       fmt_size(fr, s3, sizeof(s3)),
			       fmt_size(z[i].largest_free, s4, sizeof(s4)),
			       100.0 * frag, z[i].blocks, z[i].free_extents);
		}
	}
	if (json)
		printf("%s]}\n", n ? "\n" : "");
	free(z);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int cmd_alloc(mmz_t *h, int argc, char **argv)
{
	const char *zone = NULL, *name = "mmz-cli";
	uint64_t size = 0, align = 0, hold = 0;
	int have_size = 0, holding = 0, i, ret;
	struct mmz_buf buf;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--zone"))
			zone = argv[++i];
		else if (!strcmp(argv[i], "--name"))
			name = argv[++i];
		else if (!strcmp(argv[i], "--align")) {
			align = size_arg("--align", argv[i + 1]);
			i++;
		} else if (!strcmp(argv[i], "--hold")) {
			char *end;

			if (!argv[i + 1])
				usage_err("--hold needs seconds");
			hold = strtoull(argv[++i], &end, 10);
			if (*end || !*argv[i])
				usage_err("--hold: not a number of seconds: \"%s\"", argv[i]);
			holding = 1;
		} else if (argv[i][0] == '-' || have_size) {
			usage_err("alloc: unexpected argument \"%s\"", argv[i]);
		} else {
			size = size_arg("size", argv[i]);
			have_size = 1;
		}
		if (i >= argc)
			usage_err("%s needs a value", argv[i - 1]);
	}
	if (!have_size)
		usage_err("alloc needs a size");
	if (size > SIZE_MAX || align > SIZE_MAX)
		return fail("alloc %" PRIu64 ": %s", size, mmz_strerror(-EOVERFLOW));
	ret = mmz_alloc_ex(h, (size_t)size, (size_t)align, zone, name,
			   MMZ_ALLOC_F_NOMAP, &buf);
	if (ret)
		return fail("alloc %" PRIu64 "%s%s: %s", size, zone ? " in zone " : "",
			    zone ? zone : "", mmz_strerror(ret));
	printf("0x%08" PRIx64 "\n", buf.phys);
	fflush(stdout);
	if (!holding) {
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "mmz: note: the block is freed when mmz exits; "
				"use --hold to keep it\n");
		return mmz_free_phys(h, buf.phys) ? 1 : 0;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	if (hold) {
		struct timespec end, now;

		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += (time_t)hold;
		do {
			usleep(100000);
			clock_gettime(CLOCK_MONOTONIC, &now);
		} while (!stop && (now.tv_sec < end.tv_sec ||
			 (now.tv_sec == end.tv_sec && now.tv_nsec < end.tv_nsec)));
	} else {
		while (!stop)
			pause();
	}
	ret = mmz_free_phys(h, buf.phys);
	if (ret && ret != -EBUSY)
		return fail("free 0x%08" PRIx64 ": %s", buf.phys, mmz_strerror(ret));
	return 0;
}

static int is_mmz_tool(int pid)
{
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
	return !strcmp(comm, "mmz");
}

static int cmd_free(mmz_t *h, int argc, char **argv)
{
	struct mmz_block b = { .owner_pid = -1 };
	uint64_t phys;
	int ret, i;

	if (argc != 1)
		usage_err("free needs one physical address");
	phys = size_arg("phys", argv[0]);
	ret = mmz_block_info(h, phys, &b);
	if (ret == 0 && b.phys == phys && b.owner_pid > 0 &&
	    b.owner_pid != getpid() && is_mmz_tool(b.owner_pid)) {
		if (kill(b.owner_pid, SIGTERM))
			return fail("free 0x%08" PRIx64 ": signal pid %d: %s", phys,
				    b.owner_pid, strerror(errno));
		for (i = 0; i < 100; i++) {
			ret = mmz_block_info(h, phys, &b);
			if (ret == -ENOENT || (ret == 0 && b.phys != phys))
				return 0;
			usleep(50000);
		}
		return fail("free 0x%08" PRIx64 ": holder pid %d did not let go: %s",
			    phys, b.owner_pid, strerror(ETIMEDOUT));
	}
	ret = mmz_free_phys(h, phys);
	if (ret == -EPERM && b.owner_pid > 0)
		return fail("free 0x%08" PRIx64 " (owned by pid %d): %s", phys,
			    b.owner_pid, mmz_strerror(ret));
	if (ret)
		return fail("free 0x%08" PRIx64 ": %s", phys, mmz_strerror(ret));
	return 0;
}

static int cmd_fill(mmz_t *h, int argc, char **argv)
{
	const char *zone = NULL;
	uint64_t size = 0, total = 0;
	uint64_t *phys = NULL;
	size_t n = 0, cap = 0, i;
	int have_size = 0, ret, rc = 0;
	char s1[32], s2[32];

	for (int a = 0; a < argc; a++) {
		if (!strcmp(argv[a], "--zone")) {
			if (!argv[a + 1])
				usage_err("--zone needs a value");
			zone = argv[++a];
		} else if (argv[a][0] == '-' || have_size) {
			usage_err("fill: unexpected argument \"%s\"", argv[a]);
		} else {
			size = size_arg("size", argv[a]);
			have_size = 1;
		}
	}
	if (!have_size)
		usage_err("fill needs a block size");
	if (!size || size > SIZE_MAX)
		return fail("fill %" PRIu64 ": %s", size, mmz_strerror(-EINVAL));
	for (;;) {
		struct mmz_buf buf;

		ret = mmz_alloc_ex(h, (size_t)size, 0, zone, "mmz-fill",
				   MMZ_ALLOC_F_NOMAP, &buf);
		if (ret)
			break;
		if (n == cap) {
			uint64_t *np = realloc(phys, (cap ? 2 * cap : 64) * sizeof(*phys));

			if (!np) {
				mmz_free_phys(h, buf.phys);
				ret = -ENOMEM;
				rc = fail("fill: %s", strerror(ENOMEM));
				break;
			}
			phys = np;
			cap = cap ? 2 * cap : 64;
		}
		phys[n++] = buf.phys;
		total += buf.size;
	}
	if (!rc && ret != -ENOMEM)
		rc = fail("fill: alloc %" PRIu64 "%s%s: %s", size,
			  zone ? " in zone " : "", zone ? zone : "", mmz_strerror(ret));
	if (!rc)
		printf("fill: %zu blocks of %s, %" PRIu64 " bytes (%s)%s%s\n", n,
		       fmt_size(size, s1, sizeof(s1)), total,
		       fmt_size(total, s2, sizeof(s2)),
		       zone ? " in zone " : "", zone ? zone : "");
	for (i = 0; i < n; i++) {
		ret = mmz_free_phys(h, phys[i]);
		if (ret && !rc)
			rc = fail("free 0x%08" PRIx64 ": %s", phys[i], mmz_strerror(ret));
	}
	free(phys);
	return rc;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int cmd_bench(mmz_t *h, int argc, char **argv)
{
	uint64_t size = 1 << 20, iters = 1000, *t;
	const char *zone = NULL;
	unsigned int flags = 0;
	long pg = sysconf(_SC_PAGESIZE);
	char s1[32];
	int i;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--size")) {
			size = size_arg("--size", argv[i + 1]);
			i++;
		} else if (!strcmp(argv[i], "--iterations")) {
			iters = size_arg("--iterations", argv[i + 1]);
			i++;
		} else if (!strcmp(argv[i], "--zone")) {
			if (!argv[i + 1])
				usage_err("--zone needs a value");
			zone = argv[++i];
		} else if (!strcmp(argv[i], "--cached")) {
			flags |= MMZ_ALLOC_F_CACHED;
		} else {
			usage_err("bench: unexpected argument \"%s\"", argv[i]);
		}
	}
	if (!iters || iters > 10000000 || !size || size > SIZE_MAX)
		usage_err("bench: --iterations 1..10000000 and --size > 0");
	t = malloc(iters * sizeof(*t));
	if (!t)
		return fail("bench: %s", strerror(ENOMEM));
	for (uint64_t k = 0; k < iters; k++) {
		struct mmz_buf buf;
		uint64_t t0 = now_ns();
		int ret = mmz_alloc_ex(h, (size_t)size, 0, zone, "mmz-bench", flags, &buf);

		if (ret) {
			free(t);
			return fail("bench: alloc %" PRIu64 ": %s", size, mmz_strerror(ret));
		}
		for (size_t off = 0; off < buf.size; off += (size_t)pg)
			((volatile char *)buf.virt)[off] = (char)k;
		ret = mmz_free(h, &buf);
		if (ret) {
			free(t);
			return fail("bench: free: %s", mmz_strerror(ret));
		}
		t[k] = now_ns() - t0;
	}
	qsort(t, iters, sizeof(*t), cmp_u64);
	printf("bench: %" PRIu64 " x alloc+map+touch+unmap+free of %s (%s): "
	       "p50 %.1f us, p99 %.1f us, min %.1f us, max %.1f us\n",
	       iters, fmt_size(size, s1, sizeof(s1)),
	       flags ? "cached" : "write-combine",
	       t[iters / 2] / 1e3, t[iters * 99 / 100] / 1e3, t[0] / 1e3,
	       t[iters - 1] / 1e3);
	free(t);
	return 0;
}

static int cmd_check(mmz_t *h, int argc, char **argv)
{
	uint32_t violations = 0;
	int ret;

	(void)argv;
	if (argc)
		usage_err("check takes no arguments");
	ret = mmz_check(h, &violations);
	if (ret)
		return fail("check: %s", mmz_strerror(ret));
	printf("check: %" PRIu32 " violation(s)\n", violations);
	return violations ? EXIT_FAILURE : 0;
}

static int cmd_version(void)
{
	struct mmz_module_info mi;
	mmz_t *h;
	int ret;

	printf("mmz %s (libmmz %s)\n", mmz_lib_version(), mmz_lib_version());
	ret = mmz_open_ex(device, open_flags, &h);
	if (ret == -ENODEV) {
		printf("module: not loaded (%s missing)\n", device);
		return 0;
	}
	if (ret)
		return fail("%s: %s", device, mmz_strerror(ret));
	ret = mmz_module_info(h, &mi);
	if (ret)
		printf("module: %s\n", mmz_strerror(ret));
	else if (!mi.extensions)
		printf("module: no mmz extension ioctls (vendor-compatible module)\n");
	else
		printf("module: mmz ABI %u.%u, features 0x%" PRIx64 "\n",
		       mi.abi_major, mi.abi_minor, mi.features);
	mmz_close(h);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;
	mmz_t *h;
	int i = 1, rc;

	device = getenv("MMZ_DEVICE");
	if (!device || !*device)
		device = MMZ_DEFAULT_DEVICE;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strcmp(argv[i], "--no-extensions")) {
			open_flags |= MMZ_OPEN_NO_EXTENSIONS;
		} else if (!strcmp(argv[i], "--version")) {
			return cmd_version();
		} else {
			usage_err("unknown option \"%s\"", argv[i]);
		}
	}
	if (i >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	cmd = argv[i++];
	argc -= i;
	argv += i;
	if (!strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "version"))
		return cmd_version();
	if (strcmp(cmd, "zones") && strcmp(cmd, "ls") && strcmp(cmd, "stat") &&
	    strcmp(cmd, "alloc") && strcmp(cmd, "free") && strcmp(cmd, "fill") &&
	    strcmp(cmd, "bench") && strcmp(cmd, "check"))
		usage_err("unknown command \"%s\"", cmd);
	h = open_or_exit();
	if (!strcmp(cmd, "zones"))
		rc = cmd_zones(h, argc, argv);
	else if (!strcmp(cmd, "ls"))
		rc = cmd_ls(h, argc, argv);
	else if (!strcmp(cmd, "stat"))
		rc = cmd_stat(h, argc, argv);
	else if (!strcmp(cmd, "alloc"))
		rc = cmd_alloc(h, argc, argv);
	else if (!strcmp(cmd, "free"))
		rc = cmd_free(h, argc, argv);
	else if (!strcmp(cmd, "fill"))
		rc = cmd_fill(h, argc, argv);
	else if (!strcmp(cmd, "check"))
		rc = cmd_check(h, argc, argv);
	else
		rc = cmd_bench(h, argc, argv);
	fflush(stdout);
	mmz_close(h);
	return rc;
}
