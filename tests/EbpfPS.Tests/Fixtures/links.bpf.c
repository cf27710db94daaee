// SPDX-License-Identifier: GPL-2.0
/* Programs attached three ways, for Get-BpfLink to describe as bpftool does: a BTF tracepoint (tracing
 * link), a tracepoint (perf_event link) and a raw tracepoint (raw_tracepoint link). They do nothing. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

SEC("tp_btf/sched_process_fork")
int fx_tp_btf(void *ctx)
{
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getppid")
int fx_tracepoint(void *ctx)
{
	return 0;
}

SEC("raw_tp/sched_process_exec")
int fx_raw_tp(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
