// SPDX-License-Identifier: GPL-2.0
/* A user's object with fentry and fexit on do_unlinkat: arguments typed by BTF through BPF_PROG,
 * the return value after them in fexit, records through a ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "user_event.h"

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 16);
} events SEC(".maps");

static __always_inline int emit(enum side side, __s64 value)
{
	struct event e = {};

	if (from_target(&e, side, value))
		bpf_ringbuf_output(&events, &e, sizeof(e), 0);
	return 0;
}

SEC("fentry/do_unlinkat")
int BPF_PROG(unlink_call, int dfd, struct filename *name)
{
	return emit(SIDE_CALL, dfd);
}

SEC("fexit/do_unlinkat")
int BPF_PROG(unlink_return, int dfd, struct filename *name, int ret)
{
	return emit(SIDE_RETURN, ret);
}

char LICENSE[] SEC("license") = "GPL";
