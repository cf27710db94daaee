// SPDX-License-Identifier: GPL-2.0
/* One program for any tracepoint: it copies the raw record (fixed fields and __data_loc data) and user
 * space decodes it with the tracepoint's format file. Attached once per tracepoint, with the
 * tracepoint's id as the link's cookie (the record's own common_type is overwritten for BPF). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "common.h"
#include "task_match.h"
#include "tracepoint.h"
#include "aggregate.h"
#include "stacks.h"
#include "skeleton.h"

/* The one tracepoint's id where the kernel has no BPF cookies (before 5.15): such a trace attaches one only. */
const volatile __u32 only_id = 0;

SKELETON_TYPE(struct tracepoint_record, tracepoint_record);
SKELETON_TYPE(enum tracepoint_record_flags, tracepoint_record_flags);

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32); /* event id (common_type) */
	__type(value, struct tracepoint_layout);
} layouts SEC(".maps");

/* A record is too large for the BPF stack: it is assembled here, one per CPU. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct tracepoint_record);
} scratch SEC(".maps");

SEC("tracepoint")
int ebpfps_tracepoint(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32, zero = 0, id = only_id ? only_id : (__u32)bpf_get_attach_cookie(ctx);

	if (!process_traced(pid) || !task_matches())
		return 0;
	struct tracepoint_layout *layout = bpf_map_lookup_elem(&layouts, &id);
	struct tracepoint_record *r = bpf_map_lookup_elem(&scratch, &zero);
	if (!layout || !r)
		return 0;

	/* The record ends where the last fixed field or the last __data_loc data ends. */
	__u32 size = layout->fixed_size;
	for (int i = 0; i < TRACEPOINT_MAX_DATA_LOCS; i++) {
		__u32 loc = 0;
		if (i >= layout->data_loc_count)
			break;
		bpf_probe_read_kernel(&loc, sizeof(loc), ctx + (layout->data_loc_offsets[i] & (TRACEPOINT_MAX_DATA - 1)));
		__u32 end = (loc & 0xffff) + (loc >> 16);
		if (end > size)
			size = end;
	}
	r->flags = 0;
	if (size > TRACEPOINT_MAX_DATA - 1) {
		size = TRACEPOINT_MAX_DATA - 1;
		r->flags = TRACEPOINT_TRUNCATED;
	}
	r->timestamp_ns = bpf_ktime_get_ns();
	r->pid = pid;
	r->tid = (__u32)pid_tgid;
	r->cpu = bpf_get_smp_processor_id();
	r->size = size;
	r->event_id = id;
	r->reserved = 0;
	r->kernel_stack = stack_id(ctx, STACK_KERNEL);
	r->user_stack = stack_id(ctx, STACK_USER);
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	if (bpf_probe_read_kernel(r->data, bounded(size, TRACEPOINT_MAX_DATA - 1), ctx))
		return 0;
	if (aggregation.enabled) { /* Measure-BpfTrace: counted here, nothing sent */
		aggregate(r, sizeof(*r));
		return 0;
	}
	__u64 length = offsetof(struct tracepoint_record, data) + bounded(size, TRACEPOINT_MAX_DATA - 1);
	if (bpf_ringbuf_output(&events, r, length, output_flags(&events, length)))
		count_lost();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
