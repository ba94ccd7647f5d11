/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one header shared by bpf/ and fw/: every map key, value, param index
 * and stat index. Only fixed-width kernel UAPI types, so both sides agree
 * byte for byte.
 */
#ifndef XDPFW_H
#define XDPFW_H

#include <linux/types.h>

#define XDPFW_VERSION "0.1.0"

/*
 * Layout version of the pinned maps. Bump it whenever a key, a value or a
 * map changes shape, so a daemon never adopts maps it cannot read.
 */
#define FW_LAYOUT_VERSION 10

/* Rules per rule set; both sets live side by side while a reload runs. */
#ifndef FW_DEFAULT_CAPACITY
#define FW_DEFAULT_CAPACITY 131072
#endif

#define FW_SETS 2
#define FW_PORTS 65536
#define FW_RULE_NAME_MAX 64
#define FW_MAX_VLAN_TAGS 2
#define FW_MAX_IPV6_EXT_HDRS 8

/* What a rule or a default does with a packet. NONE marks an empty slot. */
enum fw_action {
	FW_ACTION_NONE = 0,
	FW_ACTION_PASS = 1,
	FW_ACTION_DROP = 2,
	FW_ACTION_LIMIT = 3, /* a `limit` rule: pass within its fw_limit_value, drop the excess */
};

enum fw_fragment_policy {
	FW_FRAGMENTS_INSPECT = 0,
	FW_FRAGMENTS_DROP = 1,
};

/*
 * Protocols. Rules name ANY..ICMPV6; packets are TCP..TCP_SYN, where OTHER
 * is an L4 protocol no rule can name, so only (src, any, any) rules match
 * it. TCP_SYN is a TCP packet with SYN set and ACK clear while some rule
 * says `tcp_flags: syn` (FW_ACTIVE_TCP_SYN); a rule with proto tcp and
 * tcp_flags syn is compiled as proto TCP_SYN, and at each precedence
 * level it beats a plain tcp rule, which beats an any rule.
 */
enum fw_proto {
	FW_PROTO_ANY = 0,
	FW_PROTO_TCP = 1,
	FW_PROTO_UDP = 2,
	FW_PROTO_ICMP = 3,
	FW_PROTO_ICMPV6 = 4,
	FW_RULE_PROTOS = 5,
	FW_PROTO_OTHER = FW_RULE_PROTOS,
	FW_PROTO_TCP_SYN = 6,
	FW_PROTO_COUNT = 7,
};

/* fw_rule_info.tcp_flags: what `tcp_flags:` asks of a TCP packet. */
#define FW_TCP_FLAGS_SYN 0x1u /* SYN set, ACK clear */

/* Rule ids stay below this, so a rule fits in 4 bytes: FW_SETS * capacity ids at most. */
#define FW_RULE_ID_LIMIT (1u << 30)

/*
 * A rule as the datapath sees it: which counter to bump, what to do. Four
 * bytes, so a source's value and a map element stay small: at 1M rules the
 * source maps are a sixth smaller than with a word each.
 */
struct fw_rule_ref {
	__u32 id : 30;    /* index into the counters map */
	__u32 action : 2; /* enum fw_action; NONE = no rule here */
};

/*
 * Rule sets: every per-set map exists twice, one per set (suffix _0 and _1),
 * so keys carry no set byte and the common lookup hashes only the address.
 *
 * Sources resolve to a class: the addresses whose rules, with those of
 * every shorter prefix that contains them (DESIGN §1b: longest prefix
 * first, then the next shorter), decide alike. The compiler folds each
 * class's precedence chain into one struct fw_source_value, so the
 * datapath reads one value per source and at most one port rule.
 *
 * fw_sources4_N: key = IPv4 source (__be32, network order, as in the
 * packet); fw_sources6_N: key = the 16-byte IPv6 source. They hold one
 * address (/32, /128) each, and IPv4 /25-/31 never: see fw_prefix4_N. An
 * IPv6 packet from a v4-mapped address (::ffff:a.b.c.d) is looked up as IPv4.
 */

/*
 * Values are resolved when compiled, so the datapath reads one slot:
 * by_proto[p] is the rule that decides a packet of protocol p when no port
 * rule does; port_class, when not 0, keys the class's port rules: a hash
 * of its rules' names, so it stays put from one reload to the next.
 */
