/* The busy process of tools/bench-profile.sh: spins in a few functions for SECONDS and prints how many rounds a
 * second it made, which a profiler's sampling slows down by what it costs. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static volatile unsigned long sink;

__attribute__((noinline)) static void inner(void) { for (int i = 0; i < 1000; i++) sink += i; }
__attribute__((noinline)) static void outer(void) { for (int i = 0; i < 10; i++) inner(); }

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 5, start = now(), end = start + seconds;
	unsigned long rounds = 0;
	while (now() < end) {
		outer();
		rounds++;
	}
	printf("%.0f\n", rounds / (now() - start));
	return 0;
}
