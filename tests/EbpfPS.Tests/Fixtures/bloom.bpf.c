// SPDX-License-Identifier: GPL-2.0
/* A bloom filter (5.16+), apart from maps.bpf.c so that older kernels load that one. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 16);
	__type(value, __u32);
} seen SEC(".maps");

SEC("socket")
int fx_noop(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
