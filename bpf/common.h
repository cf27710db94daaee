/* What every probe of ours shares: the counter of records that did not fit into the ring buffer,
 * and sets of process ids to filter on in the kernel. */
#ifndef EBPFPS_COMMON_H
#define EBPFPS_COMMON_H

#include "bounded.h"

#define MAX_PID_FILTER 64

/* Records that did not fit into the ring buffer, per CPU (read by user space as "lost"). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

static __always_inline void count_lost(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&lost, &zero);
	if (n)
		*n += 1;
}

/* Wake-up batching. Below this many bytes waiting in the ring buffer a submission does not wake user
 * space (BPF_RB_NO_WAKEUP): the reader drains on a short timer anyway. At or above it, it forces a
 * wake-up so that a burst is drained before the ring fills. 0 (the default) keeps the kernel's own
 * policy: a wake-up whenever the reader has caught up. Written by user space before load. */
const volatile __u64 ebpfps_wakeup_bytes = 0;

static __always_inline __u64 submit_flags(void *ring)
{
	if (ebpfps_wakeup_bytes == 0)
		return 0;
	return bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) < ebpfps_wakeup_bytes ? BPF_RB_NO_WAKEUP : BPF_RB_FORCE_WAKEUP;
}

/* A set of process ids (thread group ids), filled by user space before attaching. */
#define PID_SET(name)                                  \
	struct {                                       \
		__uint(type, BPF_MAP_TYPE_HASH);       \
		__uint(max_entries, MAX_PID_FILTER);   \
		__type(key, __u32);                    \
		__type(value, __u8);                   \
	} name SEC(".maps")

static __always_inline bool pid_in(void *set, __u32 pid)
{
	return bpf_map_lookup_elem(set, &pid) != 0;
}

#endif
