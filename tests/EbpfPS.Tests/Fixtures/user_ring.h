/* SPDX-License-Identifier: GPL-2.0 */
/* The ring buffer of the user-object fixtures that report through one (user_kprobe, user_fentry). */
#pragma once
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
