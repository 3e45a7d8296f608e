# mmz top-level targets. See README.md.
#   make demo        the camera-like pipeline demo in a QEMU VM (the main job)
#   make test        every test (unit, fuzz briefly, VM); last line "N passed, N failed"
#   make test-unit   user-space core tests (fast)
#   make test-vm     module tests in a QEMU VM (builds/caches a kernel first)
#   make bench       core placement benchmark (callgrind instruction counts)
#   make bench-vm    in-VM latency benchmark: mmz vs dma-heaps, one boot, perf kernel
#   make fuzz        long fuzzing run (FUZZ_SECONDS each target, default 600)
#   make test-lib    libmmz/mmz CLI host tests
#   make lib tools   build libmmz (+ HiSilicon layer) and the mmz CLI; make install PREFIX= DESTDIR=
#   make module      build kernel/mmz.ko against KDIR (ARCH, CROSS_COMPILE pass through)

FUZZ_SECONDS ?= 600

.PHONY: all demo test test-unit test-vm test-fuzz test-lib bench bench-vm fuzz module lib tools install clean deps
PREFIX ?= /usr/local

all: test-unit

demo:
	bash demo/run.sh

deps:
	bash vm/deps.sh test 6.1 6.12 arm64-6.12

test:
	bash tests/run-all.sh

test-unit:
	bash tests/run-unit.sh

test-fuzz:
	bash tests/run-fuzz.sh 20

test-vm:
	bash tests/run-vm.sh

test-lib:
	bash tests/lib/run-unit.sh

bench:
	bash bench/run.sh

bench-vm:
	bash bench/run-vm.sh

lib:
	$(MAKE) -C lib

tools:
	$(MAKE) -C tools

install:
	$(MAKE) -C lib install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	$(MAKE) -C tools install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)

fuzz:
	bash tests/run-fuzz.sh $(FUZZ_SECONDS)

module:
	$(MAKE) -C kernel KDIR=$(KDIR)

clean:
	rm -rf build lib/build tools/build
	-$(MAKE) -C kernel clean KDIR=$(KDIR) 2>/dev/null
