/* Who a trace is limited to, checked on the task the event happens in: its process (the ids given, and with
 * -IncludeChildren the processes they start), its user id, its command name (exact, or a prefix; ASCII case
 * folded like PowerShell's -like) and its cgroup v2 subtree. Written by user space before load
 * (TaskFilter.cs): the verifier drops the checks a trace does not use. */
#ifndef EBPFPS_TASK_MATCH_H
#define EBPFPS_TASK_MATCH_H

#define MAX_UID_FILTER 8
#define MAX_COMM_FILTER 8
#define MATCH_COMM_LEN 16

struct comm_pattern {
	__u32 len;                    /* bytes compared; an exact name counts its NUL */
	char text[MATCH_COMM_LEN];     /* lower case */
};

struct task_match {
	__u32 uid_count;              /* 0: any user */
	__u32 uids[MAX_UID_FILTER];
	__u32 comm_count;             /* 0: any command */
	struct comm_pattern comms[MAX_COMM_FILTER];
	__u32 in_cgroup;              /* 1: only tasks in the cgroup of cgroup_filter[0] or below it */
};

const volatile struct task_match task_match = {};

PID_SET(pids);

/* -IncludeChildren: processes started by a traced one (ebpfps_fork), and the children they had when the trace
 * began (written by user space); LRU, so that processes that come and go cannot fill it. */
const volatile bool include_children = false;

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);            /* process id */
	__type(value, __u8);
} children SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CGROUP_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} cgroup_filter SEC(".maps");

static __always_inline char fold_case(char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static __always_inline bool comm_pattern_matches(const volatile struct comm_pattern *p, const char *comm)
{
	__u32 len = p->len;
	for (int j = 0; j < MATCH_COMM_LEN; j++) {
		if (j >= len)
			break;
		if (fold_case(comm[j]) != p->text[j])
			return false;
	}
	return true;
}

/* COMM: the task's 16-byte name. */
static __always_inline bool comm_matches(const char *comm)
{
	__u32 count = task_match.comm_count;
	if (count == 0)
		return true;
	for (int i = 0; i < MAX_COMM_FILTER; i++) {
		if (i >= count)
			break;
		if (comm_pattern_matches(&task_match.comms[i], comm))
			return true;
	}
	return false;
}

static __always_inline bool process_traced(__u32 pid)
{
	if (pid_allowed(&pids, pid))
		return true;
	return include_children && bpf_map_lookup_elem(&children, &pid);
}

/* A fork of a traced process: its child is traced too. Loaded and attached with -IncludeChildren only. */
SEC("tracepoint/sched/sched_process_fork")
int ebpfps_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	__u32 parent = bpf_get_current_pid_tgid() >> 32, child = ctx->child_pid;
	__u8 yes = 1;
	if (process_traced(parent) && child != parent) /* a new thread's id is not a process */
		bpf_map_update_elem(&children, &child, &yes, BPF_ANY);
	return 0;
}

/* The user and cgroup of the current task. */
static __always_inline bool user_and_cgroup_match(void)
{
	__u32 count = task_match.uid_count;
	if (count) {
		__u32 uid = (__u32)bpf_get_current_uid_gid();
		bool found = false;
		for (int i = 0; i < MAX_UID_FILTER; i++) {
			if (i >= count)
				break;
			if (task_match.uids[i] == uid)
				found = true;
		}
		if (!found)
			return false;
	}
	return !task_match.in_cgroup || bpf_current_task_under_cgroup(&cgroup_filter, 0) == 1;
}

/* All of it for the current task. */
static __always_inline bool task_matches(void)
{
	if (!user_and_cgroup_match())
		return false;
	if (task_match.comm_count == 0)
		return true;
	char comm[MATCH_COMM_LEN];
	bpf_get_current_comm(comm, sizeof(comm));
	return comm_matches(comm);
}

#endif
