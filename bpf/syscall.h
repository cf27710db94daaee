/* Records of syscall.bpf.c; their C# is generated from the object's BTF (EbpfPS.Bpf.SyscallRecord, ...). */
#ifndef EBPFPS_SYSCALL_H
#define EBPFPS_SYSCALL_H

#define SYSCALL_COMM_LEN 16
#define SYSCALL_MAX_ARGS 6
#define SYSCALL_DATA_LEN 256       /* a string argument, or the first bytes of an I/O buffer */
#define SYSCALL_NR_MAX 1024        /* entries of the by-number table: x86-64's numbers end below 500 */

/* What user space tells about a traced syscall. */
struct syscall_spec {
	__u32 arg_count;
	__s32 string_arg;           /* index of the `const char *` argument read as a string, or -1 */
	__u32 enter_id;             /* its sys_enter tracepoint id, which names it in the record */
	__s32 buffer_arg;           /* index of the I/O buffer whose first bytes -CaptureBytes copies at the exit, or -1 */
};

/* One finished syscall: entry and exit joined in the kernel. The ring gets only the arguments the syscall
 * has (and all six before data that was read): getppid's record is 64 bytes, not 112. */
struct syscall_record {
	__u64 enter_ns;
	__u64 exit_ns;
	__u32 pid;
	__u32 tid;
	__u32 cpu;
	__u32 enter_id;             /* sys_enter tracepoint id: names the syscall */
	__s64 ret;
	__u32 data_len;             /* bytes of data: a string incl. its NUL, or of an I/O buffer; 0 when none was read */
	__u32 arg_count;
	__s32 kernel_stack;         /* ids in stacks.h's `stacks` (-Stack), else STACK_NONE */
	__s32 user_stack;
	char comm[SYSCALL_COMM_LEN];
	__u64 args[SYSCALL_MAX_ARGS];
	char data[SYSCALL_DATA_LEN];
};

/* A call in progress, waiting for its exit. */
struct syscall_entry {
	struct syscall_record record;
	__s32 buffer_arg;           /* the spec's, for the exit */
	__u32 padding;
};

#endif
