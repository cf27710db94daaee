// SPDX-License-Identifier: GPL-2.0
/* The benchmark's own programs: a traffic generator (run with BPF_PROG_TEST_RUN in live-frames mode,
 * it sends every frame out of the sender's veth end) and the baselines the filter is compared with. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 target_ifindex = 0;

SEC("xdp")
int ebpfps_bench_send(struct xdp_md *ctx)
{
	return bpf_redirect(target_ifindex, 0);
}

/* The least an XDP program can do to drop a packet. */
SEC("xdp")
int ebpfps_bench_drop(struct xdp_md *ctx)
{
	return XDP_DROP;
}

/* veth takes redirected frames only while its peer runs an XDP program: this one hands them to the
 * stack, where iptables drops them. */
SEC("xdp")
int ebpfps_bench_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
