// SPDX-License-Identifier: GPL-2.0
/* The map the benchmark reads: 100,000 flows keyed by id, with a struct value (BTF-described). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct bench_flow {
	__u64 packets;
	__u64 bytes;
	__u32 pid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 100000);
	__type(key, __u32);
	__type(value, struct bench_flow);
} bench_flows SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
