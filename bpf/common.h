/* What every probe of ours shares: the counter of records that did not fit into the ring buffer,
 * and sets of process ids to filter on in the kernel. */
#ifndef EBPFPS_COMMON_H
#define EBPFPS_COMMON_H

#include "bounded.h"
#include "pid_set.h"

/* The records, to user space; sized there before load (the trace's -BufferSize). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

/* A counter per CPU, which user space sums. */
#define PER_CPU_COUNTER(name)                          \
	struct {                                       \
		__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); \
		__uint(max_entries, 1);                \
		__type(key, __u32);                    \
		__type(value, __u64);                  \
	} name SEC(".maps")

static __always_inline void count_one(void *counter)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(counter, &zero);
	if (n)
		__sync_fetch_and_add(n, 1);
}

/* Records that did not fit into the ring buffer (read by user space as "lost"). */
PER_CPU_COUNTER(lost);

static __always_inline void count_lost(void)
{
	count_one(&lost);
}

/* Wake-up batching. Records are submitted without waking user space (BPF_RB_NO_WAKEUP): the reader drains on
 * a short timer anyway. The one record that carries the bytes waiting in the ring past this threshold wakes
 * it (BPF_RB_FORCE_WAKEUP), so that a burst is drained before the ring fills; while a backlog stays above
 * it (the pipeline is behind and the reader waits for room), further wake-ups would only cost the traced
 * program an interrupt each. 0 (the default) keeps the kernel's own policy: a wake-up whenever the reader
 * has caught up. Written by user space before load. */
const volatile __u64 ebpfps_wakeup_bytes = 0;

static __always_inline __u64 wakeup_flags(__u64 waiting, __u64 size)
{
	if (ebpfps_wakeup_bytes == 0)
		return 0;
	return waiting < ebpfps_wakeup_bytes && waiting + size >= ebpfps_wakeup_bytes ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/* Flags for bpf_ringbuf_output of SIZE bytes: the record is not in the ring yet. */
static __always_inline __u64 output_flags(void *ring, __u64 size)
{
	return wakeup_flags(bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA), size);
}

/* Flags for bpf_ringbuf_submit of a reserved record of SIZE bytes: the ring counts it already. */
static __always_inline __u64 submit_flags(void *ring, __u64 size)
{
	return wakeup_flags(bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) - size, size);
}

#endif
