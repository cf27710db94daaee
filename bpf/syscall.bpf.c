// SPDX-License-Identifier: GPL-2.0
/* Syscalls as one record each: the entry (arguments, a string argument) is kept per thread until the
 * exit (return value), then both go out together with the duration; with -CaptureBytes, the first bytes
 * of an I/O buffer (read, write, sendto...) are copied at the exit. Two ways in, one record out:
 * - ebpfps_raw_sys_enter/exit: one pair on the raw sys_enter/sys_exit tracepoints (tp_btf) for every
 *   traced syscall, chosen by number in `by_nr`; the entry waits in the thread's task storage. Needs BTF
 *   and task storage in tracing programs (5.12+), and spares each traced syscall the perf tracepoints'
 *   record and a hash map update and delete: it costs the traced program about half (tools/bench-events.sh).
 * - ebpfps_sys_enter/exit: the sys_enter_NAME and sys_exit_NAME perf tracepoints of each syscall (the
 *   enter link's cookie is its event id, or the record's syscall number where the kernel has no cookies);
 *   the entry waits in an LRU hash keyed by thread. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "common.h"
#include "task_match.h"
#include "syscall.h"
#include "aggregate.h"
#include "stacks.h"
#include "skeleton.h"

/* The raw records of syscalls:sys_enter_* and sys_exit_*: the 8-byte common header, the int __syscall_nr (the
 * third int), then, after padding to 8, the arguments or the return value. */
#define SYSCALL_NR_INDEX 2
#define SYSCALL_ARGS_OFFSET 16
#define SYSCALL_RET_OFFSET 16

/* thread_info.status of a task in a 32-bit syscall (arch/x86/include/asm/thread_info.h): its numbers
 * are another table's, and the perf tracepoints skip such syscalls too. */
#define TS_COMPAT 0x0002

const volatile bool failed_only = false; /* only calls that returned an error (-4095..-1) */
const volatile __u32 capture_bytes = 0;  /* -CaptureBytes: how much of an I/O buffer to copy, 0 for none */
/* Measure-BpfTrace that needs nothing of the entry (no argument, no duration): the raw exit alone counts,
 * and no entry program runs; the syscall's number is in regs->orig_ax. */
const volatile bool exit_only = false;
/* Perf tracepoints on a kernel without BPF cookies (before 5.15): sys_enter_NAME events are told apart by the
 * syscall's number in their record, and `syscalls` is keyed by it instead of by event id. */
const volatile bool by_number = false;

SKELETON_TYPE(struct syscall_record, syscall_record);
SKELETON_TYPE(struct agg_bucket_key, agg_bucket_key);

/* Perf tracepoints: what each sys_enter event id (the link's cookie) reads, or each number (by_number). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, struct syscall_spec);
} syscalls SEC(".maps");

/* Raw tracepoints: the traced syscalls by number (enter_id 0: not traced). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SYSCALL_NR_MAX);
	__type(key, __u32);
	__type(value, struct syscall_spec);
} by_nr SEC(".maps");

/* Raw tracepoints: the entry waiting for its exit (enter_ns 0: none), freed with the thread. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct syscall_entry);
} entries SEC(".maps");

/* Perf tracepoints: entries waiting for their exit, per thread; LRU so that threads that never return
 * (exit, execve that succeeded into a filtered process) cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct syscall_entry);
} in_flight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syscall_entry);
} scratch SEC(".maps");

/* The entry's header; the caller reads the arguments into r->args, then read_string. */
static __always_inline void begin(struct syscall_entry *e, __u64 pid_tgid, const struct syscall_spec *spec)
{
	struct syscall_record *r = &e->record;
	e->buffer_arg = spec->buffer_arg;
	r->enter_ns = exit_only ? 0 : bpf_ktime_get_ns(); /* exit_only: no duration is measured */
	r->pid = pid_tgid >> 32;
	r->tid = (__u32)pid_tgid;
	r->enter_id = spec->enter_id;
	r->data_len = 0;
	r->arg_count = spec->arg_count > SYSCALL_MAX_ARGS ? SYSCALL_MAX_ARGS : spec->arg_count;
}

static __always_inline void read_string(struct syscall_record *r, const struct syscall_spec *spec)
{
	int s = spec->string_arg;
	if (s >= 0 && s < SYSCALL_MAX_ARGS) {
		long n = bpf_probe_read_user_str(r->data, sizeof(r->data), (void *)r->args[s]);
		r->data_len = n > 0 ? n : 0;
	}
}

/* At the exit: the first bytes of the I/O buffer, as many as the call moved (read, write, sendto...: the
 * return value), still in the caller's memory. */
static __always_inline void capture(struct syscall_entry *e, long ret)
{
	int b = e->buffer_arg;
	if (capture_bytes == 0 || b < 0 || b >= SYSCALL_MAX_ARGS || ret <= 0)
		return;
	__u32 n = ret < capture_bytes ? ret : capture_bytes;
	if (n > SYSCALL_DATA_LEN)
		n = SYSCALL_DATA_LEN;
	if (bpf_probe_read_user(e->record.data, n, (void *)e->record.args[b]) == 0)
		e->record.data_len = n;
}

/* The exit (the caller has filled r->comm): unless only failures are asked for and this is none, completes
 * the record and counts it (Measure-BpfTrace) or sends only what was read, the syscall's own arguments or all six
 * and the data. Most syscalls have no data, and short records are more of them in the
 * same ring and less to copy. */
