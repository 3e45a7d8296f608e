/* SPDX-License-Identifier: MIT */
/*
 * camera: the demo's source when a real V4L2 driver is there. vivid (the
 * kernel's virtual camera, vm/config/media.fragment) captures 1080p NV12
 * frames straight into a ring of mmz blocks through dma-buf
 * (MMZ_IOC_EXPORT_DMABUF, V4L2_MEMORY_DMABUF); each filled frame's
 * physical address, number and checksum go down stdout as capture's do,
 * and its slot goes back to vivid only after the last stage sends
 * "D <slot> <frame>" on stdin.
 *
 *   camera [-n frames] [-r ring] [-z zone] [-d /dev/videoN] [-s stats]
 *
 * Exits 0 when every frame came back and every block was freed.
 */
#include "demo.h"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <linux/videodev2.h>

#define MAX_RING 16

struct slot {
	unsigned long phys;
	unsigned char *va;
	int dfd;		/* the block's dma-buf */
	int queued;		/* with vivid */
	int busy;		/* down the pipeline */
	unsigned int frame;
};

static struct slot ring[MAX_RING];
static unsigned int nring = 4;
static int vfd = -1;

/* the first vivid video capture node */
static void find_camera(char *path, size_t len)
{
	DIR *d = opendir("/dev");
	struct dirent *e;

	while (d && (e = readdir(d)) && !path[0]) {
		struct v4l2_capability cap;
		int fd;

		if (strncmp(e->d_name, "video", 5))
			continue;
		snprintf(path, len, "/dev/%s", e->d_name);
		fd = open(path, O_RDWR | O_CLOEXEC);
		memset(&cap, 0, sizeof(cap));
		if (fd < 0 || ioctl(fd, VIDIOC_QUERYCAP, &cap) ||
		    strcmp((char *)cap.driver, "vivid") ||
		    !(cap.device_caps & V4L2_CAP_VIDEO_CAPTURE))
			path[0] = 0;
		if (fd >= 0)
			close(fd);
	}
	if (d)
		closedir(d);
	if (!path[0])
		die("no vivid capture device (a kernel without "
		    "vm/config/media.fragment?)");
}

static void xioctl(unsigned long req, void *arg, const char *what)
{
	if (ioctl(vfd, req, arg))
		die("%s: %s", what, strerror(errno));
}

static void setup_camera(const char *path)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	int input = 0;

	vfd = open(path, O_RDWR | O_CLOEXEC);
	if (vfd < 0)
		die("open %s: %s", path, strerror(errno));
	xioctl(VIDIOC_S_INPUT, &input, "VIDIOC_S_INPUT");
	f.fmt.pix.width = DEMO_W;
	f.fmt.pix.height = DEMO_H;
	f.fmt.pix.pixelformat = V4L2_PIX_FMT_NV12;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	xioctl(VIDIOC_S_FMT, &f, "VIDIOC_S_FMT");
	if (f.fmt.pix.width != DEMO_W || f.fmt.pix.height != DEMO_H ||
	    f.fmt.pix.pixelformat != V4L2_PIX_FMT_NV12 ||
	    f.fmt.pix.sizeimage != DEMO_FRAME_SIZE)
		die("%s: format %ux%u, %u bytes, not 1080p NV12", path,
		    f.fmt.pix.width, f.fmt.pix.height, f.fmt.pix.sizeimage);
	say("%s (vivid): 1920x1080 NV12, %u bytes a frame", path,
	    f.fmt.pix.sizeimage);
}

/* the ring: mmz blocks, mapped cached, each exported as a dma-buf */
static void alloc_ring(int fd, const char *zone)
{
	struct v4l2_requestbuffers r = {
		.count = nring, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = V4L2_MEMORY_DMABUF,
	};
	unsigned int i;

	for (i = 0; i < nring; i++) {
		struct mmz_export ex = { .flags = O_RDWR | O_CLOEXEC };
		char name[32];

		snprintf(name, sizeof(name), "cam-frame%u", i);
		ring[i].va = ring_block(fd, zone, name, &ring[i].phys);
		ex.phys = ring[i].phys;
		if (ioctl(fd, MMZ_IOC_EXPORT_DMABUF, &ex))
			die("MMZ_IOC_EXPORT_DMABUF 0x%lx: %s", ring[i].phys,
			    strerror(errno));
		ring[i].dfd = ex.fd;
		say("  slot %u: phys 0x%08lx, dma-buf fd %d \"cam-frame%u\"",
		    i, ring[i].phys, ex.fd, i);
	}
	xioctl(VIDIOC_REQBUFS, &r, "VIDIOC_REQBUFS (DMABUF)");
	if (r.count != nring)
		die("vivid took %u of %u buffers", r.count, nring);
}

static void queue(unsigned int s)
{
	struct v4l2_buffer b = {
		.index = s, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = V4L2_MEMORY_DMABUF, .length = DEMO_FRAME_SIZE,
	};

	b.m.fd = ring[s].dfd;
	xioctl(VIDIOC_QBUF, &b, "VIDIOC_QBUF");
	ring[s].queued = 1;
}

static int free_ring(int fd)
{
	struct v4l2_requestbuffers r = {
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = V4L2_MEMORY_DMABUF,
	};
	unsigned int i;
	int bad = 0;

	if (ioctl(vfd, VIDIOC_REQBUFS, &r)) {
		say("VIDIOC_REQBUFS 0: %s", strerror(errno));
		bad = 1;
	}
	for (i = 0; i < nring; i++) {
		close(ring[i].dfd);
		bad |= ring_block_free(fd, ring[i].phys);
	}
	return bad;
}

