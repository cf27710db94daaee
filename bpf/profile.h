/* The CPU profiler's counts (profile.bpf.c): one per process, command and pair of stacks. */
#ifndef EBPFPS_PROFILE_H
#define EBPFPS_PROFILE_H

#define PROFILE_COMM_LEN 16

struct profile_key {
	__u32 pid;                  /* process (thread group) id; 0 for the idle task */
	__s32 kernel_stack;         /* id in stacks.h's `stacks`, or -errno: -EFAULT when the sample has no kernel part */
	__s32 user_stack;           /* id in stacks.h's `stacks`, or -errno: -EFAULT for kernel threads */
	char comm[PROFILE_COMM_LEN]; /* the thread's name */
};

/* Samples whose stacks or counts are incomplete, per CPU, for user space to report. */
struct profile_losses {
	__u64 kernel_collisions;    /* -EEXIST: another kernel stack holds the same bucket of `stacks` */
	__u64 user_collisions;      /* -EEXIST for a user stack */
	__u64 user_missing;         /* a process's user stack could not be read (-EFAULT) */
	__u64 keys_full;            /* `counts` was full: the sample was not counted */
};

#endif
