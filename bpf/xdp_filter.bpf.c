// SPDX-License-Identifier: GPL-2.0
/* The XDP packet filter of Add-BpfXdpFilter: one program per interface, its rules in maps.
 * It parses Ethernet, up to two VLAN tags, IPv4 or IPv6 (with extension headers) and the TCP or UDP
 * ports, then looks each header field up in tables that user space compiled from the rules (see
 * xdp_filter.h). What it does with each kind of packet:
 *   not IP (ARP, LLDP, ...)     passed, counted as non-IP
 *   malformed or truncated      dropped, counted as malformed: it cannot be checked against the rules
 *   IP, no rule matches         passed
 *   IP, a rule matches          that rule's action; counted on the rule */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bounded.h"
#include "xdp_filter.h"
#include "skeleton.h"

SKELETON_TYPE(enum xdp_direction, xdp_direction);
SKELETON_TYPE(enum xdp_total, xdp_total);
SKELETON_TYPE(enum xdp_rule_flags, xdp_rule_flags);

#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86DD
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88A8
#define MAX_VLAN_TAGS 2
#define MAX_IPV6_EXTENSIONS 8

#define IPPROTO_HOPOPTS 0
#define IPPROTO_TCP 6
#define IPPROTO_UDP 17
#define IPPROTO_ROUTING 43
#define IPPROTO_FRAGMENT 44
#define IPPROTO_AH 51
#define IPPROTO_DSTOPTS 60
#define IPPROTO_MH 135

#define IP_OFFSET_MASK 0x1FFF
#define IP6_OFFSET_MASK 0xFFF8

/* Wire formats, fixed by their RFCs: no CO-RE relocation applies to packet bytes. */
struct eth_header {
	__u8 destination[6];
	__u8 source[6];
	__be16 type;
};

struct vlan_tag {
	__be16 tci;
	__be16 type;
};

struct ipv4_header {
	__u8 version_ihl;
	__u8 tos;
	__be16 total_length;
	__be16 id;
	__be16 fragment;
	__u8 ttl;
	__u8 protocol;
	__be16 checksum;
	__u8 source[4];
	__u8 destination[4];
};

struct ipv6_header {
	__be32 version_class_flow;
	__be16 payload_length;
	__u8 next_header;
	__u8 hop_limit;
	__u8 source[16];
	__u8 destination[16];
};

struct ipv6_extension {
	__u8 next_header;
	__u8 length;
};

struct ipv6_fragment {
	__u8 next_header;
	__u8 reserved;
	__be16 offset;
	__be32 id;
};

struct ports {
	__be16 source;
	__be16 destination;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xdp_filter_state);
} xdpf_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XDP_FILTER_GENERATIONS);
	__type(key, __u32);
	__type(value, struct xdp_filter_table);
} xdpf_tables SEC(".maps");

/* [generation * 256 + protocol]: the rules that can match that IP protocol. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XDP_FILTER_GENERATIONS * 256);
	__type(key, __u32);
	__type(value, struct xdp_rule_mask);
} xdpf_protocols SEC(".maps");

/* Per generation and direction: every rule's prefix and the catch-all entry. */
struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, XDP_FILTER_GENERATIONS * 2 * (XDP_FILTER_MAX_RULES + 1));
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct xdp_prefix_key);
	__type(value, struct xdp_rule_mask);
} xdpf_prefixes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XDP_FILTER_GENERATIONS * 2 * XDP_FILTER_MAX_RULES);
	__type(key, struct xdp_port_key);
	__type(value, struct xdp_rule_mask);
} xdpf_ports SEC(".maps");

/* Read by user space only. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XDP_FILTER_MAX_RULES);
	__type(key, __u32);
	__type(value, struct xdp_filter_rule);
} xdpf_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDP_FILTER_MAX_RULES);
	__type(key, __u32);
	__type(value, struct xdp_counter);
} xdpf_counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XDP_TOTAL_COUNT);
	__type(key, __u32);
	__type(value, struct xdp_counter);
} xdpf_totals SEC(".maps");

enum parse_result {
	PARSED_IP,
	NOT_IP,
	MALFORMED,
};

/* The header fields a rule can match, already in the shape of the lookup keys. */
struct packet {
	struct xdp_prefix_key source;
	struct xdp_prefix_key destination;
	__u8 family_index; /* 0 IPv4, 1 IPv6 */
	__u8 protocol;
	bool has_ports;    /* a TCP or UDP header was there: not a later fragment */
	__u16 source_port;
	__u16 destination_port;
};

static __always_inline void count(void *map, __u32 key, __u64 bytes)
{
	struct xdp_counter *counter = bpf_map_lookup_elem(map, &key);

	if (counter) {
		counter->packets += 1;
		counter->bytes += bytes;
	}
}

