/* Stacks of the tasks that make records (-Stack) and of profile samples: ids into stack trace maps, which user
 * space reads and names once per id (Core/Symbols). */
#ifndef EBPFPS_STACKS_H
#define EBPFPS_STACKS_H

/* The kernel's PERF_MAX_STACK_DEPTH: the most frames bpf_get_stackid keeps of a stack. */
#define STACK_DEPTH 127

/* What a record's stack id holds when its stack was not asked for; other negative ids are -errno: -EEXIST when
 * another stack holds the same bucket of its map, -EFAULT when there is none (a kernel thread's user stack). */
#define STACK_NONE (-1)

enum stack_kind {
	STACK_KERNEL = 1,
	STACK_USER = 2,
};

/* Which stacks records take (stack_kind bits): none unless user space says so before load. */
const volatile __u32 stack_kinds = 0;

/* Kernel stacks by id; user space sizes it before load (to 1 where no kernel stack is asked for). */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 16384);
	__type(key, __u32);
	__uint(value_size, STACK_DEPTH * sizeof(__u64));
} stacks SEC(".maps");

/* User stacks by id, each frame as its file's build id and the offset into that file where the kernel can tell (else
 * its address): so a frame is named after its process has exited and its mappings are gone. Four times the room of
 * an address a frame, hence half the entries; sized to 1 where no user stack is asked for. */
struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_STACK_BUILD_ID);
	__type(key, __u32);
	__uint(value_size, STACK_DEPTH * sizeof(struct bpf_stack_build_id));
} user_stacks SEC(".maps");

/* The current task's stack of KIND as an id in `stacks` (kernel) or `user_stacks`; STACK_NONE when not asked for. */
static __always_inline __s32 stack_id(void *ctx, enum stack_kind kind)
{
	if (!(stack_kinds & kind))
		return STACK_NONE;
	if (kind == STACK_USER)
		return bpf_get_stackid(ctx, &user_stacks, BPF_F_USER_STACK);
	return bpf_get_stackid(ctx, &stacks, 0);
}

#endif
