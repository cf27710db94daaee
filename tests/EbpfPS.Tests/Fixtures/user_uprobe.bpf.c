// SPDX-License-Identifier: GPL-2.0
/* A user's object with a uprobe and a uretprobe on libc's getpid (libbpf finds libc.so.6 by name),
 * records through a perf buffer: the path older kernels without ring buffers take. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "user_event.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

static __always_inline int emit(void *ctx, enum side side, __s64 value)
{
	struct event e = {};

	if (from_target(&e, side, value))
		bpf_perf_event_output(ctx, &events, BPF_F_CURRENT_CPU, &e, sizeof(e));
	return 0;
}

SEC("uprobe/libc.so.6:getpid")
int BPF_KPROBE(getpid_call)
{
	return emit(ctx, SIDE_CALL, 0);
}

SEC("uretprobe/libc.so.6:getpid")
int BPF_KRETPROBE(getpid_return, int ret)
{
	return emit(ctx, SIDE_RETURN, ret);
}

char LICENSE[] SEC("license") = "GPL";
