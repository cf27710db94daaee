// SPDX-License-Identifier: GPL-2.0
/* One kernel function's calls, through kprobes or through fentry/fexit, whichever the kernel has:
 * user space loads one pair and leaves the other out. With_return joins each call with its return.
 * The kprobe pair also serves user functions, attached as uprobes (-UserFunction). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "common.h"
#include "task_match.h"
#include "kfunc.h"
#include "aggregate.h"
#include "stacks.h"
#include "skeleton.h"

const volatile bool with_return = false;
/* Several functions in one trace (user functions: a wildcard): each link's cookie says which (kernel 5.15+). */
const volatile bool with_cookie = false;
/* Arguments (bit n: argument n) and return value (KFUNC_STRING_RETURN) that point to strings to read along. */
const volatile __u8 string_args = 0;

SKELETON_TYPE(struct kfunc_record, kfunc_record);
SKELETON_TYPE(enum kfunc_string_layout, kfunc_string_layout);

/* Calls waiting for their return, per thread (a recursive call replaces the outer one). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 10240);
	__type(key, __u32);
	__type(value, struct kfunc_record);
} in_flight SEC(".maps");

static __always_inline bool wanted(__u64 pid_tgid)
{
	return process_traced(pid_tgid >> 32) && task_matches();
}

/* Records are made here, not on the stack: with their strings they are larger than the 512 bytes it has. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct kfunc_record);
} scratch SEC(".maps");

static __always_inline struct kfunc_record *begin(__u64 pid_tgid)
{
	__u32 zero = 0;
	struct kfunc_record *r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return 0;
	r->timestamp_ns = bpf_ktime_get_ns();
	r->duration_ns = 0;
	r->pid = pid_tgid >> 32;
	r->tid = (__u32)pid_tgid;
	r->cpu = bpf_get_smp_processor_id();
	r->kind = KFUNC_ENTRY;
	r->ret = 0;
	r->cookie = 0;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	return r;
}

/* The string at p into the next free slot, from kernel memory or else from user memory (a uprobe's, a __user one). */
static __always_inline void read_string(struct kfunc_record *r, __u32 slot, __u64 p)
{
	char *text;
	if (slot >= KFUNC_STRINGS)
		return;
	text = r->strings[slot];
	if (bpf_probe_read_kernel_str(text, KFUNC_STRING_LEN, (void *)p) < 0 &&
	    bpf_probe_read_user_str(text, KFUNC_STRING_LEN, (void *)p) < 0)
		text[0] = 0;
}

static __always_inline void read_argument_strings(struct kfunc_record *r)
{
	__u32 slot = 0;
	if (!string_args)
		return;
	for (int i = 0; i < KFUNC_MAX_ARGS; i++)
		if (string_args & (1 << i))
			read_string(r, slot++, r->args[i]);
}

/* The return value's string takes the slot after the arguments'. */
static __always_inline void read_return_string(struct kfunc_record *r)
{
	__u32 slot = 0;
	if (!(string_args & KFUNC_STRING_RETURN))
		return;
	for (int i = 0; i < KFUNC_MAX_ARGS; i++)
		if (string_args & (1 << i))
			slot++;
	read_string(r, slot, r->ret);
}

/* Records without strings are sent without the space for them. */
static __always_inline __u64 record_size(void)
{
	return string_args ? sizeof(struct kfunc_record) : __builtin_offsetof(struct kfunc_record, strings);
}

static __always_inline void send(struct kfunc_record *r)
{
	__u64 size = record_size();
	if (bpf_ringbuf_output(&events, r, size, output_flags(&events, size)))
		count_lost();
}

/* The entry is complete: emit or count it (Measure-BpfTrace: aggregate() reads map values, not the stack), or keep it
 * for its return. */
static __always_inline void entered(struct kfunc_record *r)
{
	read_argument_strings(r);
	if (with_return)
		bpf_map_update_elem(&in_flight, &r->tid, r, BPF_ANY);
	else if (aggregation.enabled)
		aggregate(r, sizeof(*r));
	else
		send(r);
}

