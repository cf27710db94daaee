// SPDX-License-Identifier: GPL-2.0
/* Syscalls as one record each: the entry (arguments, a string argument) is kept per thread until the
 * exit (return value), then both go out together with the duration. Attached to the sys_enter_NAME
 * and sys_exit_NAME tracepoints of the chosen syscalls; the enter link's cookie is its event id. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include "common.h"
#include "syscall.h"

/* Offsets in the raw records of syscalls:sys_enter_* and sys_exit_* (after the 8-byte common header
 * and the int __syscall_nr padded to 8). */
#define SYSCALL_ARGS_OFFSET 16
#define SYSCALL_RET_OFFSET 16

const volatile bool filter_pids = false;

PID_SET(pids);

struct syscall_record *const volatile btf_syscall_record = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32); /* sys_enter event id */
	__type(value, struct syscall_spec);
} syscalls SEC(".maps");

/* Entries waiting for their exit, per thread; LRU so that threads that never return (exit, execve
 * that succeeded into a filtered process) cannot fill it. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__type(value, struct syscall_record);
} in_flight SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct syscall_record);
} scratch SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} events SEC(".maps");

SEC("tracepoint")
int ebpfps_sys_enter(void *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32, tid = (__u32)pid_tgid, zero = 0, id = (__u32)bpf_get_attach_cookie(ctx);

	if (filter_pids && !pid_in(&pids, pid))
		return 0;
	struct syscall_spec *spec = bpf_map_lookup_elem(&syscalls, &id);
	struct syscall_record *r = bpf_map_lookup_elem(&scratch, &zero);
	if (!spec || !r)
		return 0;
	__u32 arg_count = spec->arg_count;
	if (arg_count > SYSCALL_MAX_ARGS)
		arg_count = SYSCALL_MAX_ARGS;

	r->enter_ns = bpf_ktime_get_ns();
	r->exit_ns = 0;
	r->pid = pid;
	r->tid = tid;
	r->enter_id = id;
	r->ret = 0;
	r->string_len = 0;
	r->arg_count = arg_count;
	__builtin_memset(r->args, 0, sizeof(r->args));
	bpf_probe_read_kernel(r->args, bounded(arg_count, 7) * sizeof(__u64), ctx + SYSCALL_ARGS_OFFSET);
	int s = spec->string_arg;
	if (s >= 0 && s < SYSCALL_MAX_ARGS) {
		long n = bpf_probe_read_user_str(r->string, sizeof(r->string), (void *)r->args[s]);
		r->string_len = n > 0 ? n : 0;
	}
	bpf_map_update_elem(&in_flight, &tid, r, BPF_ANY);
	return 0;
}

SEC("tracepoint")
int ebpfps_sys_exit(void *ctx)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct syscall_record *r = bpf_map_lookup_elem(&in_flight, &tid);
	if (!r)
		return 0; /* entered before we attached, or filtered out */

	r->exit_ns = bpf_ktime_get_ns();
	r->cpu = bpf_get_smp_processor_id();
	bpf_probe_read_kernel(&r->ret, sizeof(r->ret), ctx + SYSCALL_RET_OFFSET);
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	/* Only what was read: the syscall's own arguments, or all six and the bytes of the string. Most
	 * syscalls have no string, and short records are more of them in the same ring and less to copy. */
	__u32 len = r->string_len;
	if (len > SYSCALL_STRING_LEN)
		len = SYSCALL_STRING_LEN;
	__u64 size = len > 0 ? offsetof(struct syscall_record, string) + len
			     : offsetof(struct syscall_record, args) + bounded(r->arg_count, SYSCALL_MAX_ARGS + 1) * sizeof(__u64);
	if (bpf_ringbuf_output(&events, r, size, output_flags(&events, size)))
		count_lost();
	bpf_map_delete_elem(&in_flight, &tid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
