/* Stacks of the tasks that make records (-Stack) and of profile samples: ids into a stack trace map, which user
 * space reads and names once per id (Core/Symbols). */
#ifndef EBPFPS_STACKS_H
#define EBPFPS_STACKS_H

/* The kernel's PERF_MAX_STACK_DEPTH: the most frames bpf_get_stackid keeps of a stack. */
#define STACK_DEPTH 127

/* What a record's stack id holds when its stack was not asked for; other negative ids are -errno: -EEXIST when
 * another stack holds the same bucket of `stacks`, -EFAULT when there is none (a kernel thread's user stack). */
#define STACK_NONE (-1)

enum stack_kind {
	STACK_KERNEL = 1,
	STACK_USER = 2,
};

/* Which stacks records take (stack_kind bits): none unless user space says so before load. */
const volatile __u32 stack_kinds = 0;

/* Stacks by id; user space sizes it before load (to 1 where no stack is asked for). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__uint(value_size, STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

/* The current task's stack of KIND as an id in `stacks`; STACK_NONE when not asked for. */
static __always_inline __s32 stack_id(void *ctx, enum stack_kind kind)
{
	if (!(stack_kinds & kind))
		return STACK_NONE;
	return bpf_get_stackid(ctx, &stacks, kind == STACK_USER ? BPF_F_USER_STACK : 0);
}

#endif
