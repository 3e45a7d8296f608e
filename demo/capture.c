/* SPDX-License-Identifier: MIT */
/*
 * capture: the "camera". Allocates a ring of 1080p NV12 frames in an mmz
 * zone (IOC_MMB_ALLOC), maps them cached (IOC_MMB_USER_REMAP_CACHED),
 * writes a moving test pattern into each frame, flushes it
 * (IOC_MMB_FLUSH_DCACHE) and sends the frame's physical address, number
 * and checksum down stdout. A slot is reused only after the last stage
 * sends "D <slot> <frame>" back on stdin: a ring with back-pressure.
 *
 *   capture [-n frames] [-r ring] [-z zone] [-s stats] <release >frames
 *
 * While the ring is allocated it prints /proc/media-mem (and "mmz ls" when
 * $DEMO_MMZ_CLI names the mmz tool). Exits 0 when every frame came back
 * and every block was unmapped and freed.
 */
#include "demo.h"

#include <signal.h>

#define MAX_RING 64

struct slot {
	unsigned long phys;
	unsigned char *va;
	int busy;		/* in flight */
	unsigned int frame;	/* the frame it holds while busy */
};

static struct slot ring[MAX_RING];
static unsigned int nring = 8;

static void show(const char *cmd)
{
	char line[512];
	FILE *p = popen(cmd, "r");

	if (!p) {
		say("%s: %s", cmd, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = 0;
		say("| %s", line);
	}
	pclose(p);
}

static void alloc_ring(int fd, const char *zone)
{
	unsigned int i;

	for (i = 0; i < nring; i++) {
		char name[32];

		snprintf(name, sizeof(name), "cap-frame%u", i);
		ring[i].va = ring_block(fd, zone, name, &ring[i].phys);
	}
	say("ring of %u frames, %zu bytes each (1920x1080 NV12), cached "
	    "mappings:", nring, DEMO_FRAME_SIZE);
	for (i = 0; i < nring; i++)
		say("  slot %u: phys 0x%08lx..0x%08lx mapped at %p \"cap-frame%u\"",
		    i, ring[i].phys, ring[i].phys + DEMO_FRAME_SIZE - 1,
		    (void *)ring[i].va, i);
}

static int free_ring(int fd)
{
	unsigned int i;
	int bad = 0;

	for (i = 0; i < nring; i++)
		bad |= ring_block_free(fd, ring[i].phys);
	return bad;
}

/* Waits for one "D <slot> <frame>"; returns the slot, -1 at end of stream. */
static int wait_release(FILE *rel)
{
	unsigned int s, f;
	char buf[64];

	if (!fgets(buf, sizeof(buf), rel))
		return -1;
	if (sscanf(buf, "D %u %u", &s, &f) != 2)
		die("malformed release message: %s", buf);
	if (s >= nring || !ring[s].busy || ring[s].frame != f)
		die("release of slot %u frame %u, which is not in flight", s, f);
	ring[s].busy = 0;
	return (int)s;
}

int main(int argc, char **argv)
{
	const char *zone = "", *stats = NULL;
	unsigned int nframes = 240, f, inflight = 0, stalls = 0;
	double t0, t1, busy = 0, waited = 0;
	FILE *rel;
	int fd, c, bad;

	demo_prog = "capture";
	while ((c = getopt(argc, argv, "n:r:z:s:")) != -1) {
		switch (c) {
		case 'n': nframes = parse_ul(optarg, "frame count"); break;
		case 'r': nring = parse_ul(optarg, "ring size"); break;
		case 'z': zone = optarg; break;
		case 's': stats = optarg; break;
		default:
			fprintf(stderr, "usage: capture [-n frames] [-r ring] "
				"[-z zone] [-s stats] <release >frames\n");
			return 2;
		}
	}
	if (nring < 1 || nring > MAX_RING)
		die("ring size must be 1..%d", MAX_RING);
	signal(SIGPIPE, SIG_IGN);
	rel = fdopen(0, "r");
	if (!rel)
		die("stdin: %s", strerror(errno));

	fd = mmz_open();
	alloc_ring(fd, zone);
	say("blocks while the ring is live (/proc/media-mem):");
	show("cat /proc/media-mem 2>&1");
	if (getenv("DEMO_MMZ_CLI") && access(getenv("DEMO_MMZ_CLI"), X_OK) == 0) {
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "%s ls 2>&1", getenv("DEMO_MMZ_CLI"));
		say("blocks while the ring is live (mmz ls):");
		show(cmd);
	}

	t0 = now();
	for (f = 0; f < nframes; f++) {
		struct demo_msg m;
		unsigned int s;
		double a;

		for (s = 0; s < nring && ring[s].busy; s++)
			;
		if (s == nring) {	/* ring full: wait for a release */
			int r;

			a = now();
			r = wait_release(rel);
			waited += now() - a;
			stalls++;
			if (r < 0)
				die("release pipe closed with %u frames in "
				    "flight (a later stage failed)", inflight);
			s = (unsigned int)r;
			inflight--;
		}
		a = now();
		m.sum = demo_frame(ring[s].va, f);
		if (ioctl(fd, IOC_MMB_FLUSH_DCACHE, ring[s].phys))
			die("IOC_MMB_FLUSH_DCACHE 0x%lx: %s", ring[s].phys,
			    strerror(errno));
		busy += now() - a;
		ring[s].busy = 1;
		ring[s].frame = f;
		inflight++;
		m.frame = f;
		m.slot = s;
		m.phys = ring[s].phys;
		m.size = DEMO_FRAME_SIZE;
		if (msg_send(1, &m))
			die("sending frame %u: %s (the checksum stage died?)",
			    f, strerror(errno));
	}
	close(1);	/* end of stream for the next stages */
	while (inflight) {
		if (wait_release(rel) < 0)
			die("release pipe closed with %u frames in flight",
			    inflight);
		inflight--;
	}
	t1 = now();
	/* the recorder closes the pipe after its (and checksum's) munmaps */
	if (wait_release(rel) >= 0)
		die("a release after the last frame");

	say("%u frames in %.2f s: %.1f frames/s, %.1f MB/s "
	    "(pattern+checksum+flush %.2f s busy: %.1f MB/s; %u waits for "
	    "a free slot, %.2f s)", nframes, t1 - t0, nframes / (t1 - t0),
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB / (t1 - t0), busy,
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB / busy, stalls, waited);
	bad = free_ring(fd);
	if (close(fd))
		bad = 1;
	if (!bad)
		say("all %u ring blocks unmapped and freed", nring);
	stats_write(stats, "cap_frames=%u\ncap_ring=%u\ncap_wall=%.3f\n"
		    "cap_busy=%.3f\ncap_stalls=%u\ncap_freed=%d\n", nframes,
		    nring, t1 - t0, busy, stalls, !bad);
	return bad;
}
