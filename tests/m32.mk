# Included by tests/vm and tests/lib: how to build a 32-bit x86 program.
# <asm/...> comes from the host's multiarch directory, so gcc-12-multilib
# suffices (gcc-multilib, which only adds a symlink for it, conflicts with
# the arm64 cross compiler).
M32 = -m32 -idirafter /usr/include/$(shell $(CC) -print-multiarch)
