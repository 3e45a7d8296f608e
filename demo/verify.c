/* SPDX-License-Identifier: MIT */
/*
 * verify: re-reads the recording from the disk (O_DIRECT into its own
 * buffer, so the page cache cannot answer) and checks every frame twice:
 * against the checksum capture computed (the recorder's index) and
 * against a checksum of the test pattern regenerated here (not with -c:
 * camera's frames are vivid's, checked against the index only).
 *
 *   verify -o file -i index -n frames [-c] [-s stats]
 *
 * Exits 1 on any bad, missing or extra frame.
 */
#include "demo.h"

#include <sys/stat.h>

#define MAX_REPORTS 10

int main(int argc, char **argv)
{
	const char *out = NULL, *idx = NULL, *stats = NULL, *how = "O_DIRECT";
	unsigned int want = 0, n = 0, bad = 0, f;
	unsigned long long sum;
	unsigned char *buf;
	double t0, t1;
	struct stat st;
	char line[128];
	FILE *ix;
	int fd, c, pattern = 1;

	demo_prog = "verify";
	while ((c = getopt(argc, argv, "o:i:n:cs:")) != -1) {
		switch (c) {
		case 'c': pattern = 0; break;
		case 'o': out = optarg; break;
		case 'i': idx = optarg; break;
		case 'n': want = parse_ul(optarg, "frame count"); break;
		case 's': stats = optarg; break;
		default: out = NULL; optind = argc; break;
		}
	}
	if (!out || !idx || !want) {
		fprintf(stderr, "usage: verify -o file -i index -n frames "
			"[-c] [-s stats]\n");
		return 2;
	}
	fd = open(out, O_RDONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0 && errno == EINVAL) {	/* e.g. tmpfs */
		how = "buffered";
		fd = open(out, O_RDONLY | O_CLOEXEC);
	}
	if (fd < 0)
		die("%s: %s", out, strerror(errno));
	ix = fopen(idx, "r");
	if (!ix)
		die("%s: %s", idx, strerror(errno));
	if (posix_memalign((void **)&buf, DEMO_PAGE, DEMO_MAP_SIZE))
		die("out of memory");
	if (fstat(fd, &st))
		die("stat %s: %s", out, strerror(errno));
	if ((unsigned long long)st.st_size != (unsigned long long)want *
	    DEMO_FRAME_SIZE) {
		say("%s is %lld bytes, expected %u frames = %llu bytes", out,
		    (long long)st.st_size, want,
		    (unsigned long long)want * DEMO_FRAME_SIZE);
		bad++;
	}

	t0 = now();
	while (fgets(line, sizeof(line), ix)) {
		uint64_t got, gen;
		ssize_t r;

		if (sscanf(line, "%u %llx", &f, &sum) != 2)
			die("malformed index line: %s", line);
		if (f != n) {
			say("index: frame %u where frame %u was expected", f, n);
			bad++;
		}
		r = pread(fd, buf, DEMO_FRAME_SIZE, (off_t)f * DEMO_FRAME_SIZE);
		if (r != (ssize_t)DEMO_FRAME_SIZE)
			die("reading frame %u: %s", f, r < 0 ? strerror(errno) :
			    "short read");
		got = fnv(buf, DEMO_FRAME_SIZE);
		gen = pattern ? demo_frame(NULL, f) : sum;
		if ((got != sum || gen != sum) && bad++ < MAX_REPORTS)
			say("frame %u: file %016llx, capture said %016llx, "
			    "pattern %016llx", f, (unsigned long long)got, sum,
			    (unsigned long long)gen);
		n++;
	}
	t1 = now();
	if (n != want) {
		say("%u frames in the index, expected %u", n, want);
		bad++;
	}
	say("re-read %u frames (%.1f MB, %s) in %.2f s: %.1f MB/s; %u bad",
	    n, n * (double)DEMO_FRAME_SIZE / DEMO_MB, how, t1 - t0,
	    n * (double)DEMO_FRAME_SIZE / DEMO_MB / (t1 - t0), bad);
	stats_write(stats, "ver_frames=%u\nver_bad=%u\nver_wall=%.3f\n", n,
		    bad, t1 - t0);
	free(buf);
	fclose(ix);
	close(fd);
	return bad != 0;
}
