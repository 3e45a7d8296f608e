/* SPDX-License-Identifier: MIT */
/*
 * recorder: the last stage. Maps every frame announced on stdin by
 * physical address through its own /dev/mmz_userdev fd, writes it to a
 * raw NV12 file (frame n at offset n * 3,110,400), unmaps it and sends
 * "D <slot> <frame>" on stdout so capture may reuse the slot. At the end it
 * fsyncs the file and writes an index ("<frame> <checksum>" lines, the
 * checksums capture computed) for verify.
 *
 *   recorder -o file -i index [-s stats] <frames >release
 *
 * The write goes straight from the mmz block to the disk with O_DIRECT
 * when the module serves CMA memory (MMZ_FEAT_CMA): those pages have a
 * struct page, so get_user_pages() works on the mapping. A carve-out zone
 * (memmap=/mem=) has no struct page and is mapped with remap_pfn_range();
 * O_DIRECT from such a mapping fails with EFAULT, so the recorder shows
 * that once and then uses buffered write().
 */
#include "demo.h"

#include <signal.h>

/* pwrite() all of it; 0 or -errno. */
static int write_all(int fd, const void *p, size_t len, off_t off)
{
	const char *b = p;

	while (len) {
		ssize_t n = pwrite(fd, b, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		b += n;
		len -= n;
		off += n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *idx = NULL, *stats = NULL, *mode;
	unsigned int nframes = 0, probed = 0;
	double t0 = 0, t1, busy = 0, a;
	char why[256] = "";
	FILE *ix;
	struct demo_msg m;
	int fd, dfd = -1, ofd, c, r, direct;

	demo_prog = "recorder";
	while ((c = getopt(argc, argv, "o:i:s:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'i': idx = optarg; break;
		case 's': stats = optarg; break;
		default: out = NULL; idx = NULL; optind = argc; break;
		}
	}
	if (!out || !idx) {
		fprintf(stderr, "usage: recorder -o file -i index [-s stats] "
			"<frames >release\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	fd = mmz_open();
	direct = !!(mmz_features(fd) & MMZ_FEAT_CMA);

	ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (ofd < 0)
		die("%s: %s", out, strerror(errno));
	ix = fopen(idx, "w");
	if (!ix)
		die("%s: %s", idx, strerror(errno));
	if (direct) {
		dfd = open(out, O_WRONLY | O_DIRECT | O_CLOEXEC);
		if (dfd < 0) {
			snprintf(why, sizeof(why), "open O_DIRECT: %s",
				 strerror(errno));
			direct = 0;
		} else {
			say("CMA zone (MMZ_FEAT_CMA): writing with O_DIRECT, "
			    "straight from the mmz blocks to %s", out);
		}
	} else {
		say("carve-out zone (MMZ_FEAT_CMA not set): no struct page "
		    "behind the blocks, so O_DIRECT cannot pin them");
	}

	while ((r = msg_recv(stdin, &m)) > 0) {
		off_t off = (off_t)m.frame * DEMO_FRAME_SIZE;
		unsigned char *va;
		int ret = 0;

		a = now();
		if (!nframes)
			t0 = a;
		if (m.size != DEMO_FRAME_SIZE)
			die("frame %u: size %lu, expected %zu", m.frame,
			    m.size, DEMO_FRAME_SIZE);
		va = map_phys(fd, m.phys, PROT_READ);
		if (!direct && !probed++) {
			/* show why: one O_DIRECT write from this mapping */
			int pfd = open(out, O_WRONLY | O_DIRECT | O_CLOEXEC);

			ret = pfd < 0 ? -errno :
			      write_all(pfd, va, m.size, off);
			if (pfd >= 0)
				close(pfd);
			snprintf(why, sizeof(why), "O_DIRECT write from the "
				 "carve-out mapping: %s", ret ?
				 strerrorname_np(-ret) : "it worked");
			say("%s%s; falling back to buffered write()", why,
			    ret == -EFAULT ? " (as expected)" : "");
			ret = 0;
		}
		if (direct) {
			ret = write_all(dfd, va, m.size, off);
			if (ret) {
				snprintf(why, sizeof(why), "O_DIRECT write of "
					 "frame %u: %s", m.frame,
					 strerrorname_np(-ret));
				say("%s; falling back to buffered write()",
				    why);
				direct = 0;
			}
		}
		if (!direct)
			ret = write_all(ofd, va, m.size, off);
		if (ret)
			die("writing frame %u to %s: %s", m.frame, out,
			    strerror(-ret));
		if (munmap(va, DEMO_MAP_SIZE))
			die("munmap: %s", strerror(errno));
		busy += now() - a;
		fprintf(ix, "%u %016llx\n", m.frame, m.sum);
		if (done_send(1, m.slot, m.frame))
			die("releasing slot %u: %s", m.slot, strerror(errno));
		nframes++;
	}
	if (r < 0)
		die("malformed frame message after %u frames", nframes);
	a = now();
	if (fsync(ofd))
		die("fsync %s: %s", out, strerror(errno));
	busy += now() - a;
	t1 = now();
	if (close(ofd) || (dfd >= 0 && close(dfd)) || fclose(ix))
		die("closing %s: %s", out, strerror(errno));
	close(1);
	close(fd);
	if (!nframes)
		die("no frames arrived");
	mode = dfd >= 0 && !why[0] ? "O_DIRECT" : "buffered";
	say("%u frames (%.1f MB) in %.2f s: %.1f frames/s; recorded at "
	    "%.1f MB/s (%s, incl. fsync; %.2f s busy)", nframes,
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB, t1 - t0,
	    nframes / (t1 - t0),
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB / busy, mode, busy);
	stats_write(stats, "rec_frames=%u\nrec_mode=%s\nrec_wall=%.3f\n"
		    "rec_busy=%.3f\nrec_why='%s'\n", nframes, mode, t1 - t0,
		    busy, why);
	return 0;
}
