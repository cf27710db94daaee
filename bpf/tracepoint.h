/* Records of tracepoint.bpf.c, shared with src/EbpfPS/Probes/Tracepoints/TracepointRecord.cs. */
#ifndef EBPFPS_TRACEPOINT_H
#define EBPFPS_TRACEPOINT_H

#define TRACEPOINT_COMM_LEN 16
#define TRACEPOINT_MAX_DATA 4096    /* bytes of one raw record we copy, a power of two */
#define TRACEPOINT_MAX_DATA_LOCS 8  /* __data_loc fields per tracepoint whose data we follow */

enum tracepoint_record_flags {
	TRACEPOINT_TRUNCATED = 1,   /* the raw record was longer than TRACEPOINT_MAX_DATA - 1 */
};

/* Where a tracepoint's record ends, set by user space per event id from its format file. */
struct tracepoint_layout {
	__u32 fixed_size;           /* end of the last fixed field */
	__u32 data_loc_count;
	__u16 data_loc_offsets[TRACEPOINT_MAX_DATA_LOCS];
};

struct tracepoint_record {
	__u64 timestamp_ns;
	__u32 pid;
	__u32 tid;
	__u32 cpu;
	__u16 size;                 /* bytes of data */
	__u16 flags;
	__u32 event_id;             /* the tracepoint's id, from the link's cookie */
	__s32 kernel_stack;         /* ids in stacks.h's `stacks` (-Stack), else STACK_NONE */
	__s32 user_stack;
	__u32 reserved;
	char comm[TRACEPOINT_COMM_LEN];
	__u8 data[TRACEPOINT_MAX_DATA]; /* the raw record; its first 8 bytes (common_*) are not
					 * the kernel's: it puts a pt_regs pointer there for BPF */
};

#endif
