/* SPDX-License-Identifier: MIT */
/*
 * A real V4L2 driver captures into mmz blocks (issue #15): each vivid
 * instance (vm/run.sh makes one per buffer allocator: vmalloc and
 * dma-contig) captures 1080p NV12 frames through V4L2_MEMORY_DMABUF into
 * three mmz blocks, and every frame, read through the block's own cached
 * mmz mapping (flushed before the driver writes and before reading),
 * equals a frame captured into vivid's own buffers (its test pattern with
 * the OSD text off). The queued dma-buf holds its block past
 * FREE and close until the queue lets go. The other way: a buffer vivid
 * exports (VIDIOC_EXPBUF) is imported into mmz exactly when pagemap says
 * it is one physical range, and then shows what vivid captured into it.
 * Skips when the kernel has no vivid (vm/config/media.fragment).
 */
#include "mmztest.h"

#include <dirent.h>
#include <poll.h>
#include <linux/videodev2.h>

#define W		1920
#define H		1080
#define NBUF		3
#define FRAMES		6

struct cam {
	char path[300];
	int inst;		/* vivid-00N */
	int vfd;
	size_t size;		/* sizeimage */
	unsigned char *ref;	/* a frame captured into vivid's buffers */
};

static const struct tzone *zone;
static const char *const alloc_name[] = { "vmalloc", "dma-contig" };
static int allocators[8];

/* /sys/module/vivid/parameters/allocators: "0,1" */
static void read_allocators(void)
{
	char *t = t_read_file("/sys/module/vivid/parameters/allocators"), *p;
	int i = 0;

	for (p = t; p && *p && i < 8; i++) {
		allocators[i] = (int)strtol(p, &p, 10);
		if (*p == ',')
			p++;
		else
			break;
	}
	free(t);
}

static const char *alloc_of(const struct cam *c)
{
	int a = c->inst >= 0 && c->inst < 8 ? allocators[c->inst] : -1;

	return a == 0 || a == 1 ? alloc_name[a] : "?";
}

/* the vivid video capture nodes, by instance */
static int find_cams(struct cam *cams, int max)
{
	DIR *d = opendir("/dev");
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) && n < max) {
		struct v4l2_capability cap = { 0 };
		struct cam *c = &cams[n];
		int fd;

		if (strncmp(e->d_name, "video", 5))
			continue;
		snprintf(c->path, sizeof(c->path), "/dev/%s", e->d_name);
		fd = open(c->path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!ioctl(fd, VIDIOC_QUERYCAP, &cap) &&
		    !strcmp((char *)cap.driver, "vivid") &&
		    (cap.device_caps & V4L2_CAP_VIDEO_CAPTURE) &&
		    sscanf((char *)cap.bus_info, "platform:vivid-%d",
			   &c->inst) == 1)
			n++;
		close(fd);
	}
	if (d)
		closedir(d);
	return n;
}

/* the control named @name (menu index @val), found by walking them */
static int set_ctrl(int vfd, const char *name, int val)
{
	struct v4l2_queryctrl q = { .id = V4L2_CTRL_FLAG_NEXT_CTRL };
	struct v4l2_control c;

	while (!ioctl(vfd, VIDIOC_QUERYCTRL, &q)) {
		if (!strcmp((char *)q.name, name)) {
			c = (struct v4l2_control){ .id = q.id, .value = val };
			return t_ioctl(vfd, VIDIOC_S_CTRL, &c);
		}
		q.id |= V4L2_CTRL_FLAG_NEXT_CTRL;
	}
	return -ENOENT;
}

static int cam_setup(struct cam *c)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	int input = 0;		/* the webcam */

	c->vfd = open(c->path, O_RDWR | O_CLOEXEC);
	if (!T_TRUE(c->vfd >= 0, "open %s: %s", c->path, strerror(errno)))
		return -1;
	T_OK(t_ioctl(c->vfd, VIDIOC_S_INPUT, &input));
	f.fmt.pix.width = W;
	f.fmt.pix.height = H;
	f.fmt.pix.pixelformat = V4L2_PIX_FMT_NV12;
	f.fmt.pix.field = V4L2_FIELD_NONE;
	if (!T_OK(t_ioctl(c->vfd, VIDIOC_S_FMT, &f)))
		return -1;
	if (!T_TRUE(f.fmt.pix.width == W && f.fmt.pix.height == H &&
		    f.fmt.pix.pixelformat == V4L2_PIX_FMT_NV12 &&
		    f.fmt.pix.sizeimage >= W * H * 3 / 2,
		    "%s: format %ux%u %.4s, %u bytes", c->path,
		    f.fmt.pix.width, f.fmt.pix.height,
		    (char *)&f.fmt.pix.pixelformat, f.fmt.pix.sizeimage))
		return -1;
	c->size = f.fmt.pix.sizeimage;
	/* the counters and the time would differ from frame to frame */
	return T_OK(set_ctrl(c->vfd, "OSD Text Mode", 2)) ? 0 : -1;
}

