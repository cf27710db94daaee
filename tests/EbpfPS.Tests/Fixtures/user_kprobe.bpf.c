// SPDX-License-Identifier: GPL-2.0
/* A user's object as libbpf-tools write one: a kprobe and a kretprobe on do_unlinkat, the argument
 * through BPF_KPROBE, the return value through BPF_KRETPROBE, records through a ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "user_ring.h"

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(unlink_call, int dfd)
{
	return emit(SIDE_CALL, dfd);
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(unlink_return, int ret)
{
	return emit(SIDE_RETURN, ret);
}

char LICENSE[] SEC("license") = "GPL";
