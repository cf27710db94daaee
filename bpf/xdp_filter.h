/* The maps of xdp_filter.bpf.c and their values; their C# is generated from the object's BTF
 * (EbpfPS.Bpf.XdpFilterSkeleton, XdpFilterRule, ...).
 *
 * User space compiles the rules of an interface into these tables; the program only looks them up.
 * Bit i of every rule mask stands for the rule of priority i (0 = the most specific rule), so the
 * lowest bit set in the AND of the masks of all header fields is the rule that decides the packet.
 * The tables exist twice (generation 0 and 1): user space fills the idle generation, then switches
 * xdp_filter_state.generation, so a packet never sees half of a change. */
#ifndef EBPFPS_XDP_FILTER_H
#define EBPFPS_XDP_FILTER_H

#define XDP_FILTER_MAX_RULES 256
#define XDP_FILTER_MASK_WORDS (XDP_FILTER_MAX_RULES / 64)
#define XDP_FILTER_GENERATIONS 2

struct xdp_rule_mask {
	__u64 words[XDP_FILTER_MASK_WORDS];
};

/* Which lookups a rule set needs; the program skips the others. */
enum xdp_filter_lookup {
	XDP_LOOKUP_SOURCE = 1,      /* some rule has a source prefix */
	XDP_LOOKUP_DESTINATION = 2, /* some rule has a destination prefix */
	XDP_LOOKUP_SOURCE_PORT = 4, /* some rule has a source port */
	XDP_LOOKUP_DESTINATION_PORT = 8,
};

struct xdp_filter_verdict {
	__u16 slot;   /* the rule's slot in xdpf_rules and xdpf_counters */
	__u16 action; /* XDP_DROP or XDP_PASS */
};

/* xdpf_tables[generation]: the parts of a rule set that do not depend on a header value. */
struct xdp_filter_table {
	struct xdp_rule_mask family[2];          /* [0] rules that can match IPv4, [1] IPv6 */
	struct xdp_rule_mask any_source_port;    /* rules without a source port */
	struct xdp_rule_mask any_destination_port;
	enum xdp_filter_lookup lookups;
	__u32 rule_count;
	struct xdp_filter_verdict by_priority[XDP_FILTER_MAX_RULES];
};

/* xdpf_state[0]: which generation is live, and what another process needs to know of the filter. */
struct xdp_filter_state {
	__u32 generation;
	__u32 next_rule_id;
	__u32 ifindex;      /* where the program was attached */
	__u32 xdp_flags;    /* XDP_FLAGS_DRV_MODE or XDP_FLAGS_SKB_MODE */
	__u64 netns_inode;  /* the network namespace of ifindex */
	__s64 attached_unix_ms;
};

enum xdp_direction {
	XDP_SOURCE = 0,
	XDP_DESTINATION = 1,
};

/* xdpf_prefixes (LPM trie): the rules whose prefix covers an address. prefixlen counts the 32 bits
 * of generation, direction, family and reserved, then the address bits; prefixlen 16 (generation and
 * direction only) holds the rules without a prefix in that direction and matches every address. */
struct xdp_prefix_key {
	__u32 prefixlen;
	__u8 generation;
	__u8 direction; /* enum xdp_direction */
	__u8 family;    /* 4 or 6 */
	__u8 reserved;
	__u8 address[16];
};

/* xdpf_ports (hash): the rules with exactly this port; rules without one are in the table. */
struct xdp_port_key {
	__u8 generation;
	__u8 direction;
	__u16 port;     /* host byte order */
};

struct xdp_counter {
	__u64 packets;
	__u64 bytes;
};

/* xdpf_totals (per CPU): every packet the program saw, by what happened to it. */
enum xdp_total {
	XDP_TOTAL_PASSED = 0,    /* matched a Pass rule, or no rule; includes non-IP */
	XDP_TOTAL_DROPPED = 1,   /* matched a Drop rule, or malformed */
	XDP_TOTAL_MALFORMED = 2, /* dropped because its headers could not be parsed */
	XDP_TOTAL_NON_IP = 3,    /* passed without looking further: ARP, LLDP, ... */
	XDP_TOTAL_COUNT = 4,
};

enum xdp_rule_flags {
	XDP_RULE_PROTOCOL = 1,
	XDP_RULE_SOURCE_PORT = 2,
	XDP_RULE_DESTINATION_PORT = 4,
};

/* xdpf_rules[slot]: a rule as the user gave it, for Get-BpfXdpFilter in any process. id 0: free. */
struct xdp_filter_rule {
	__u32 id;
	__u8 action;      /* XDP_DROP or XDP_PASS */
	__u8 flags;       /* enum xdp_rule_flags */
	__u8 protocol;
	__u8 source_family;      /* 0 (any), 4 or 6 */
	__u8 destination_family;
	__u8 source_prefixlen;
	__u8 destination_prefixlen;
	__u8 reserved;
	__u16 source_port;
	__u16 destination_port;
	__u8 source[16];
	__u8 destination[16];
	__s64 added_unix_ms;
};

#endif
