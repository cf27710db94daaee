// SPDX-License-Identifier: GPL-2.0
/* Maps of every shape that Read-BpfMap, Write-BpfMap and Remove-BpfMapEntry must handle, for the
 * tests to fill with known entries and compare with bpftool. Nothing here runs; the program only
 * lets `bpftool prog loadall ... pinmaps` create and pin the maps from a process that then exits. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

enum fx_color { FX_RED = 0, FX_GREEN = 1, FX_BLUE = 2 };
typedef __u64 fx_counter_t;

struct fx_point {
	__s16 x;
	__s16 y;
};

struct fx_flow_key {
	__u32 saddr;
	__u16 dport;
	__u8 proto;
	__u8 pad;
};

/* Every decoding rule in one value: typedef, widths and signs, bool, char array, byte array, enum,
 * array of structs, union, anonymous struct, bit fields, qualifiers, 128 bits. */
struct fx_flow_value {
	fx_counter_t packets;
	__s64 delta;
	__s8 tiny;
	__s32 level;
	bool active;
	char comm[16];
	__u8 mac[6];
	enum fx_color color;
	struct fx_point points[2];
	union {
		__u32 as_u32;
		__u8 as_bytes[4];
	} raw;
	struct {
		__u16 low;
		__u16 high;
	};
	unsigned int flag_a : 3, flag_b : 5;
	const volatile __u32 qualified;
	unsigned __int128 big;
};

struct fx_cpu_stat {
	__u64 packets;
	__u64 bytes;
};

struct fx_lpm4 {
	__u32 prefixlen;
	__u8 addr[4];
};

struct fx_lpm6 {
	__u32 prefixlen;
	__u8 addr[16];
};

/* An LPM key with fields before its address, as the XDP filter's: the prefix length counts them too,
 * and family says whether the 16-byte address holds IPv4 (4) or IPv6 (6). */
struct fx_lpm_tagged {
	__u32 prefixlen;
	__u8 zone;
	__u8 family;
	__u16 reserved;
	__u8 address[16];
};

/* Nested data as a rule table holds it: addresses in byte arrays, other bytes, arrays of numbers and of structs. */
struct fx_rule {
	__u8 source_family;
	__u8 source[16];
	__u8 dst[4];
	__u8 mac[6];
	__u64 words[4];
	struct fx_point corners[2];
};

/* Types only the decoder's unit tests read (bpftool cannot print floats), kept in BTF by a pointer. */
struct fx_numbers {
	float ratio;
	double mean;
	__int128 wide;
	int *where;
	int signed_bits : 4;
	enum fx_color color_bits : 2;
	bool flag_bit : 1;
	union {
		__u64 whole;
		struct {
			__u32 low;
			__u32 high;
		} parts;
	} either;
};
struct fx_numbers *const volatile btf_numbers = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, struct fx_flow_key);
	__type(value, struct fx_flow_value);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct fx_cpu_stat);
} cpu_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} cpu_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fx_lpm4);
	__type(value, __u32);
} routes4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fx_lpm6);
	__type(value, __u64);
} routes6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct fx_lpm_tagged);
	__type(value, __u32);
} routes_tagged SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, struct fx_rule);
} rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 16);
	__type(key, __u64);
	__type(value, enum fx_color);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16);
	__type(key, char[16]);
	__type(value, __u32);
} names SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 4);
} perf_events SEC(".maps");

SEC("socket")
int fx_noop(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
