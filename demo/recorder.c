/* SPDX-License-Identifier: MIT */
/*
 * recorder: the last stage. Maps every frame announced on stdin by
 * physical address through its own /dev/mmz_userdev fd (once per ring
 * buffer), writes it to a raw NV12 file (frame n at offset n * 3,110,400)
 * and sends "D <slot> <frame>" on stdout so capture may reuse the slot. At
 * the end it fsyncs the file and writes an index ("<frame> <checksum>"
 * lines, the checksums capture computed) for verify.
 *
 *   recorder -o file -i index [-b] [-s stats] <frames >release
 *
 * CMA zone (MMZ_FEAT_CMA): the pages have a struct page, so the frame goes
 * from the mmz block to the disk with O_DIRECT, no copy.
 * Carve-out zone (memmap=/mem=): no struct page; the block is mapped with
 * remap_pfn_range() and O_DIRECT from that mapping fails with EFAULT
 * (get_user_pages() refuses PFN mappings). The recorder shows that once,
 * then falls back to copying each frame into an anonymous bounce buffer
 * written with O_DIRECT, or with -b to buffered write() through the page
 * cache (much slower on the KASAN/lockdep test kernel, see README.md).
 */
#include "demo.h"

#include <signal.h>

enum mode { DIRECT, BOUNCE, BUFFERED };

static const char *const mode_name[] = {
	[DIRECT] = "O_DIRECT from the mmz block",
	[BOUNCE] = "O_DIRECT via a bounce buffer",
	[BUFFERED] = "buffered write()",
};

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

static const char *errname(int e)
{
	const char *n = strerrorname_np(e < 0 ? -e : e);

	return n ? n : "E?";
}

int main(int argc, char **argv)
{
	const char *out = NULL, *idx = NULL, *stats = NULL;
	unsigned int nframes = 0;
	double t0 = 0, t1, busy = 0, a;
	enum mode mode, fallback = BOUNCE;
	unsigned char *bounce = NULL;
	char why[256] = "";
	struct demo_msg m;
	int fd, bfd, dfd, c, r;
	FILE *ix;

	demo_prog = "recorder";
	while ((c = getopt(argc, argv, "o:i:bs:")) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'i': idx = optarg; break;
		case 'b': fallback = BUFFERED; break;
		case 's': stats = optarg; break;
		default: out = NULL; optind = argc; break;
		}
	}
	if (!out || !idx) {
		fprintf(stderr, "usage: recorder -o file -i index [-b] "
			"[-s stats] <frames >release\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	fd = mmz_open();
	mode = mmz_features(fd) & MMZ_FEAT_CMA ? DIRECT : fallback;

	/* bfd: buffered, for the fallback and the final fsync */
	bfd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (bfd < 0)
		die("%s: %s", out, strerror(errno));
	dfd = open(out, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (dfd < 0)
		die("%s: O_DIRECT: %s", out, strerror(errno));
	ix = fopen(idx, "w");
	if (!ix)
		die("%s: %s", idx, strerror(errno));
	if (posix_memalign((void **)&bounce, DEMO_PAGE, DEMO_MAP_SIZE))
		die("out of memory");
	if (mode == DIRECT)
		say("CMA zone (MMZ_FEAT_CMA): writing with O_DIRECT straight "
		    "from the mmz blocks to %s", out);
	else
		say("carve-out zone (MMZ_FEAT_CMA not set): no struct page "
		    "behind the blocks, so O_DIRECT cannot pin them");

	while ((r = msg_recv(stdin, &m)) > 0) {
		off_t off = (off_t)m.frame * DEMO_FRAME_SIZE;
		unsigned char *va;
		int ret;

		a = now();
		if (!nframes)
			t0 = a;
		if (m.size != DEMO_FRAME_SIZE)
			die("frame %u: size %lu, expected %zu", m.frame,
			    m.size, DEMO_FRAME_SIZE);
		va = map_get(fd, m.phys, PROT_READ);
		if (!nframes && mode != DIRECT) {
			/* show why: one O_DIRECT write from this mapping */
			ret = write_all(dfd, va, m.size, off);
			snprintf(why, sizeof(why), "O_DIRECT write from the "
				 "carve-out mapping: %s%s", ret ? errname(ret) :
				 "it worked", ret == -EFAULT ?
				 " (as expected)" : "");
			say("%s; falling back to %s", why, mode_name[mode]);
		}
		if (mode == DIRECT) {
			ret = write_all(dfd, va, m.size, off);
			if (ret) {
				snprintf(why, sizeof(why), "O_DIRECT write of "
					 "frame %u from the CMA block: %s",
					 m.frame, errname(ret));
				mode = fallback;
				say("%s; falling back to %s", why,
				    mode_name[mode]);
			}
		}
		if (mode == BOUNCE) {
			memcpy(bounce, va, m.size);
			ret = write_all(dfd, bounce, m.size, off);
		} else if (mode == BUFFERED) {
			ret = write_all(bfd, va, m.size, off);
		}
		if (ret)
			die("writing frame %u to %s (%s): %s", m.frame, out,
			    mode_name[mode], strerror(-ret));
		busy += now() - a;
		fprintf(ix, "%u %016llx\n", m.frame, m.sum);
		if (done_send(1, m.slot, m.frame))
			die("releasing slot %u: %s", m.slot, strerror(errno));
		nframes++;
	}
	if (r < 0)
		die("malformed frame message after %u frames", nframes);
	drop_maps();
	a = now();
	if (fsync(bfd))
		die("fsync %s: %s", out, strerror(errno));
	busy += now() - a;
	t1 = now();
	if (close(bfd) || close(dfd) || fclose(ix))
		die("closing %s: %s", out, strerror(errno));
	close(1);	/* capture frees the ring after this */
	close(fd);
	free(bounce);
	if (!nframes)
		die("no frames arrived");
	say("%u frames (%.1f MB) in %.2f s: %.1f frames/s; recorded at "
	    "%.1f MB/s (%s, incl. fsync; %.2f s busy)", nframes,
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB, t1 - t0,
	    nframes / (t1 - t0),
	    nframes * (double)DEMO_FRAME_SIZE / DEMO_MB / busy,
	    mode_name[mode], busy);
	stats_write(stats, "rec_frames=%u\nrec_mode='%s'\nrec_wall=%.3f\n"
		    "rec_busy=%.3f\nrec_why='%s'\n", nframes, mode_name[mode],
		    t1 - t0, busy, why);
	return 0;
}
