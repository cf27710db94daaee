// SPDX-License-Identifier: GPL-2.0
/* Every signal the kernel generates, filtered in the kernel, plus the moment each queued
 * signal reaches its target so that user space can tell when (and whether) it was delivered. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "common.h"
#include "signal.h"
#include "skeleton.h"

#define SIGKILL 9
#define MAX_SIGNAL 64
#define SI_USER 0
#define SI_KERNEL 0x80
#define SI_QUEUE (-1)

SKELETON_TYPE(struct signal_generate_record, signal_generate_record);
SKELETON_TYPE(struct signal_target_record, signal_target_record);

/* Filters, written by user space before load. Zero means "no filter". */
const volatile __u64 filter_signal_mask = 0;  /* bit (sig - 1) set: trace sig */
const volatile bool failed_only = false;      /* only signals that were not queued */

PID_SET(sender_pids);
PID_SET(target_pids);

struct pending_key {
	__u32 pid;
	__s32 sig;
};

/* Queued signals reported as generated and not yet delivered: how many per (process, signal),
 * and per process, so that deliveries and exits of processes we never reported stay in the kernel. */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct pending_key);
	__type(value, __u32);
} pending SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u32);
} pending_processes SEC(".maps");

static __always_inline bool signal_wanted(int sig)
{
	if (sig < 1 || sig > MAX_SIGNAL)
		return false;
	return filter_signal_mask == 0 || (filter_signal_mask & (1ULL << (sig - 1)));
}

static __always_inline void add_pending(__u32 pid, int sig)
{
	struct pending_key key = { .pid = pid, .sig = sig };
	__u32 one = 1, *n;

	n = bpf_map_lookup_elem(&pending, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&pending, &key, &one, BPF_ANY);
	n = bpf_map_lookup_elem(&pending_processes, &pid);
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		bpf_map_update_elem(&pending_processes, &pid, &one, BPF_ANY);
}

/* Takes one queued (pid, sig) off the books; false when we never reported it. */
static __always_inline bool take_pending(__u32 pid, int sig)
{
	struct pending_key key = { .pid = pid, .sig = sig };
	__u32 *n = bpf_map_lookup_elem(&pending, &key);

	if (!n)
		return false;
	if (*n <= 1)
		bpf_map_delete_elem(&pending, &key);
	else
		__sync_fetch_and_add(n, -1);
	n = bpf_map_lookup_elem(&pending_processes, &pid);
	if (n) {
		if (*n <= 1)
			bpf_map_delete_elem(&pending_processes, &pid);
		else
			__sync_fetch_and_add(n, -1);
	}
	return true;
}

static __always_inline void emit_target_record(__u32 kind, __u32 pid, __u32 tid, int sig)
{
	struct signal_target_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return;
	}
	r->timestamp_ns = bpf_ktime_get_ns();
	r->kind = kind;
	r->cpu = bpf_get_smp_processor_id();
	r->target_pid = pid;
	r->target_tid = tid;
	r->sig = sig;
	r->reserved = 0;
	bpf_ringbuf_submit(r, submit_flags(&events, sizeof(*r)));
}

SEC("tp_btf/signal_generate")
int BPF_PROG(ebpfps_signal_generate, int sig, struct kernel_siginfo *info, struct task_struct *task,
	     int group, int result)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 sender_pid = pid_tgid >> 32;
	__u32 target_pid = BPF_CORE_READ(task, tgid);
	bool queued = result == TRACE_SIGNAL_DELIVERED || result == TRACE_SIGNAL_LOSE_INFO;

	if (!signal_wanted(sig))
		return 0;
	if (failed_only && queued)
		return 0;
	if (!pid_allowed(&sender_pids, sender_pid))
		return 0;
	if (!pid_allowed(&target_pids, target_pid))
		return 0;

	struct signal_generate_record *r = bpf_ringbuf_reserve(&events, sizeof(*r), 0);
	if (!r) {
		count_lost();
		return 0;
	}
	r->timestamp_ns = bpf_ktime_get_ns();
	r->kind = SIGNAL_RECORD_GENERATE;
	r->cpu = bpf_get_smp_processor_id();
	r->sig = sig;
	r->result = result;
	r->group = group;
	r->sender_pid = sender_pid;
	r->sender_tid = (__u32)pid_tgid;
	r->sender_uid = (__u32)bpf_get_current_uid_gid();
	r->target_pid = target_pid;
	r->target_tid = BPF_CORE_READ(task, pid);
	r->value = 0;
	/* The kernel passes two magic pointers instead of a siginfo (see TP_STORE_SIGINFO). */
	if ((unsigned long)info == 0) {
		r->code = SI_USER;
	} else if ((unsigned long)info == 1) {
		r->code = SI_KERNEL;
	} else {
		r->code = BPF_CORE_READ(info, si_code);
		if (r->code == SI_QUEUE)
			r->value = (__u64)BPF_CORE_READ(info, _sifields._rt._sigval.sival_ptr);
	}
	bpf_get_current_comm(r->sender_comm, sizeof(r->sender_comm));
	BPF_CORE_READ_STR_INTO(&r->target_comm, task, comm);

	/* The sender's argv, read now: a short-lived sender (kill(1)) is gone before user space looks. */
	struct task_struct *current = (struct task_struct *)bpf_get_current_task();
	unsigned long arg_start = BPF_CORE_READ(current, mm, arg_start);
	unsigned long arg_end = BPF_CORE_READ(current, mm, arg_end);
	__u32 len = 0;
	if (arg_start && arg_end > arg_start) {
		len = arg_end - arg_start;
		if (len > SIGNAL_CMDLINE_LEN - 1)
			len = SIGNAL_CMDLINE_LEN - 1;
		if (bpf_probe_read_user(r->sender_cmdline, bounded(len, SIGNAL_CMDLINE_LEN - 1), (void *)arg_start))
			len = 0;
	}
	r->cmdline_len = len;
	bpf_ringbuf_submit(r, submit_flags(&events, sizeof(*r)));

	if (queued)
		add_pending(target_pid, sig);
	return 0;
}

SEC("tp_btf/signal_deliver")
int BPF_PROG(ebpfps_signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 pid = pid_tgid >> 32;
	struct task_struct *current = (struct task_struct *)bpf_get_current_task();

	/* A fatal signal with the default action ends the whole group through the SIGKILL path:
	 * the kernel traces SIGKILL, the signal that did it is the group's exit code. */
	if (sig == SIGKILL) {
		int cause = BPF_CORE_READ(current, signal, group_exit_code);
		if (cause > 0 && cause <= MAX_SIGNAL && cause != SIGKILL && take_pending(pid, cause)) {
			emit_target_record(SIGNAL_RECORD_DELIVER, pid, (__u32)pid_tgid, cause);
			return 0;
		}
	}
	if (take_pending(pid, sig))
		emit_target_record(SIGNAL_RECORD_DELIVER, pid, (__u32)pid_tgid, sig);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(ebpfps_signal_exit, struct task_struct *task)
{
	__u32 pid = BPF_CORE_READ(task, tgid);

	/* Only the last thread of a group ends its pending signals. */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	if (!bpf_map_lookup_elem(&pending_processes, &pid))
		return 0;
	bpf_map_delete_elem(&pending_processes, &pid);
	for (int sig = 1; sig <= MAX_SIGNAL; sig++) {
		struct pending_key key = { .pid = pid, .sig = sig };
		bpf_map_delete_elem(&pending, &key);
	}
	emit_target_record(SIGNAL_RECORD_EXIT, pid, BPF_CORE_READ(task, pid), 0);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
