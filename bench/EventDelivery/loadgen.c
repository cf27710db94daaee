// Load generator of bench/EventDelivery. Prints "ready PID" (PID: the process to trace, see below), waits
// for a line on stdin, runs, prints "done EVENTS NANOSECONDS" and exits.
//   loadgen syscalls N        N getppid calls in a tight loop (the traced pid is this process)
//   loadgen rate R SECONDS    getppid at R calls/s for SECONDS, paced every 100 us
//   loadgen signals M         M sigqueue(SIGRTMIN) to a child that handles them (the traced pid is the
//                             sender, this process); retried while the child's queue is full (EAGAIN)
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void wait_go(void)
{
	char line[16];
	printf("ready %d\n", getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		exit(2);
}

static volatile sig_atomic_t handled;
static void on_rt(int sig, siginfo_t *info, void *uc) { (void)sig; (void)info; (void)uc; handled++; }

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: loadgen syscalls N | rate R SECONDS | signals M\n");
		return 2;
	}
	long long n = atoll(argv[2]), events = 0, start, end;

	if (!strcmp(argv[1], "syscalls")) {
		wait_go();
		start = now_ns();
		for (long long i = 0; i < n; i++)
			syscall(SYS_getppid);
		end = now_ns();
		events = n;
	} else if (!strcmp(argv[1], "rate")) {
		double seconds = argc > 3 ? atof(argv[3]) : 2;
		long long total = (long long)(n * seconds), step = 100000; /* 100 us */
		wait_go();
		start = now_ns();
		for (long long next = start; events < total; next += step) {
			long long due = (long long)((double)(next + step - start) * n / 1e9);
			if (due > total) due = total;
			for (; events < due; events++)
				syscall(SYS_getppid);
			while (now_ns() < next + step) { }
		}
		end = now_ns();
	} else if (!strcmp(argv[1], "signals")) {
		sigset_t rt;
		sigemptyset(&rt);
		sigaddset(&rt, SIGRTMIN);
		pid_t child = fork();
		if (child == 0) {
			struct sigaction sa = { .sa_sigaction = on_rt, .sa_flags = SA_SIGINFO | SA_RESTART };
			sigaction(SIGRTMIN, &sa, NULL);
			sigaddset(&rt, SIGTERM);
			sigprocmask(SIG_UNBLOCK, &rt, NULL);
			for (;;)
				pause();
		}
		usleep(20000); /* the child installs its handler */
		wait_go();
		start = now_ns();
		union sigval v = { .sival_int = 0 };
		for (long long i = 0; i < n; i++) {
			v.sival_int = (int)i;
			while (sigqueue(child, SIGRTMIN, v) != 0) {
				if (errno != EAGAIN) { perror("sigqueue"); return 1; }
				sched_yield();
			}
		}
		end = now_ns();
		events = n;
		usleep(50000); /* the last ones are delivered */
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
	} else {
		fprintf(stderr, "unknown mode %s\n", argv[1]);
		return 2;
	}
	printf("done %lld %lld\n", events, end - start);
	fflush(stdout);
	return 0;
}
