/* Records of exec.bpf.c; their C# is generated from the object's BTF (EbpfPS.Bpf.ExecRecord). */
#ifndef EBPFPS_EXEC_H
#define EBPFPS_EXEC_H

#define EXEC_COMM_LEN 16
#define EXEC_FILENAME_LEN 256
#define EXEC_MAX_ARGS 32           /* arguments read from argv */
#define EXEC_ARG_LEN 256           /* bytes read of one argument */
#define EXEC_ARGS_SIZE (EXEC_MAX_ARGS * EXEC_ARG_LEN)

enum exec_record_flags {
	EXEC_ARGS_TRUNCATED = 1,   /* argv had more arguments, or an argument was longer, than we read */
};

struct exec_record {
	__u64 enter_ns;
	__u64 exit_ns;
	__u32 pid;
	__u32 tid;
	__u32 ppid;
	__u32 uid;
	__s32 ret;                 /* 0, or -errno of a failed exec */
	enum exec_record_flags flags;
	__u32 args_count;
	__u32 args_size;           /* bytes of args: the arguments, each ending in NUL */
	char comm[EXEC_COMM_LEN];  /* after a successful exec: the new program's */
	char parent_comm[EXEC_COMM_LEN];
	char filename[EXEC_FILENAME_LEN];
	char args[EXEC_ARGS_SIZE];
};

#endif