static int reqbufs(int vfd, unsigned int mem, unsigned int count)
{
	struct v4l2_requestbuffers r = {
		.count = count, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
		.memory = mem,
	};
	int ret = t_ioctl(vfd, VIDIOC_REQBUFS, &r);

	return ret ? ret : (int)r.count;
}

static int stream(int vfd, int on)
{
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

	return t_ioctl(vfd, on ? VIDIOC_STREAMON : VIDIOC_STREAMOFF, &type);
}

static int qbuf(int vfd, unsigned int mem, unsigned int i, int dfd,
		size_t len)
{
	struct v4l2_buffer b = {
		.index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = mem,
	};

	if (mem == V4L2_MEMORY_DMABUF) {
		b.m.fd = dfd;
		b.length = (uint32_t)len;
	}
	return t_ioctl(vfd, VIDIOC_QBUF, &b);
}

/* the next filled buffer (10 s at most, TCG is slow) */
static int dqbuf(int vfd, unsigned int mem, struct v4l2_buffer *b)
{
	struct pollfd p = { .fd = vfd, .events = POLLIN };

	if (poll(&p, 1, 10000) != 1)
		return -ETIMEDOUT;
	*b = (struct v4l2_buffer){
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = mem,
	};
	return t_ioctl(vfd, VIDIOC_DQBUF, b);
}

/* one frame into vivid's own buffer 0, mapped at *@va */
static int capture_mmap(struct cam *c, unsigned char **va)
{
	struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
				 .memory = V4L2_MEMORY_MMAP };
	int ret;

	if (!T_TRUE(reqbufs(c->vfd, V4L2_MEMORY_MMAP, 1) >= 1, "REQBUFS"))
		return -1;
	if (!T_OK(t_ioctl(c->vfd, VIDIOC_QUERYBUF, &b)))
		return -1;
	*va = mmap(NULL, b.length, PROT_READ, MAP_SHARED, c->vfd, b.m.offset);
	if (!T_TRUE(*va != MAP_FAILED, "mmap of vivid's buffer: %s",
		    strerror(errno)))
		return -1;
	T_OK(qbuf(c->vfd, V4L2_MEMORY_MMAP, 0, -1, 0));
	T_OK(stream(c->vfd, 1));
	ret = dqbuf(c->vfd, V4L2_MEMORY_MMAP, &b);
	T_OK(ret);
	T_OK(stream(c->vfd, 0));
	return ret ? -1 : 0;
}

static int take_reference(struct cam *c)
{
	unsigned char *va;
	int ret = capture_mmap(c, &va);

	if (!ret) {
		c->ref = malloc(c->size);
		if (c->ref)
			memcpy(c->ref, va, c->size);
		munmap(va, c->size);
	}
	reqbufs(c->vfd, V4L2_MEMORY_MMAP, 0);
	return c->ref ? 0 : -1;
}

/* the frame in @va is vivid's pattern: the reference frame */
static int frame_ok(const struct cam *c, const unsigned char *va,
		    unsigned int seq)
{
	size_t i;

	for (i = 0; i < c->size; i++)
		if (va[i] != c->ref[i]) {
			t_fail("%s (%s) frame %u: byte %zu is 0x%02x, vivid's "
			       "pattern 0x%02x", c->path, alloc_of(c), seq, i,
			       va[i], c->ref[i]);
			return 0;
		}
	return 1;
}

