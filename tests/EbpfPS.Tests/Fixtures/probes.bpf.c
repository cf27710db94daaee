// SPDX-License-Identifier: GPL-2.0
/* A kprobe and an fentry program on the same function: attaching them through libbpf is the independent
 * witness of what Get-BpfFeature says about kprobes and fentry. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("kprobe/do_nanosleep")
int fx_kprobe(void *ctx)
{
	return 0;
}

SEC("fentry/do_nanosleep")
int fx_fentry(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
