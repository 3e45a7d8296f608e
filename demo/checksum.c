/* SPDX-License-Identifier: MIT */
/*
 * checksum: the second stage. For every frame announced on stdin it maps
 * the frame by PHYSICAL ADDRESS through its own /dev/mmz_userdev fd
 * (mmap, offset = phys; each ring buffer is mapped once and the mapping
 * kept), computes the checksum, compares it with the one capture computed
 * while writing, and passes the frame on.
 *
 *   checksum [-s stats] <frames >frames
 *
 * Exits 1 on any mismatch, lost or reordered frame.
 */
#include "demo.h"

#include <signal.h>

#define MAX_REPORTS 10
#define PROGRESS 60

int main(int argc, char **argv)
{
	unsigned int nframes = 0, mismatches = 0, order = 0, expect = 0;
	double t0 = 0, t1, busy = 0;
	const char *stats = NULL;
	struct demo_msg m;
	int fd, c, r;

	demo_prog = "checksum";
	while ((c = getopt(argc, argv, "s:")) != -1) {
		if (c != 's') {
			fprintf(stderr, "usage: checksum [-s stats] <frames "
				">frames\n");
			return 2;
		}
		stats = optarg;
	}
	signal(SIGPIPE, SIG_IGN);
	fd = mmz_open();

	while ((r = msg_recv(stdin, &m)) > 0) {
		unsigned char *va;
		uint64_t sum, stamp;
		double a = now();

		if (!nframes)
			t0 = a;
		if (m.size != DEMO_FRAME_SIZE)
			die("frame %u: size %lu, expected %zu", m.frame,
			    m.size, DEMO_FRAME_SIZE);
		if (m.frame != expect && order++ < MAX_REPORTS)
			say("frame %u arrived, expected frame %u", m.frame,
			    expect);
		expect = m.frame + 1;
		va = map_get(fd, m.phys, PROT_READ);
		sum = fnv(va, m.size);
		memcpy(&stamp, va, sizeof(stamp));
		busy += now() - a;
		if (sum != m.sum && mismatches++ < MAX_REPORTS)
			say("MISMATCH frame %u (slot %u, phys 0x%lx): capture "
			    "wrote %016llx, read back %016llx, stamp %llu",
			    m.frame, m.slot, m.phys, m.sum,
			    (unsigned long long)sum,
			    (unsigned long long)stamp);
		if (++nframes % PROGRESS == 0)
			say("%u frames checked, %u mismatches", nframes,
			    mismatches);
		if (msg_send(1, &m))
			die("passing frame %u on: %s", m.frame,
			    strerror(errno));
	}
	if (r < 0)
		die("malformed frame message after %u frames", nframes);
	t1 = now();
	drop_maps();
	close(1);
	if (close(fd))
		die("close: %s", strerror(errno));
	if (!nframes)
		die("no frames arrived");
	say("%u frames in %.2f s: %.1f frames/s; mapped by phys and checked "
	    "at %.1f MB/s (%.2f s busy); %u mismatches", nframes, t1 - t0,
	    nframes / (t1 - t0),
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB / busy, busy,
	    mismatches);
	stats_write(stats, "chk_frames=%u\nchk_mismatches=%u\nchk_order=%u\n"
		    "chk_wall=%.3f\nchk_busy=%.3f\n", nframes, mismatches,
		    order, t1 - t0, busy);
	return mismatches || order;
}