static __always_inline void returned(__u64 pid_tgid, __s64 ret)
{
	__u32 tid = (__u32)pid_tgid;
	struct kfunc_record *r = bpf_map_lookup_elem(&in_flight, &tid);
	if (!r)
		return;
	r->duration_ns = bpf_ktime_get_ns() - r->timestamp_ns;
	r->kind = KFUNC_RETURN;
	r->ret = ret;
	read_return_string(r);
	if (aggregation.enabled)
		aggregate(r, sizeof(*r));
	else
		send(r);
	bpf_map_delete_elem(&in_flight, &tid);
}

SEC("kprobe")
int ebpfps_kprobe(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct kfunc_record *r;

	if (!wanted(pid_tgid) || !(r = begin(pid_tgid)))
		return 0;
	if (with_cookie)
		r->cookie = bpf_get_attach_cookie(ctx);
	r->kernel_stack = stack_id(ctx, STACK_KERNEL);
	r->user_stack = stack_id(ctx, STACK_USER);
	r->args[0] = PT_REGS_PARM1(ctx);
	r->args[1] = PT_REGS_PARM2(ctx);
	r->args[2] = PT_REGS_PARM3(ctx);
	r->args[3] = PT_REGS_PARM4(ctx);
	r->args[4] = PT_REGS_PARM5(ctx);
#if defined(PT_REGS_PARM6)
	r->args[5] = PT_REGS_PARM6(ctx);
#elif defined(__TARGET_ARCH_x86)
	r->args[5] = ctx->r9; /* libbpf before 1.2 has no PT_REGS_PARM6 */
#else
	r->args[5] = 0;
#endif
	entered(r);
	return 0;
}

SEC("kretprobe")
int ebpfps_kretprobe(struct pt_regs *ctx)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (wanted(pid_tgid))
		returned(pid_tgid, PT_REGS_RC(ctx));
	return 0;
}

/* fentry and fexit read the arguments straight from their context, which holds as many as the function has and
 * then its return value: the verifier lets a program read no further, so there is one program per count, chosen
 * by user space from the function's BTF prototype (bpf_get_func_arg would serve every count, from 5.17 on). */
static __always_inline int fentry_with(__u64 *ctx, int count)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct kfunc_record *r;

	if (!wanted(pid_tgid) || !(r = begin(pid_tgid)))
		return 0;
	r->kernel_stack = stack_id(ctx, STACK_KERNEL);
	r->user_stack = stack_id(ctx, STACK_USER);
	r->args[0] = count > 0 ? ctx[0] : 0;
	r->args[1] = count > 1 ? ctx[1] : 0;
	r->args[2] = count > 2 ? ctx[2] : 0;
	r->args[3] = count > 3 ? ctx[3] : 0;
	r->args[4] = count > 4 ? ctx[4] : 0;
	r->args[5] = count > 5 ? ctx[5] : 0;
	entered(r);
	return 0;
}

/* The return value follows the function's COUNT arguments. */
static __always_inline int fexit_with(__u64 *ctx, int count)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	if (wanted(pid_tgid))
		returned(pid_tgid, (__s64)ctx[count]);
	return 0;
}

/* A function of more than KFUNC_MAX_ARGS arguments is met by the last fentry (its first arguments) and the fexit of
 * its count (up to the 12 a trampoline takes). */
#define FENTRY(n) SEC("fentry") int ebpfps_fentry##n(__u64 *ctx) { return fentry_with(ctx, n); }
#define FEXIT(n) SEC("fexit") int ebpfps_fexit##n(__u64 *ctx) { return fexit_with(ctx, n); }
FENTRY(0) FENTRY(1) FENTRY(2) FENTRY(3) FENTRY(4) FENTRY(5) FENTRY(6)
FEXIT(0) FEXIT(1) FEXIT(2) FEXIT(3) FEXIT(4) FEXIT(5) FEXIT(6) FEXIT(7) FEXIT(8) FEXIT(9) FEXIT(10) FEXIT(11) FEXIT(12)

char LICENSE[] SEC("license") = "GPL";
