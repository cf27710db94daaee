/* Records of signal.bpf.c; their C# is generated from the object's BTF (EbpfPS.Bpf.SignalGenerateRecord, ...). */
#ifndef EBPFPS_SIGNAL_H
#define EBPFPS_SIGNAL_H

#define SIGNAL_COMM_LEN 16
#define SIGNAL_CMDLINE_LEN 256

enum signal_record_kind {
	SIGNAL_RECORD_GENERATE = 1, /* a signal was generated: struct signal_generate_record */
	SIGNAL_RECORD_DELIVER = 2,  /* a queued signal reached its target: struct signal_target_record */
	SIGNAL_RECORD_EXIT = 3,     /* a process with queued signals died: struct signal_target_record */
};

struct signal_generate_record {
	__u64 timestamp_ns; /* CLOCK_MONOTONIC */
	enum signal_record_kind kind;
	__u32 cpu;
	__s32 sig;
	__s32 result;       /* enum trace_signal_result */
	__s32 code;         /* si_code: SI_USER, SI_QUEUE, SI_TKILL, SI_KERNEL, ... */
	__s32 group;        /* 1 when sent to the whole thread group */
	__u32 sender_pid;
	__u32 sender_tid;
	__u32 sender_uid;
	__u32 target_pid;
	__u32 target_tid;
	__u32 cmdline_len;  /* bytes of sender_cmdline read from the sender's memory */
	__u64 value;        /* si_value of a queued signal (sigqueue), else 0 */
	char sender_comm[SIGNAL_COMM_LEN];
	char target_comm[SIGNAL_COMM_LEN];
	char sender_cmdline[SIGNAL_CMDLINE_LEN]; /* argv joined by NULs, as /proc/PID/cmdline */
};

struct signal_target_record {
	__u64 timestamp_ns;
	enum signal_record_kind kind;
	__u32 cpu;
	__u32 target_pid;
	__u32 target_tid;
	__s32 sig;          /* 0 for SIGNAL_RECORD_EXIT */
	__u32 reserved;
};

#endif