struct fw_source_value {
	__u32 port_class;                            /* key in fw_port_rules_N; 0 = none */
	struct fw_rule_ref by_proto[FW_PROTO_COUNT]; /* levels 3 and 4, over the chain */
};

/*
 * fw_port_rules_N: levels 1 and 2 over the class's chain, for one port;
 * proto is TCP, UDP or TCP_SYN. A TCP_SYN entry exists only where a SYN's
 * winner differs from a plain TCP packet's, so the datapath looks a SYN
 * up as TCP_SYN first, then as TCP. by_proto[FW_PROTO_TCP_SYN] of source,
 * class and port values is always filled (a copy of TCP's when no syn
 * rule decides there).
 */
struct fw_port_rule_key {
	__u32 port_class;
	__u16 port;  /* host byte order */
	__u8 proto;  /* FW_PROTO_TCP, FW_PROTO_UDP or FW_PROTO_TCP_SYN */
	__u8 pad;
};

/*
 * fw_classes_N: an ARRAY from a prefix class's slot to its value; slot 0
 * is "no class". Prefixes (everything but single addresses) name classes
 * by slot; single addresses carry their class's value themselves.
 */

/*
 * fw_prefix4_N: an ARRAY of __u32, a compiled trie for IPv4 prefixes:
 * entries [0, 65536) are indexed by the source's top 16 bits; an entry is
 * 0 (no prefix), a class id, or FW_PREFIX4_BLOCK | b: then block b, the
 * 256 entries from FW_PREFIX4_ROOT + 256 * b, is indexed by the next byte
 * (prefixes /17-/24), and a block entry may point on to a block indexed by
 * the last byte (/25-/31). Single addresses are in fw_sources4_N, read first.
 */
#define FW_PREFIX4_ROOT 65536u
#define FW_PREFIX4_BLOCK 0x80000000u
#define FW_PREFIX4_BLOCK_SIZE 256u

/*
 * The map's value is a whole block, so entry i is block i / 256, slot
 * i % 256: an ARRAY pads values to 8 bytes, which would double __u32
 * entries, and whole blocks let userspace write the trie through mmap.
 */
struct fw_prefix4_block {
	__u32 entry[FW_PREFIX4_BLOCK_SIZE];
};

/*
 * fw_prefix6_N: a hash of IPv6 prefixes shorter than /128, one entry per
 * prefix: key = its length and address (host bits zero), value = class id.
 * fw_lengths6: an ARRAY of FW_SETS * FW_PREFIX6_LENGTHS __u32, the lengths
 * present in set N from index N * FW_PREFIX6_LENGTHS on, longest first,
 * ended by a 0 (or by the end of the slice).
 */
struct fw_prefix6_key {
	__u32 len; /* 1-127 */
	__u8 addr[16];
};

#define FW_PREFIX6_LENGTHS 128u

/*
 * fw_ports: an ARRAY indexed by set * FW_PORTS + destination port, for
 * rules without a source: by_proto[p] = (any, port, p), else (any, port,
 * any), else (any, any, p). Port 0 is what packets without a port use.
 */
struct fw_port_value {
	struct fw_rule_ref by_proto[FW_PROTO_COUNT];
};

/*
 * fw_rule_info: an ARRAY from rule id to the rule's name and match; an
 * entry with no set bits is free. Only userspace reads it: it lets a
 * restarted daemon give each rule back its counters, and `xdpfw rules`
 * name what is in force.
 */
struct fw_rule_info {
	char name[FW_RULE_NAME_MAX];
	__u8 src[16];
	__u8 has_src;
	__u8 proto;   /* enum fw_proto */
	__u16 port;   /* 0 = any; else the lowest port named */
	__u8 action;  /* enum fw_action */
	__u8 sets;    /* bit n: the rule is in set n */
	__u8 src_len; /* the prefix length over 16 bytes (IPv4 /n = 96 + n); 0 = 128 */
	__u8 tcp_flags; /* FW_TCP_FLAGS_*; proto is then TCP (as written) */
	__u32 line;   /* where the config defined it */
	__u32 match_tag; /* struct fw_rule's: the set's name and the port ranges, hashed */
	__u32 set_id;    /* for "@set": 1 + its index in fw_set_info; 0 = none */
	__u32 flags;     /* FW_RULE_*; the datapath reads it only when FW_PARAM_LOG says so */
};

#define FW_RULE_LOG 0x1u /* `log: true`: an event per matched packet */

