/* Records of syscall.bpf.c, shared with src/EbpfPS/Probes/Syscalls/SyscallRecords.cs. */
#ifndef EBPFPS_SYSCALL_H
#define EBPFPS_SYSCALL_H

#define SYSCALL_COMM_LEN 16
#define SYSCALL_MAX_ARGS 6
#define SYSCALL_STRING_LEN 256
#define SYSCALL_NR_MAX 1024        /* entries of the by-number table: x86-64's numbers end below 500 */

/* What user space tells about a traced syscall. */
struct syscall_spec {
	__u32 arg_count;
	__s32 string_arg;           /* index of the `const char *` argument read as a string, or -1 */
	__u32 enter_id;             /* its sys_enter tracepoint id, which names it in the record */
};

/* One finished syscall: entry and exit joined in the kernel. The ring gets only the arguments the syscall
 * has (and all six before a string that was read): getppid's record is 64 bytes, not 112. */
struct syscall_record {
	__u64 enter_ns;
	__u64 exit_ns;
	__u32 pid;
	__u32 tid;
	__u32 cpu;
	__u32 enter_id;             /* sys_enter tracepoint id: names the syscall */
	__s64 ret;
	__u32 string_len;           /* bytes of string incl. NUL, 0 when none was read */
	__u32 arg_count;
	char comm[SYSCALL_COMM_LEN];
	__u64 args[SYSCALL_MAX_ARGS];
	char string[SYSCALL_STRING_LEN];
};

#endif
