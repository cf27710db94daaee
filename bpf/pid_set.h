/* Sets of process ids to filter on in the kernel, apart from common.h's ring buffer so that an object without
 * records (profile.bpf.c) filters the same way. */
#ifndef EBPFPS_PID_SET_H
#define EBPFPS_PID_SET_H

#define MAX_PID_FILTER 64

/* A set of process ids (thread group ids), written by user space before load (TaskFilter.SetPidSet):
 * the verifier knows it as constants, and a check is a few compares instead of a hash map's helper call on
 * every event of every process. */
struct pid_set {
	__u32 count;                  /* 0: every process but `exclude` */
	__u32 exclude;                /* the tracing process itself, or 0 */
	__u32 pids[MAX_PID_FILTER];
};

#define PID_SET(name) const volatile struct pid_set name = {}

static __always_inline bool pid_allowed(const volatile struct pid_set *set, __u32 pid)
{
	__u32 count = set->count;
	if (count == 0)
		return set->exclude == 0 || pid != set->exclude;
	for (__u32 i = 0; i < MAX_PID_FILTER && i < count; i++)
		if (set->pids[i] == pid)
			return true;
	return false;
}

#endif
