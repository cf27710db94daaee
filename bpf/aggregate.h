/* Aggregation in the kernel (Measure-BpfTrace): a probe that would send a record hands it to aggregate()
 * instead, which makes a key of some of the record's fields, and counts, sums, minimums, maximums and
 * histogram buckets of one value per key in per-CPU maps; user space reads the maps, nothing per event
 * crosses over. No program is compiled per question: user space describes before load where in the record
 * each key part and the value sit (offsets, sizes, signedness), and the verifier drops what is not used.
 * Records with their fields (pid, comm, ret...) at fixed offsets include this (after common.h) and call aggregate(). */
#ifndef EBPFPS_AGGREGATE_H
#define EBPFPS_AGGREGATE_H

#define AGG_MAX_PARTS 4
#define AGG_KEY_WORDS (2 * AGG_MAX_PARTS) /* part i fills words 2i (a number) or 2i and 2i+1 (a name) */
#define AGG_LOG2_BUCKETS 65               /* negative, zero, then [2^k, 2^(k+1)) for k = 0..62 */
#define AGG_TEXT_LEN 64                   /* a text key part: 63 characters and a NUL, as bpftrace's str() */

enum agg_source {
	AGG_SOURCE_NONE = 0,       /* no value: counts only */
	AGG_SOURCE_FIELD = 1,      /* the record's field at offset, size bytes (1, 2, 4, 8, or 16 for a name) */
	AGG_SOURCE_DIFFERENCE = 2, /* the field at offset minus the one at offset2: a duration from two timestamps */
	AGG_SOURCE_ERRNO = 3,      /* the error number of a return value at offset: -ret for -4095..-1, else 0 */
	AGG_SOURCE_UID = 4,        /* the current task's real user id */
	AGG_SOURCE_CGROUP = 5,     /* the current task's cgroup v2 id */
	AGG_SOURCE_CPU = 6,        /* the CPU the program runs on */
	AGG_SOURCE_PAIR = 7,       /* the field at offset, and in the second word the __u32 at offset2: a user stack's id
				    * with the process it names addresses of */
	/* Text, into the key's text (one text part per key): */
	AGG_SOURCE_TEXT = 8,       /* the record's string at offset, its length (NUL included) a __u32 at offset2 */
	AGG_SOURCE_DATA_LOC = 9,   /* a tracepoint's __data_loc string: a __u32 at offset whose low half places it
				    * (from offset2, where the tracepoint's own record begins), whose high half is its length */
	AGG_SOURCE_STRING_POINTER = 10, /* the string a pointer at offset points to, in kernel or else user memory */
};

enum agg_histogram {
	AGG_HISTOGRAM_NONE = 0,
	AGG_HISTOGRAM_LOG2 = 1,    /* power-of-two buckets, like bpftrace's hist() */
	AGG_HISTOGRAM_LINEAR = 2,  /* below min, linear_buckets of linear_step, at or above the last: like lhist() */
};

struct agg_part {
	enum agg_source source;
	__u32 offset;
	__u32 offset2;
	__u32 size;
	__u32 is_signed;
};

/* Written by user space before load (Probes/Aggregation). */
struct aggregation {
	__u32 enabled;             /* 0: the probe sends its records as usual */
	__u32 part_count;
	struct agg_part parts[AGG_MAX_PARTS];
	struct agg_part value;
	enum agg_histogram histogram;
	__u32 linear_buckets;
	__s64 linear_min;
	__u64 linear_step;
};

struct agg_key {
	__u64 generation;          /* agg_generation when counted: user space reads and deletes one while the next fills */
	__u64 words[AGG_KEY_WORDS];
	char text[AGG_TEXT_LEN];   /* the text part's, NUL-padded; all zero when the key has none */
};

struct agg_stats {
	__u64 count;
	__s64 sum;
	__s64 min;
	__s64 max;
};

