// SPDX-License-Identifier: GPL-2.0
/* bpf_printk from a tracepoint the test triggers: one getppid() of the test's own process writes
 * one line to the trace log, carrying a marker the test chose and the process id.
 * With target_tgid 0 (not set) every getppid() of the system writes one. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

const volatile __u32 target_tgid = 0;
const volatile __u64 marker = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int ebpfps_test_printk(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (target_tgid && tgid != target_tgid)
		return 0;
	bpf_printk("ebpfps-printk marker=%llu pid=%u", marker, tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
