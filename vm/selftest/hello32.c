/* Proves IA32_EMULATION: a static 32-bit program runs on the test kernel. */
#include <stdio.h>

int main(void)
{
	printf("hello32 sizeof(long)=%zu\n", sizeof(long));
	return sizeof(long) == 4 ? 0 : 1;
}