/* Reads the TCP or UDP ports at l4 into the packet; false when the header is cut short. */
static __always_inline bool parse_ports(struct packet *p, void *l4, void *data_end)
{
	struct ports *ports = l4;

	if (p->protocol != IPPROTO_TCP && p->protocol != IPPROTO_UDP)
		return true;
	if ((void *)(ports + 1) > data_end)
		return false;
	p->has_ports = true;
	p->source_port = bpf_ntohs(ports->source);
	p->destination_port = bpf_ntohs(ports->destination);
	return true;
}

static __always_inline enum parse_result parse_ipv4(struct packet *p, void *l3, void *data_end)
{
	struct ipv4_header *ip = l3;

	if ((void *)(ip + 1) > data_end)
		return MALFORMED;
	__u32 header_length = (ip->version_ihl & 0x0F) * 4;
	__u32 total_length = bounded(bpf_ntohs(ip->total_length), 0xffff);
	if ((ip->version_ihl >> 4) != 4 || header_length < sizeof(*ip) || total_length < header_length ||
	    l3 + total_length > data_end)
		return MALFORMED;
	p->family_index = 0;
	p->source.family = p->destination.family = 4;
	__builtin_memcpy(p->source.address, ip->source, 4);
	__builtin_memcpy(p->destination.address, ip->destination, 4);
	p->protocol = ip->protocol;
	if (bpf_ntohs(ip->fragment) & IP_OFFSET_MASK)
		return PARSED_IP; /* a later fragment: no ports to read */
	return parse_ports(p, l3 + header_length, data_end) ? PARSED_IP : MALFORMED;
}

static __always_inline bool is_ipv6_extension(__u8 next_header)
{
	return next_header == IPPROTO_HOPOPTS || next_header == IPPROTO_ROUTING || next_header == IPPROTO_FRAGMENT ||
	       next_header == IPPROTO_AH || next_header == IPPROTO_DSTOPTS || next_header == IPPROTO_MH;
}

static __always_inline enum parse_result parse_ipv6(struct packet *p, void *l3, void *data_end)
{
	struct ipv6_header *ip = l3;

	if ((void *)(ip + 1) > data_end)
		return MALFORMED;
	if ((bpf_ntohl(ip->version_class_flow) >> 28) != 6 ||
	    l3 + sizeof(*ip) + bounded(bpf_ntohs(ip->payload_length), 0xffff) > data_end)
		return MALFORMED;
	p->family_index = 1;
	p->source.family = p->destination.family = 6;
	__builtin_memcpy(p->source.address, ip->source, 16);
	__builtin_memcpy(p->destination.address, ip->destination, 16);

	/* Skip the extension headers to the upper-layer protocol, the one rules name. */
	void *cursor = ip + 1;
	__u8 next = ip->next_header;
	bool later_fragment = false;
	for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
		if (!is_ipv6_extension(next)) {
			p->protocol = next;
			if (later_fragment)
				return PARSED_IP;
			return parse_ports(p, cursor, data_end) ? PARSED_IP : MALFORMED;
		}
		struct ipv6_extension *extension = cursor;
		if ((void *)(extension + 1) > data_end)
			return MALFORMED;
		if (next == IPPROTO_FRAGMENT) {
			struct ipv6_fragment *fragment = cursor;
			if ((void *)(fragment + 1) > data_end)
				return MALFORMED;
			later_fragment = (bpf_ntohs(fragment->offset) & IP6_OFFSET_MASK) != 0;
			cursor += sizeof(*fragment);
		} else if (next == IPPROTO_AH) {
			cursor += (extension->length + 2) * 4;
		} else {
			cursor += (extension->length + 1) * 8;
		}
		next = extension->next_header;
	}
	return MALFORMED; /* more extension headers than we follow: we cannot tell what it carries */
}

static __always_inline enum parse_result parse(struct packet *p, void *data, void *data_end)
{
	struct eth_header *eth = data;

	if ((void *)(eth + 1) > data_end)
		return MALFORMED;
	void *cursor = eth + 1;
	__u16 type = bpf_ntohs(eth->type);
	for (int i = 0; i < MAX_VLAN_TAGS; i++) {
		if (type != ETH_P_8021Q && type != ETH_P_8021AD)
			break;
		struct vlan_tag *tag = cursor;
		if ((void *)(tag + 1) > data_end)
			return MALFORMED;
		type = bpf_ntohs(tag->type);
		cursor = tag + 1;
	}
	if (type == ETH_P_IP)
		return parse_ipv4(p, cursor, data_end);
	if (type == ETH_P_IPV6)
		return parse_ipv6(p, cursor, data_end);
	if (type == ETH_P_8021Q || type == ETH_P_8021AD)
		return MALFORMED; /* more tags than we follow */
	return NOT_IP;
}

static __always_inline void and_mask(struct xdp_rule_mask *into, const struct xdp_rule_mask *other)
{
	for (int i = 0; i < XDP_FILTER_MASK_WORDS; i++)
		into->words[i] &= other->words[i];
}