/*
 * fw_set_info: an ARRAY of FW_SETS * FW_MAX_NAMED_SETS entries, userspace
 * only: the named sets of set N from index N * FW_MAX_NAMED_SETS, for
 * `xdpfw sets` and `rules`. An entry with an empty name is free.
 */
#ifndef FW_MAX_NAMED_SETS
#define FW_MAX_NAMED_SETS 1024
#endif
#define FW_SET_FILE_MAX 256

struct fw_set_info {
	char name[FW_RULE_NAME_MAX];
	char file[FW_SET_FILE_MAX]; /* the list file, "" for `elements:` */
	__u32 v4;                   /* elements as written */
	__u32 v6;
	__u32 line;                 /* where the config defines the set */
	__u32 pad;
};

/*
 * Bans (DESIGN §1b): outside the rule sets, read before any rule, kept by
 * reloads, apply and restarts; `down` removes them. fw_bans4 (key: the
 * __be32 source) and fw_bans6 (key: the 16-byte source) hold single
 * addresses, fw_ban_prefix4/6 (LPM tries, struct fw_ban_prefix*_key) hold
 * prefixes; the datapath reads the tries only when FW_BANS_PREFIX* says
 * they hold something. A v4-mapped IPv6 source is looked up as IPv4.
 * Every map is BPF_F_NO_PREALLOC, so 1M of room costs nothing unused.
 */
#ifndef FW_DEFAULT_MAX_BANS
#define FW_DEFAULT_MAX_BANS (1u << 20)
#endif
#define FW_BANS_EXACT4 0x1u
#define FW_BANS_EXACT6 0x2u
#define FW_BANS_PREFIX4 0x4u
#define FW_BANS_PREFIX6 0x8u

/*
 * Times are ns of the datapath's clock: CLOCK_BOOTTIME (bpf_ktime_get_boot_ns)
 * plus the FW_PARAM_CLOCK_* shift, so a ban expires while the host sleeps
 * too, and tests move the clock through an expiry without sleeping.
 */
struct fw_ban_value {
	__u64 expires; /* the datapath's clock; 0 = until unbanned */
	__u64 since;   /* when it was banned, same clock */
	__u64 packets; /* added with __sync_fetch_and_add */
	__u64 bytes;
	__u32 origin;  /* index into fw_ban_origins */
	__u32 pad;
};

struct fw_ban_prefix4_key {
	__u32 prefixlen; /* 1-31; /32 is in fw_bans4 */
	__be32 addr;
};

struct fw_ban_prefix6_key {
	__u32 prefixlen; /* 1-127; /128 is in fw_bans6 */
	__u8 addr[16];
};

/*
 * fw_ban_origins: an ARRAY of FW_BAN_ORIGINS names, userspace only: why a
 * ban was made (`manual`, `limit:RULE`, `crowdsec:SCENARIO`, a --reason).
 * Entry 0 is "manual"; an entry with an empty name is free.
 */
#define FW_BAN_ORIGINS 4096
#define FW_BAN_ORIGIN_MANUAL 0

struct fw_ban_origin {
	char name[FW_RULE_NAME_MAX];
};

/*
 * fw_never_ban4/6: LPM tries (the prefix keys above, /32 and /128
 * included) of settings.never_ban, written by every sync; value = the
 * config line that names it. `ban` refuses a ban that overlaps one, and
 * the datapath never bans a source inside one.
 */
#define FW_NEVER_BAN_MAX 65536

/*
 * Rate limits. fw_limits: a HASH from the rule id of a `limit` rule
 * (action FW_ACTION_LIMIT) to its policy, a GCRA token bucket: a packet
 * at time now passes when max(tat, now) + interval - now <= burst_window,
 * and then moves tat there with one compare-and-swap, so CPUs racing on
 * one bucket never pass more than rate * time + burst. Clock differences
 * are taken as signed 64-bit, so they survive the clock's wrap.
 */
#define FW_MAX_LIMITS 4096

struct fw_limit_value {
	__u64 interval;     /* ns per packet: 1 / rate, rounded up */
	__u64 burst_window; /* burst * interval */
	__u64 ban_for;      /* ns; 0 = no ban */
	__u64 tat;          /* per: rule: the bucket's theoretical arrival time */
	__u32 per_source;   /* 1: one bucket per source, in fw_limit_buckets */
	__u32 ban_origin;   /* the fw_ban_origins entry of "limit:RULE" */
};