/* "D <slot> <frame>" lines from fd 0, read without stdio (poll) */
static char rbuf[256];
static size_t rlen;

/*
 * Reads what fd 0 has (blocking if no whole line is buffered) and handles
 * every whole line: the slot is free again (and with @requeue back with
 * vivid). Returns the lines handled, -1 at end of stream.
 */
static int pump(int requeue)
{
	unsigned int s, f;
	int n = 0;
	char *nl;
	ssize_t r;

	if (!memchr(rbuf, '\n', rlen)) {
		r = read(0, rbuf + rlen, sizeof(rbuf) - 1 - rlen);
		if (r <= 0)
			return -1;
		rlen += (size_t)r;
	}
	while ((nl = memchr(rbuf, '\n', rlen))) {
		*nl = 0;
		if (sscanf(rbuf, "D %u %u", &s, &f) != 2 || s >= nring ||
		    !ring[s].busy || ring[s].frame != f)
			die("bad release message: %s", rbuf);
		rlen -= (size_t)(nl + 1 - rbuf);
		memmove(rbuf, nl + 1, rlen);
		ring[s].busy = 0;
		if (requeue)
			queue(s);
		n++;
	}
	return n;
}

int main(int argc, char **argv)
{
	const char *zone = "", *stats = NULL;
	unsigned int nframes = 60, f = 0, i;
	int fd, c, bad, type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	char path[300] = "";
	double t0, t1, busy = 0;

	demo_prog = "camera";
	while ((c = getopt(argc, argv, "n:r:z:d:s:")) != -1) {
		switch (c) {
		case 'n': nframes = parse_ul(optarg, "frame count"); break;
		case 'r': nring = parse_ul(optarg, "ring size"); break;
		case 'z': zone = optarg; break;
		case 'd': snprintf(path, sizeof(path), "%s", optarg); break;
		case 's': stats = optarg; break;
		default:
			fprintf(stderr, "usage: camera [-n frames] [-r ring] "
				"[-z zone] [-d /dev/videoN] [-s stats]\n");
			return 2;
		}
	}
	if (nring < 2 || nring > MAX_RING)
		die("ring size must be 2..%d", MAX_RING);
	signal(SIGPIPE, SIG_IGN);
	if (!path[0])
		find_camera(path, sizeof(path));
	setup_camera(path);
	fd = mmz_open();
	say("ring of %u mmz blocks, each a dma-buf vivid captures into:",
	    nring);
	alloc_ring(fd, zone);
	for (i = 0; i < nring; i++)
		queue(i);
	xioctl(VIDIOC_STREAMON, &type, "VIDIOC_STREAMON");

	t0 = now();
	while (f < nframes) {
		struct pollfd p[2] = { { .fd = vfd, .events = POLLIN },
				       { .fd = 0, .events = POLLIN } };
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					 .memory = V4L2_MEMORY_DMABUF };
		unsigned int queued = 0;
		struct demo_msg m;
		double a;

		for (i = 0; i < nring; i++)
			queued += ring[i].queued;
		/* vivid has no buffer: only a release can go on */
		if (poll(queued ? p : &p[1], queued ? 2 : 1, 10000) <= 0)
			die("no frame and no release for 10 s");
		if (p[1].revents) {
			if (pump(1) < 0)
				die("release pipe closed with frames in "
				    "flight (a later stage failed)");
			continue;
		}
		if (!(p[0].revents & POLLIN))
			continue;
		xioctl(VIDIOC_DQBUF, &b, "VIDIOC_DQBUF");
		if (b.index >= nring || b.bytesused != DEMO_FRAME_SIZE)
			die("buffer %u with %u bytes", b.index, b.bytesused);
		a = now();
		/* the driver wrote it: no stale cache lines before reading */
		if (ioctl(fd, IOC_MMB_FLUSH_DCACHE, ring[b.index].phys))
			die("IOC_MMB_FLUSH_DCACHE: %s", strerror(errno));
		m.sum = fnv(ring[b.index].va, DEMO_FRAME_SIZE);
		busy += now() - a;
		ring[b.index].queued = 0;
		ring[b.index].busy = 1;
		ring[b.index].frame = f;
		m.frame = f;
		m.slot = b.index;
		m.phys = ring[b.index].phys;
		m.size = DEMO_FRAME_SIZE;
		if (msg_send(1, &m))
			die("sending frame %u: %s", f, strerror(errno));
		f++;
	}
	xioctl(VIDIOC_STREAMOFF, &type, "VIDIOC_STREAMOFF");
	for (i = 0; i < nring; i++)
		ring[i].queued = 0;
	close(1);
	for (;;) {
		unsigned int left = 0;

		for (i = 0; i < nring; i++)
			left += ring[i].busy;
		if (!left)
			break;
		if (pump(0) < 0)
			die("release pipe closed with %u frames in flight",
			    left);
	}
	t1 = now();
	/* the recorder closes the pipe after its (and checksum's) munmaps */
	if (pump(0) >= 0)
		die("a release after the last frame");
	say("%u frames captured by vivid into mmz blocks in %.2f s: "
	    "%.1f frames/s (checksum through the mmz mapping %.2f s busy)",
	    nframes, t1 - t0, nframes / (t1 - t0), busy);
	bad = free_ring(fd);
	if (close(fd))
		bad = 1;
	close(vfd);
	if (!bad)
		say("all %u ring blocks unmapped and freed", nring);
	stats_write(stats, "cam_frames=%u\ncam_ring=%u\ncam_wall=%.3f\n"
		    "cam_busy=%.3f\ncam_freed=%d\n", nframes, nring, t1 - t0,
		    busy, !bad);
	return bad;
}
