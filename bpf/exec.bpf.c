// SPDX-License-Identifier: GPL-2.0
/* Every execve/execveat, successful or not: filename and argv read from the caller at entry, the
 * result at exit, one record per exec. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "common.h"
#include "task_match.h"
#include "exec.h"
#include "aggregate.h"
#include "skeleton.h"

SKELETON_TYPE(struct exec_record, exec_record);

/* Execs between entry and exit, by process: a successful exec from another thread runs its exit
 * as the group leader, so the thread id would not find the entry again. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct exec_record);
} in_flight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_record);
} scratch SEC(".maps");

static __always_inline int enter(const char *filename, const char *const *argv)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32, zero = 0;

	if (!process_traced(pid) || !user_and_cgroup_match())
		return 0;
	struct exec_record *r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return 0;

	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	r->enter_ns = bpf_ktime_get_ns();
	r->exit_ns = 0;
	r->pid = pid;
	r->tid = (__u32)pid_tgid;
	r->ppid = BPF_CORE_READ(task, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&r->parent_comm, task, real_parent, group_leader, comm); /* the process, not the forking thread */
	r->uid = (__u32)bpf_get_current_uid_gid();
	r->ret = 0;
	r->flags = 0;
	r->args_count = 0;
	r->args_size = 0;
	if (bpf_probe_read_user_str(r->filename, sizeof(r->filename), filename) < 0)
		r->filename[0] = 0;

	for (int i = 0; i < EXEC_MAX_ARGS; i++) {
		const char *arg = 0;
		if (bpf_probe_read_user(&arg, sizeof(arg), &argv[i]) || !arg)
			break;
		if (r->args_size > EXEC_ARGS_SIZE - EXEC_ARG_LEN) {
			r->flags |= EXEC_ARGS_TRUNCATED;
			break;
		}
		long n = bpf_probe_read_user_str(&r->args[bounded(r->args_size, EXEC_ARGS_SIZE - 1)], EXEC_ARG_LEN, arg);
		if (n < 0)
			break;
		if (n == EXEC_ARG_LEN)
			r->flags |= EXEC_ARGS_TRUNCATED;
		r->args_count++;
		r->args_size += n;
	}
	if (r->args_count == EXEC_MAX_ARGS) {
		const char *more = 0;
		if (!bpf_probe_read_user(&more, sizeof(more), &argv[EXEC_MAX_ARGS]) && more)
			r->flags |= EXEC_ARGS_TRUNCATED;
	}
	bpf_map_update_elem(&in_flight, &pid, r, BPF_ANY);
	return 0;
}

static __always_inline int leave(long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32;
	struct exec_record *r = bpf_map_lookup_elem(&in_flight, &pid);
	if (!r)
		return 0;
	r->exit_ns = bpf_ktime_get_ns();
	r->tid = (__u32)pid_tgid;
	r->ret = ret;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	/* -Command matches what the event's Command shows: the new program's name after a successful exec */
	if (!comm_matches(r->comm))
		;
	else if (aggregation.enabled) /* Measure-BpfTrace: counted here, nothing sent */
		aggregate(r, sizeof(*r));
	else if (bpf_ringbuf_output(&events, r, sizeof(*r), output_flags(&events, sizeof(*r))))
		count_lost();
	bpf_map_delete_elem(&in_flight, &pid);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_execve")
int ebpfps_execve(struct trace_event_raw_sys_enter *ctx)
{
	return enter((const char *)ctx->args[0], (const char *const *)ctx->args[1]);
}

SEC("tracepoint/syscalls/sys_enter_execveat")
int ebpfps_execveat(struct trace_event_raw_sys_enter *ctx)
{
	return enter((const char *)ctx->args[1], (const char *const *)ctx->args[2]);
}

SEC("tracepoint/syscalls/sys_exit_execve")
int ebpfps_execve_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx->ret);
}

SEC("tracepoint/syscalls/sys_exit_execveat")
int ebpfps_execveat_exit(struct trace_event_raw_sys_exit *ctx)
{
	return leave(ctx->ret);
}

char LICENSE[] SEC("license") = "GPL";
