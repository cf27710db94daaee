// SPDX-License-Identifier: GPL-2.0
/* The benchmark's user object (Start-BpfTrace -Path): every getppid of one process as a record in a perf
 * buffer, the path of objects written for kernels before ring buffers (and of bpftrace's printf). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 target_pid = 0;

struct event {
	__u64 timestamp_ns;
	__u32 pid;
	__u32 tid;
};

/* Keeps struct event in the object's BTF, where EbpfPS finds the type of its records. */
struct event *unused_event __attribute__((unused));

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_getppid")
int getppid_enter(void *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct event e = {};

	if ((__u32)(id >> 32) != target_pid)
		return 0;
	e.timestamp_ns = bpf_ktime_get_ns();
	e.pid = id >> 32;
	e.tid = (__u32)id;
	bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
