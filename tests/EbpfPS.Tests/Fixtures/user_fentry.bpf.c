// SPDX-License-Identifier: GPL-2.0
/* A user's object with fentry and fexit on do_rmdir: arguments typed by BTF through BPF_PROG, the
 * return value after them in fexit, records through a ring buffer. (Not do_unlinkat, which the kprobe
 * fixture hooks: Debian's 6.1 once crashed with fentry and a kprobe on one function in turn.) */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "user_ring.h"

SEC("fentry/do_rmdir")
int BPF_PROG(rmdir_call, int dfd, struct filename *name)
{
	return emit(SIDE_CALL, dfd);
}

SEC("fexit/do_rmdir")
int BPF_PROG(rmdir_return, int dfd, struct filename *name, int ret)
{
	return emit(SIDE_RETURN, ret);
}

char LICENSE[] SEC("license") = "GPL";