/* The rules of the prefix entry that best covers the address, or none when the entry is missing. */
static __always_inline void and_prefix(struct xdp_rule_mask *into, struct xdp_prefix_key *key, __u8 generation,
				       __u8 direction)
{
	key->prefixlen = 32 + (key->family == 4 ? 32 : 128);
	key->generation = generation;
	key->direction = direction;
	key->reserved = 0;
	struct xdp_rule_mask *rules = bpf_map_lookup_elem(&xdpf_prefixes, key);
	if (rules)
		and_mask(into, rules);
	else
		__builtin_memset(into, 0, sizeof(*into));
}

static __always_inline void and_port(struct xdp_rule_mask *into, const struct xdp_rule_mask *any, bool has_port,
				     __u16 port, __u8 generation, __u8 direction)
{
	struct xdp_port_key key = { .generation = generation, .direction = direction, .port = port };
	struct xdp_rule_mask *exact = has_port ? bpf_map_lookup_elem(&xdpf_ports, &key) : 0;

	for (int i = 0; i < XDP_FILTER_MASK_WORDS; i++)
		into->words[i] &= any->words[i] | (exact ? exact->words[i] : 0);
}

/* Index of the lowest set bit of a non-zero word (BPF has no count-trailing-zeros instruction). */
static __always_inline __u32 lowest_bit(__u64 word)
{
	__u32 n = 0;

	if (!(word & 0xFFFFFFFFULL)) { n += 32; word >>= 32; }
	if (!(word & 0xFFFFULL)) { n += 16; word >>= 16; }
	if (!(word & 0xFFULL)) { n += 8; word >>= 8; }
	if (!(word & 0xFULL)) { n += 4; word >>= 4; }
	if (!(word & 0x3ULL)) { n += 2; word >>= 2; }
	if (!(word & 0x1ULL)) n += 1;
	return n;
}

/* The priority of the most specific matching rule, or -1. */
static __always_inline int first_rule(const struct xdp_rule_mask *mask)
{
	for (int i = 0; i < XDP_FILTER_MASK_WORDS; i++)
		if (mask->words[i])
			return i * 64 + lowest_bit(mask->words[i]);
	return -1;
}

static __always_inline int verdict(struct packet *p, __u64 bytes)
{
	__u32 zero = 0;
	struct xdp_filter_state *state = bpf_map_lookup_elem(&xdpf_state, &zero);
	if (!state)
		return XDP_PASS;
	__u32 generation = state->generation & 1;
	struct xdp_filter_table *table = bpf_map_lookup_elem(&xdpf_tables, &generation);
	if (!table || table->rule_count == 0)
		return XDP_PASS;

	struct xdp_rule_mask match = table->family[p->family_index & 1];
	__u32 protocol_key = generation * 256 + p->protocol;
	struct xdp_rule_mask *by_protocol = bpf_map_lookup_elem(&xdpf_protocols, &protocol_key);
	if (!by_protocol)
		return XDP_PASS;
	and_mask(&match, by_protocol);
	if (table->lookups & XDP_LOOKUP_SOURCE)
		and_prefix(&match, &p->source, generation, XDP_SOURCE);
	if (table->lookups & XDP_LOOKUP_DESTINATION)
		and_prefix(&match, &p->destination, generation, XDP_DESTINATION);
	if (table->lookups & XDP_LOOKUP_SOURCE_PORT)
		and_port(&match, &table->any_source_port, p->has_ports, p->source_port, generation, XDP_SOURCE);
	if (table->lookups & XDP_LOOKUP_DESTINATION_PORT)
		and_port(&match, &table->any_destination_port, p->has_ports, p->destination_port, generation,
			 XDP_DESTINATION);

	int priority = first_rule(&match);
	if (priority < 0 || priority >= XDP_FILTER_MAX_RULES)
		return XDP_PASS;
	struct xdp_filter_verdict decided = table->by_priority[priority];
	count(&xdpf_counters, decided.slot, bytes);
	return decided.action == XDP_DROP ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int ebpfps_xdp_filter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u64 bytes = data_end - data;
	struct packet p = {};
	int action;

	switch (parse(&p, data, data_end)) {
	case NOT_IP:
		count(&xdpf_totals, XDP_TOTAL_NON_IP, bytes);
		action = XDP_PASS;
		break;
	case MALFORMED:
		count(&xdpf_totals, XDP_TOTAL_MALFORMED, bytes);
		action = XDP_DROP;
		break;
	default:
		action = verdict(&p, bytes);
	}
	count(&xdpf_totals, action == XDP_DROP ? XDP_TOTAL_DROPPED : XDP_TOTAL_PASSED, bytes);
	return action;
}

char LICENSE[] SEC("license") = "GPL";