/*
 * fw_limit_buckets: an LRU_HASH of per-source buckets (value: __u64 tat),
 * so a flood of new sources evicts old buckets and never fills a map. An
 * IPv4 source is stored v4-mapped (::ffff:a.b.c.d).
 */
#ifndef FW_LIMIT_BUCKETS
#define FW_LIMIT_BUCKETS 65536
#endif

struct fw_limit_key {
	__u32 rule;    /* rule id */
	__be32 src[4]; /* 16-byte source */
};

/*
 * Events (DESIGN §1b): a packet of a rule with `log: true`, a ban's drop
 * (settings.ban_log) or a limit's excess (settings.limit_log) becomes one
 * struct fw_event, when the host-wide token bucket fw_log allows it; what
 * it holds back is counted in fw_event_stats, never sent.
 *
 * fw_event_rings: an ARRAY_OF_MAPS of FW_EVENT_READERS RINGBUF slots, one
 * per reader (the daemon's journal writer, each `xdpfw events`), so every
 * reader sees every event: a RINGBUF has one consumer position. The
 * datapath copies an event into every slot that holds a ring.
 * fw_event_readers (userspace only) says who owns each slot, so a reader
 * that died is found out and its slot reused; slots are claimed and given
 * back under the pin dir's lock.
 */
#define FW_EVENT_READERS 8
#define FW_EVENT_RING_BYTES (4u << 20) /* a reader's ring: 40k events */
#define FW_EVENT_NO_RULE 0xffffffffu   /* fw_event.rule of a ban's drop */

struct fw_event {
	__u64 time;    /* the datapath's clock (fw_now), ns */
	__u32 rule;    /* rule id (fw_rule_info names it), or FW_EVENT_NO_RULE */
	__u32 origin;  /* a ban's drop: its fw_ban_origins entry; else 0 */
	__u32 ifindex; /* the interface it came in on */
	__u32 len;     /* the frame's length */
	__u16 sport;   /* host order; 0 = no port (ICMP, non-first fragments, ...) */
	__u16 dport;
	__u8 reason;   /* enum fw_stat: what was done and why */
	__u8 ipproto;  /* IPPROTO_*: the L4 protocol as the packet says */
	__u8 v6;       /* addresses are 16 bytes; else 4, in src[0] and dst[0] */
	__u8 pad;
	__be32 src[4];
	__be32 dst[4];
};

struct fw_event_reader {
	__u32 pid;      /* 0 = free */
	__u32 pad;
	__u64 started;  /* the owner's start time (/proc/PID/stat field 22), against pid reuse */
};

/* fw_event_stats: a PERCPU_ARRAY of __u64 counts, indexed by these. */
enum fw_event_stat {
	FW_EVENT_STAT_SENT = 0,       /* events the bucket let through */
	FW_EVENT_STAT_SUPPRESSED = 1, /* events log_rate held back */
	FW_EVENT_STAT_LOST0 = 2,      /* + slot: events that slot's full ring could not take */
	FW_EVENT_STAT_COUNT = FW_EVENT_STAT_LOST0 + FW_EVENT_READERS,
};

/*
 * fw_log: a one-entry ARRAY holding the log_rate bucket, a struct
 * fw_limit_value of which only interval, burst_window and tat are used:
 * the GCRA of the limits, for the whole host.
 */
#ifndef FW_DEFAULT_LOG_RATE
#define FW_DEFAULT_LOG_RATE 100 /* events per second */
#endif

/* FW_PARAM_LOG bits: which packets are worth an event; 0 = none, and the datapath checks no more. */
#define FW_LOG_RULES 0x1u  /* some rule says log: true (fw_rule_info.flags) */
#define FW_LOG_BANS 0x2u   /* settings.ban_log */
#define FW_LOG_LIMITS 0x4u /* settings.limit_log */

/*
 * fw_reloads: a one-entry ARRAY, userspace only: what every sync of a
 * config (run, SIGHUP, apply) ended with, for the metrics, which
 * `stats --prometheus` reads as the daemon's scrape does.
 */
struct fw_reload_stats {
	__u64 succeeded;
	__u64 failed;
	__u64 last_success; /* unix time, s; 0 = never */
	__u64 last_failure;
};

