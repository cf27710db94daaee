/* Records of kfunc.bpf.c (kernel functions, and user functions through uprobes); their C# is generated from the object's BTF (EbpfPS.Bpf.KfuncRecord). */
#ifndef EBPFPS_KFUNC_H
#define EBPFPS_KFUNC_H

#define KFUNC_COMM_LEN 16
#define KFUNC_MAX_ARGS 6
#define KFUNC_STRING_RETURN (1 << KFUNC_MAX_ARGS) /* string_args' bit for the return value */

/* Strings read per call (of arguments, then of the return value) and their size; an enum, so that user space
 * gets the numbers too. */
enum kfunc_string_layout {
	KFUNC_STRINGS = 3,
	KFUNC_STRING_LEN = 128,
};

enum kfunc_record_kind {
	KFUNC_ENTRY = 1,            /* a call, without its return */
	KFUNC_RETURN = 2,           /* a call and its return, joined */
};

struct kfunc_record {
	__u64 timestamp_ns;         /* of the entry */
	__u64 duration_ns;          /* 0 for KFUNC_ENTRY */
	__u32 pid;
	__u32 tid;
	__u32 cpu;
	enum kfunc_record_kind kind;
	__u64 args[KFUNC_MAX_ARGS];
	__s64 ret;
	__u64 cookie;               /* the link's (with_cookie): which of a trace's user functions was called */
	__s32 kernel_stack;         /* ids in stacks.h's `stacks` at the call (-Stack), else STACK_NONE */
	__s32 user_stack;
	char comm[KFUNC_COMM_LEN];
	/* The strings that string_args' arguments (and the return value) point to, in that order; a record without
	 * strings ends before them. */
	char strings[KFUNC_STRINGS][KFUNC_STRING_LEN];
};

#endif