struct agg_bucket_key {
	struct agg_key key;
	__u64 bucket;
};

const volatile struct aggregation aggregation = {};

/* Both sized by user space before load (-MaxKeys; times the buckets for the histogram). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1);
	__type(key, struct agg_key);
	__type(value, struct agg_stats);
} agg_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	/* room for every bucket of every key: allocated as used (BPF_F_NO_PREALLOC) where the kernel lets tracing
	 * programs use such maps (6.1+), which user space sets before load */
	__uint(max_entries, 1);
	__type(key, struct agg_bucket_key);
	__type(value, __u64);
} agg_buckets SEC(".maps");

/* The generation new counts go to; user space moves it on at each interval. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} agg_generation SEC(".maps");

/* Events not counted because their key did not fit (-MaxKeys). */
PER_CPU_COUNTER(agg_overflow);

static __always_inline void agg_overflowed(void)
{
	count_one(&agg_overflow);
}

/* A number of SIZE bytes at OFFSET in a record of RECORD_SIZE bytes, sign-extended if asked. */
static __always_inline __u64 agg_load(const void *record, __u32 record_size, __u32 offset, __u32 size, __u32 is_signed)
{
	if (offset > record_size - sizeof(__u64))
		return 0;
	__u64 v = *(const __u64 *)(record + offset);
	if (size >= sizeof(__u64))
		return v;
	__u32 bits = (size & 7) * 8;
	__u64 mask = (1ULL << bits) - 1;
	v &= mask;
	if (is_signed && (v >> (bits - 1)) & 1)
		v |= ~mask;
	return v;
}

/* A key part or the value; the second word of a 16-byte name goes to *second. */
static __always_inline __u64 agg_read(const volatile struct agg_part *p, const void *record, __u32 record_size, __u64 *second)
{
	__u32 offset = p->offset;
	switch (p->source) {
	case AGG_SOURCE_FIELD:
		if (p->size > sizeof(__u64)) {
			*second = agg_load(record, record_size, offset + sizeof(__u64), sizeof(__u64), 0);
			return agg_load(record, record_size, offset, sizeof(__u64), 0);
		}
		return agg_load(record, record_size, offset, p->size, p->is_signed);
	case AGG_SOURCE_DIFFERENCE:
		return agg_load(record, record_size, offset, p->size, p->is_signed)
			- agg_load(record, record_size, p->offset2, p->size, p->is_signed);
	case AGG_SOURCE_ERRNO: {
		__s64 ret = (__s64)agg_load(record, record_size, offset, p->size, 1);
		return ret < 0 && ret >= -4095 ? -ret : 0;
	}
	case AGG_SOURCE_UID:
		return (__u32)bpf_get_current_uid_gid();
	case AGG_SOURCE_CGROUP:
		return bpf_get_current_cgroup_id();
	case AGG_SOURCE_CPU:
		return bpf_get_smp_processor_id();
	case AGG_SOURCE_PAIR:
		*second = agg_load(record, record_size, p->offset2, sizeof(__u32), 0);
		return agg_load(record, record_size, offset, p->size, p->is_signed);
	default:
		return 0;
	}
}

/* A text part into TEXT (zeroed, AGG_TEXT_LEN bytes): at most AGG_TEXT_LEN - 1 bytes of it, so that a NUL ends it.
 * Only the string's own bytes: the record's buffer may hold an earlier, longer string behind its NUL. */
