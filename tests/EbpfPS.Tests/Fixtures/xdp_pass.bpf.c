// SPDX-License-Identifier: GPL-2.0
/* A foreign XDP program, attached by hand (ip link set dev X xdp obj ...) as a user would. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
