// SPDX-License-Identifier: GPL-2.0
/* A CPU profiler: attached to a CPU clock perf event on each CPU, every sample counts the interrupted task's process,
 * command and kernel and user stacks in the kernel; user space reads the counts and the stacks once at the end
 * (BCC's profile, bpftrace's profile:hz:99 { @[kstack, ustack] = count(); }). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "pid_set.h"
#include "profile.h"
#include "stacks.h"
#include "skeleton.h"

#define EEXIST 17
#define E2BIG 7

SKELETON_TYPE(struct profile_key, profile_key);

/* Written by user space before load. */
PID_SET(pids);                              /* no ids: every process */
const volatile bool include_idle = false;   /* count samples of the idle task (pid 0) */

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 40960);
	__type(key, struct profile_key);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profile_losses);
} losses SEC(".maps");

static __always_inline bool is_user_task(void)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	return BPF_CORE_READ(task, mm) != NULL;
}

SEC("perf_event")
int ebpfps_profile(struct bpf_perf_event_data *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = id >> 32;
	if ((__u32)id == 0 && !include_idle)
		return 0;
	if (!pid_allowed(&pids, pid))
		return 0;

	__u32 zero = 0;
	struct profile_losses *lost = bpf_map_lookup_elem(&losses, &zero);
	if (!lost)
		return 0;

	struct profile_key key = { .pid = pid };
	bpf_get_current_comm(key.comm, sizeof(key.comm));
	key.kernel_stack = bpf_get_stackid(ctx, &stacks, 0);
	key.user_stack = bpf_get_stackid(ctx, &user_stacks, BPF_F_USER_STACK);
	if (key.kernel_stack == -EEXIST)
		lost->kernel_collisions++;
	if (key.user_stack == -EEXIST)
		lost->user_collisions++;
	else if (key.user_stack < 0 && is_user_task())
		lost->user_missing++;

	__u64 *count = bpf_map_lookup_elem(&counts, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
		return 0;
	}
	__u64 one = 1;
	long err = bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST);
	if (err == -EEXIST) { /* another CPU counted the same key first */
		count = bpf_map_lookup_elem(&counts, &key);
		if (count)
			__sync_fetch_and_add(count, 1);
	} else if (err) {
		lost->keys_full++;
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