static __always_inline void finish(void *ctx, struct syscall_entry *e, long ret)
{
	struct syscall_record *r = &e->record;
	if (failed_only && (ret >= 0 || ret < -4095))
		return;
	r->kernel_stack = stack_id(ctx, STACK_KERNEL);
	r->user_stack = stack_id(ctx, STACK_USER);
	if (!exit_only)
		r->exit_ns = bpf_ktime_get_ns();
	r->cpu = bpf_get_smp_processor_id();
	r->ret = ret;
	if (aggregation.enabled) {
		aggregate(r, sizeof(*r));
		return;
	}
	capture(e, ret);
	__u32 len = r->data_len;
	if (len > SYSCALL_DATA_LEN)
		len = SYSCALL_DATA_LEN;
	__u64 size = len > 0 ? offsetof(struct syscall_record, data) + len
			     : offsetof(struct syscall_record, args) + bounded(r->arg_count, SYSCALL_MAX_ARGS + 1) * sizeof(__u64);
	if (bpf_ringbuf_output(&events, r, size, output_flags(&events, size)))
		count_lost();
}

/* Raw tracepoints: the spec of syscall NR when it is traced and the current task is one traced. */
static __always_inline struct syscall_spec *raw_traced(struct task_struct *task, long nr, __u64 *pid_tgid)
{
	__u32 key = (__u32)nr;
	struct syscall_spec *spec = bpf_map_lookup_elem(&by_nr, &key);
	if (!spec || !spec->enter_id)
		return NULL;
	if (task->thread_info.status & TS_COMPAT)
		return NULL;
	*pid_tgid = (__u64)task->tgid << 32 | (__u32)task->pid; /* loads, not a helper call */
	if (!process_traced(*pid_tgid >> 32) || !user_and_cgroup_match())
		return NULL;
	if (task_match.comm_count) {
		__u64 comm[2] = { *(__u64 *)&task->comm[0], *(__u64 *)&task->comm[8] };
		if (!comm_matches((const char *)comm))
			return NULL;
	}
	return spec;
}

static __always_inline void copy_comm(struct syscall_record *r, struct task_struct *task)
{
	/* two loads instead of bpf_get_current_comm's copy: a sixth of the program's time */
	*(__u64 *)&r->comm[0] = *(__u64 *)&task->comm[0];
	*(__u64 *)&r->comm[8] = *(__u64 *)&task->comm[8];
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ebpfps_raw_sys_enter, struct pt_regs *regs, long nr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u64 pid_tgid;
	struct syscall_spec *spec = raw_traced(task, nr, &pid_tgid);
	if (!spec)
		return 0;
	struct syscall_entry *e = bpf_task_storage_get(&entries, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!e)
		return 0;
	begin(e, pid_tgid, spec);
	/* x86-64's syscall argument registers */
	struct syscall_record *r = &e->record;
	r->args[0] = regs->di;
	r->args[1] = regs->si;
	r->args[2] = regs->dx;
	r->args[3] = regs->r10;
	r->args[4] = regs->r8;
	r->args[5] = regs->r9;
	read_string(r, spec);
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ebpfps_raw_sys_exit, struct pt_regs *regs, long ret)
{
	/* Fires for every syscall of every thread: a thread without a waiting entry costs one lookup. */
	struct task_struct *task = bpf_get_current_task_btf();
	struct syscall_entry *e;
	if (exit_only) {
		__u64 pid_tgid;
		__u32 zero = 0;
		struct syscall_spec *spec = raw_traced(task, regs->orig_ax, &pid_tgid);
		if (!spec || !(e = bpf_map_lookup_elem(&scratch, &zero)))
			return 0;
		begin(e, pid_tgid, spec);
		copy_comm(&e->record, task);
		finish(ctx, e, ret);
		return 0;
	}
	e = bpf_task_storage_get(&entries, task, 0, 0);
	if (!e || !e->record.enter_ns)
		return 0;
	copy_comm(&e->record, task);
	finish(ctx, e, ret);
	e->record.enter_ns = 0;
	return 0;
}

SEC("tracepoint")
int ebpfps_sys_enter(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)pid_tgid, zero = 0, id = by_number ? ((int *)ctx)[SYSCALL_NR_INDEX] : (__u32)bpf_get_attach_cookie(ctx);

	if (!process_traced(pid_tgid >> 32) || !task_matches())
		return 0;
	struct syscall_spec *spec = bpf_map_lookup_elem(&syscalls, &id);
	struct syscall_entry *e = bpf_map_lookup_elem(&scratch, &zero);
	if (!spec || !e)
		return 0;
	begin(e, pid_tgid, spec);
	struct syscall_record *r = &e->record;
	__builtin_memset(r->args, 0, sizeof(r->args));
	bpf_probe_read_kernel(r->args, bounded(r->arg_count, SYSCALL_MAX_ARGS + 1) * sizeof(__u64), ctx + SYSCALL_ARGS_OFFSET);
	read_string(r, spec);
	bpf_map_update_elem(&in_flight, &tid, e, BPF_ANY);
	return 0;
}

SEC("tracepoint")
int ebpfps_sys_exit(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct syscall_entry *e = bpf_map_lookup_elem(&in_flight, &tid);
	if (!e)
		return 0; /* entered before we attached, or filtered out */
	long ret = 0;
	bpf_probe_read_kernel(&ret, sizeof(ret), ctx + SYSCALL_RET_OFFSET);
	bpf_get_current_comm(e->record.comm, sizeof(e->record.comm));
	finish(ctx, e, ret);
	bpf_map_delete_elem(&in_flight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
