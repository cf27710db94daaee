// SPDX-License-Identifier: GPL-2.0
/* A program the verifier must reject: it reads a map value without checking it for NULL. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} counter SEC(".maps");

SEC("tp_btf/signal_generate")
int unchecked_lookup(void *ctx)
{
	__u32 key = 0;
	__u64 *value = bpf_map_lookup_elem(&counter, &key);
	return *value;
}

char LICENSE[] SEC("license") = "GPL";