/* FRAMES frames into NBUF mmz blocks, each checked through mmz */
static void test_capture(struct cam *c)
{
	unsigned long phys[NBUF] = { 0 }, bsz = (c->size + T_PAGE - 1) &
					       ~(T_PAGE - 1);
	unsigned char *va[NBUF] = { NULL };
	int fd = t_open(0), dfd[NBUF], i, good = 0;
	struct v4l2_buffer b;

	for (i = 0; i < NBUF; i++)
		dfd[i] = -1;
	for (i = 0; i < NBUF; i++) {
		if (!T_OK(t_alloc(fd, zone->name, "vivid", bsz, 0, &phys[i])))
			goto out;
		if (!T_OK(t_remap(fd, phys[i], 1, (void **)&va[i])) ||
		    !T_OK(t_export(fd, phys[i], O_RDWR | O_CLOEXEC, &dfd[i])))
			goto out;
		memset(va[i], 0xa5, bsz);
		T_OK(t_flush_dirty(fd, phys[i], va[i], bsz));
	}
	if (!T_EQ(reqbufs(c->vfd, V4L2_MEMORY_DMABUF, NBUF), NBUF))
		goto out;
	for (i = 0; i < NBUF; i++)
		T_OK(qbuf(c->vfd, V4L2_MEMORY_DMABUF, i, dfd[i], bsz));
	T_OK(stream(c->vfd, 1));
	for (i = 0; i < FRAMES; i++) {
		if (!T_OK(dqbuf(c->vfd, V4L2_MEMORY_DMABUF, &b)))
			break;
		T_TRUE(b.index < NBUF && b.bytesused == c->size,
		       "buffer %u, %u bytes used", b.index, b.bytesused);
		if (b.index >= NBUF)
			break;
		/* cached: what the driver wrote, not stale lines */
		T_OK(t_flush_dirty(fd, phys[b.index], va[b.index], bsz));
		good += frame_ok(c, va[b.index], b.sequence);
		memset(va[b.index], 0xa5, bsz);
		T_OK(t_flush_dirty(fd, phys[b.index], va[b.index], bsz));
		T_OK(qbuf(c->vfd, V4L2_MEMORY_DMABUF, b.index, dfd[b.index],
			  bsz));
	}
	printf("%s (%s): %d of %d frames captured into mmz blocks match\n",
	       c->path, alloc_of(c), good, FRAMES);
	T_EQ(good, FRAMES);

	/* the queue holds the blocks: FREE and close wait for REQBUFS 0 */
	for (i = 0; i < NBUF; i++) {
		T_OK(t_unmap(fd, phys[i]));
		va[i] = NULL;
		T_OK(t_free(fd, phys[i]));
		close(dfd[i]);
		dfd[i] = -1;
	}
	close(fd);
	fd = -1;
	T_PROC_BLOCK(phys[0], 1);
	T_OK(dqbuf(c->vfd, V4L2_MEMORY_DMABUF, &b));	/* still capturing */
	T_OK(stream(c->vfd, 0));
	T_EQ(reqbufs(c->vfd, V4L2_MEMORY_DMABUF, 0), 0);
	for (i = 0; i < NBUF; i++)
		T_PROC_BLOCK(phys[i], 0);
	return;
out:
	reqbufs(c->vfd, V4L2_MEMORY_DMABUF, 0);
	for (i = 0; i < NBUF; i++) {
		if (dfd[i] >= 0)
			close(dfd[i]);
		if (va[i])
			t_unmap(fd, phys[i]);
		if (phys[i])
			t_free(fd, phys[i]);
	}
	close(fd);
}

/* vivid's exported buffer into mmz: accepted exactly when contiguous */
static void test_expbuf(struct cam *c)
{
	struct v4l2_exportbuffer ex = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					.index = 0, .flags = O_RDWR };
	unsigned char *d = MAP_FAILED, *va;
	int fd = t_open(0);
	unsigned long phys;
	char what[128];
	struct v4l2_buffer b;
	size_t i;

	if (!T_TRUE(reqbufs(c->vfd, V4L2_MEMORY_MMAP, 1) >= 1, "REQBUFS"))
		goto out;
	if (!T_OK(t_ioctl(c->vfd, VIDIOC_EXPBUF, &ex)))
		goto out;
	d = mmap(NULL, c->size, PROT_READ, MAP_SHARED, ex.fd, 0);
	if (!T_TRUE(d != MAP_FAILED, "mmap of vivid's dma-buf: %s",
		    strerror(errno)))
		goto out;
	for (i = 0; i < c->size; i += T_PAGE)
		(void)*(volatile unsigned char *)(d + i);
	snprintf(what, sizeof(what), "%.64s (%.12s): its exported buffer",
		 c->path, alloc_of(c));
	/* dma-contig's buffers are one range (and mapped by PFN) */
	if (t_import_predicted(fd, what, ex.fd, d, c->size & ~(T_PAGE - 1),
			       allocators[c->inst & 7] == 1, &phys) != 1)
		goto out;
	/* a frame into vivid's buffer, read through mmz */
	T_OK(qbuf(c->vfd, V4L2_MEMORY_MMAP, 0, -1, 0));
	T_OK(stream(c->vfd, 1));
	if (T_OK(dqbuf(c->vfd, V4L2_MEMORY_MMAP, &b)) &&
	    T_OK(t_remap(fd, phys, 1, (void **)&va))) {
		T_OK(t_flush_dirty(fd, phys, va, c->size));
		frame_ok(c, va, b.sequence);
		T_OK(t_unmap(fd, phys));
	}
	T_OK(stream(c->vfd, 0));
	T_OK(t_free(fd, phys));
	T_PROC_BLOCK(phys, 0);
out:
	if (d != MAP_FAILED)
		munmap(d, c->size);
	if (ex.fd > 0)
		close(ex.fd);
	reqbufs(c->vfd, V4L2_MEMORY_MMAP, 0);
	close(fd);
}

int main(void)
{
	struct cam cams[4];
	int n = find_cams(cams, 4), i;

	if (!n) {
		printf("skip: no vivid capture device in this kernel\n");
		return T_EXIT_SKIP;
	}
	zone = t_zone("anonymous");
	read_allocators();
	for (i = 0; i < n; i++) {
		struct cam *c = &cams[i];

		c->ref = NULL;
		if (cam_setup(c) || take_reference(c)) {
			if (c->vfd >= 0)
				close(c->vfd);
			continue;
		}
		test_capture(c);
		test_expbuf(c);
		free(c->ref);
		close(c->vfd);
	}
	T_TRUE(n >= 2, "%d vivid instances, vm/run.sh makes 2", n);
	T_EQ(t_proc_mmb_count(), 0);
	return t_result();
}