/* A rule's totals, as userspace reads them out of a struct fw_rule_counter. */
struct fw_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * fw_counters: an ARRAY of these, indexed by rule id, shared by both sets.
 * One __sync_fetch_and_add adds a packet and its bytes to `recent` at once:
 * packets in its top 24 bits, bytes in the low 40. The CPU whose add takes
 * a field to half its range moves that half to the field's `_spilled`
 * word, then takes it out of `recent`, long before the field could
 * overflow. A total is spilled + field; a reader that finds a field at
 * half its range or more caught a move half done, and reads again.
 */
struct fw_rule_counter {
	__u64 recent;
	__u64 packets_spilled;
	__u64 bytes_spilled;
};

#define FW_COUNTER_BYTES_BITS 40
#define FW_COUNTER_BYTES_MASK ((1ULL << FW_COUNTER_BYTES_BITS) - 1)
#define FW_COUNTER_PACKET (1ULL << FW_COUNTER_BYTES_BITS)        /* one packet, in `recent` */
#define FW_COUNTER_BYTES_HALF (1ULL << (FW_COUNTER_BYTES_BITS - 1)) /* 2^39 bytes */
#define FW_COUNTER_PACKETS_HALF (1ULL << 63)                        /* 2^23 packets, in `recent` */
#define FW_COUNTER_HALVES (FW_COUNTER_BYTES_HALF | FW_COUNTER_PACKETS_HALF)

/*
 * fw_params: one entry of FW_PARAM_COUNT __u32 words, indexed by enum
 * fw_param. FW_PARAM_ACTIVE holds the set in force together with its
 * policy, so one store swaps the rules, the default action and the
 * fragment policy at once.
 */
enum fw_param {
	FW_PARAM_ACTIVE = 0,     /* FW_ACTIVE_* bits */
	FW_PARAM_LAYOUT = 1,     /* FW_LAYOUT_VERSION, written at creation */
	FW_PARAM_CAPACITY = 2,   /* rules per set the maps were sized for */
	FW_PARAM_SETTLED = 3,    /* 0 from a set flip until no packet can see the old set */
	FW_PARAM_SET0_TOKEN = 4, /* changed by every writer before it touches set 0 */
	FW_PARAM_SET1_TOKEN = 5, /* the same for set 1 */
	FW_PARAM_BANS = 6,       /* FW_BANS_* bits: which ban maps are worth reading */
	FW_PARAM_CLOCK_LO = 7,   /* a shift added to the datapath's clock: 0, but in tests */
	FW_PARAM_CLOCK_HI = 8,
	FW_PARAM_LOG = 9,        /* FW_LOG_* bits, written by every sync */
	FW_PARAM_COUNT = 10,
};

#define FW_ACTIVE_SET 0x1u            /* which set is in force: 0 or 1 */
#define FW_ACTIVE_DEFAULT_DROP 0x2u   /* default_action: drop */
#define FW_ACTIVE_FRAGMENTS_DROP 0x4u /* fragments: drop */
#define FW_ACTIVE_SOURCELESS 0x8u     /* some rule has no source: fw_ports is worth reading */
#define FW_ACTIVE_PREFIX4 0x10u       /* fw_prefix4_N holds something */
#define FW_ACTIVE_PREFIX6 0x20u       /* fw_prefix6_N holds something */
#define FW_ACTIVE_TCP_SYN 0x40u       /* some rule says tcp_flags: syn: SYNs are FW_PROTO_TCP_SYN */

/* fw_stats: a PERCPU_ARRAY; every packet bumps exactly one slot. */
enum fw_stat {
	FW_STAT_PASS_RULE = 0,
	FW_STAT_PASS_DEFAULT,
	FW_STAT_DROP_RULE,
	FW_STAT_DROP_DEFAULT,
	FW_STAT_DROP_FRAGMENT,  /* fragments: drop */
	FW_STAT_DROP_MALFORMED,
	FW_STAT_DROP_BAN,       /* the source is banned */
	FW_STAT_DROP_LIMIT,     /* a limit rule's excess */
	FW_STAT_PASS_LINK,      /* ARP, IPv6 neighbour discovery */
	FW_STAT_PASS_NON_IP,
	FW_STAT_COUNT,
};

struct fw_stat_value {
	__u64 packets;
	__u64 bytes;
};

/* The reasons that drop a packet, DROP_RULE..DROP_LIMIT in a row; the others pass it. */
static inline int fw_stat_is_drop(__u32 reason)
{
	return reason - FW_STAT_DROP_RULE <= FW_STAT_DROP_LIMIT - FW_STAT_DROP_RULE;
}

#endif /* XDPFW_H */