static __always_inline void agg_text(const volatile struct agg_part *p, const void *record, __u32 record_size, char *text)
{
	__u32 offset = p->offset, len;
	if (p->source == AGG_SOURCE_STRING_POINTER) {
		const void *s = (const void *)agg_load(record, record_size, offset, sizeof(__u64), 0);
		if (bpf_probe_read_kernel_str(text, AGG_TEXT_LEN, s) < 0)
			bpf_probe_read_user_str(text, AGG_TEXT_LEN, s);
		return;
	}
	if (p->source == AGG_SOURCE_DATA_LOC) {
		__u32 loc = (__u32)agg_load(record, record_size, offset, sizeof(__u32), 0);
		offset = p->offset2 + (loc & 0xffff);
		len = loc >> 16;
	} else {
		len = (__u32)agg_load(record, record_size, p->offset2, sizeof(__u32), 0);
	}
	if (len > AGG_TEXT_LEN - 1)
		len = AGG_TEXT_LEN - 1;
	if (offset > record_size || len > record_size - offset)
		return;
	bpf_probe_read_kernel(text, bounded(len, AGG_TEXT_LEN - 1), record + offset);
}

static __always_inline __u64 agg_log2(__u64 v)
{
	__u64 r = 0, shift;
	shift = (v > 0xFFFFFFFFULL) << 5; v >>= shift; r |= shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	return r | (v >> 1);
}

static __always_inline __u64 agg_bucket(__s64 v)
{
	if (aggregation.histogram == AGG_HISTOGRAM_LOG2)
		return v < 0 ? 0 : v == 0 ? 1 : 2 + agg_log2(v);
	if (v < aggregation.linear_min || aggregation.linear_step == 0)
		return 0;
	__u64 b = (__u64)(v - aggregation.linear_min) / aggregation.linear_step;
	return b >= aggregation.linear_buckets ? aggregation.linear_buckets + 1 : b + 1;
}

/* Adds one to the bucket's count, creating it at 1. */
static __always_inline void agg_count_bucket(struct agg_bucket_key *bk)
{
	__u64 one = 1, *n = bpf_map_lookup_elem(&agg_buckets, bk);
	if (n) {
		__sync_fetch_and_add(n, 1);
		return;
	}
	if (bpf_map_update_elem(&agg_buckets, bk, &one, BPF_NOEXIST) == 0)
		return;
	n = bpf_map_lookup_elem(&agg_buckets, bk); /* another program made it meanwhile */
	if (n)
		__sync_fetch_and_add(n, 1);
	else
		agg_overflowed();
}

/* Counts the record under its key. */
static __always_inline void aggregate(const void *record, __u32 record_size)
{
	struct agg_bucket_key bk = {};
	struct agg_key *k = &bk.key;
	__u32 zero = 0;
	__u64 *generation = bpf_map_lookup_elem(&agg_generation, &zero);
	if (generation)
		k->generation = *generation;
#pragma unroll
	for (int i = 0; i < AGG_MAX_PARTS; i++) {
		if (i >= aggregation.part_count)
			break;
		if (aggregation.parts[i].source >= AGG_SOURCE_TEXT)
			agg_text(&aggregation.parts[i], record, record_size, k->text);
		else
			k->words[2 * i] = agg_read(&aggregation.parts[i], record, record_size, &k->words[2 * i + 1]);
	}
	__u64 unused = 0;
	__s64 v = aggregation.value.source == AGG_SOURCE_NONE ? 0 : (__s64)agg_read(&aggregation.value, record, record_size, &unused);

	struct agg_stats *s = bpf_map_lookup_elem(&agg_stats, k);
	if (!s) {
		struct agg_stats first = { .min = v, .max = v };
		bpf_map_update_elem(&agg_stats, k, &first, BPF_NOEXIST);
		s = bpf_map_lookup_elem(&agg_stats, k); /* made now, or by another program meanwhile */
		if (!s) {
			agg_overflowed();
			return;
		}
	}
	__sync_fetch_and_add(&s->count, 1);
	__sync_fetch_and_add(&s->sum, v);
	if (v < s->min || s->count == 1)
		s->min = v;
	if (v > s->max || s->count == 1)
		s->max = v;

	if (aggregation.histogram != AGG_HISTOGRAM_NONE) {
		bk.bucket = agg_bucket(v);
		agg_count_bucket(&bk);
	}
}

#endif
