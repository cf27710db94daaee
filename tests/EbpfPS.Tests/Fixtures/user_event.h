/* SPDX-License-Identifier: GPL-2.0 */
/* What the user-object fixtures (user_*.bpf.c) report: one record per call and per return of the
 * function they hook, from the process named by the .rodata global target_pid. */
#pragma once

enum side { SIDE_CALL = 1, SIDE_RETURN = 2 };

struct event {
	__u32 pid;
	__u32 tid;
	enum side side;
	__s64 value; /* an argument on the call, the return value on the return */
};

/* Keeps struct event in the object's BTF, where EbpfPS finds the type of its records. */
struct event *unused_event __attribute__((unused));

const volatile __u32 target_pid = 0;

static __always_inline int from_target(struct event *e, enum side side, __s64 value)
{
	__u64 id = bpf_get_current_pid_tgid();

	if (id >> 32 != target_pid)
		return 0;
	e->pid = id >> 32;
	e->tid = (__u32)id;
	e->side = side;
	e->value = value;
	return 1;
}
